// The ledger's group writer thread (see group-writer.ts): its own connection to the same
// SQLite file, the same transfersService.writeGroup. The time of each group comes from the
// main thread's clock, so tests with a fixed clock see the same stamps as in-process.
import { parentPort, workerData } from 'node:worker_threads';
import pino from 'pino';
import type { Config } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import type { GroupReply, GroupRequest } from './group-writer.ts';
import { transfersService } from './transfers.service.ts';

const { file, config } = workerData as { file: string; config: Config };
const port = parentPort!;
const handle = openDatabase(`sqlite:${file}`);
const writes = transfersService({ db: handle.db, dialect: 'sqlite', config, logger: pino({ level: config.logLevel }), clock: { now: () => new Date() } });

port.on('message', (m: GroupRequest | { close: true }) => {
  if ('close' in m) {
    void handle.destroy().finally(() => port.close());
    return;
  }
  writes.writeGroup(m.jobs, new Date(m.now)).then(
    (results) => port.postMessage({ id: m.id, results } satisfies GroupReply),
    (e: unknown) => port.postMessage({ id: m.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) } satisfies GroupReply),
  );
});
port.postMessage({ ready: true });
