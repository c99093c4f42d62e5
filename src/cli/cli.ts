import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { createApp, createContexts } from '../app.ts';
import { loadConfig, type Config } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { openApiDocumentOf } from '../http/document.ts';
import { listen, trackRequests } from '../http/server.ts';
import { jobRunner } from '../jobs/runner.ts';
import { startScheduler } from '../jobs/scheduler.ts';
import { systemClock } from '../shared/clock.ts';
import { DemoError } from './demo-api.ts';
import { DEMO_PASSWORD } from './demo-data.ts';
import { seedDemo } from './demo.ts';
import { prepareDatabase } from './prepare.ts';

const USAGE = 'usage: commune <serve|migrate|openapi [file]|seed --demo>';

export async function runCli(argv: string[]): Promise<number> {
  const command = argv[0] ?? 'serve';
  const config = loadConfig(process.env);
  if (!config.ok) {
    console.error(`${config.error.variable}: ${config.error.message}`);
    return 2;
  }
  switch (command) {
    case 'serve': {
      // JOBS_INTERVAL_MS: how often this process looks for due background work; 0 turns it off.
      const jobsIntervalMs = Number(process.env.JOBS_INTERVAL_MS ?? 1000);
      if (!Number.isInteger(jobsIntervalMs) || jobsIntervalMs < 0) {
        console.error(
          `JOBS_INTERVAL_MS: must be a whole number of milliseconds (0: no background jobs), got ${process.env.JOBS_INTERVAL_MS}`,
        );
        return 2;
      }
      await startServer(config.value, { jobsIntervalMs });
      return 0;
    }
    case 'migrate': {
      const handle = openDatabase(config.value.databaseUrl);
      const { applied, affinityRebuilt } = await prepareDatabase(handle, config.value);
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'already up to date');
      if (affinityRebuilt) console.log('affinity rebuilt from the communes, members and alliances');
      await handle.destroy();
      return 0;
    }
    case 'openapi': {
      // The document clients generate from (npm run gen:api) and CI lints (npm run lint:openapi).
      const text = `${JSON.stringify(await openApiDocumentOf(config.value), null, 2)}\n`;
      if (argv[1]) {
        mkdirSync(dirname(argv[1]), { recursive: true });
        writeFileSync(argv[1], text);
      } else process.stdout.write(text);
      return 0;
    }
    case 'seed': {
      if (argv[1] !== '--demo') {
        console.error(USAGE);
        return 2;
      }
      return seedCommand(config.value);
    }
    default:
      console.error(USAGE);
      return 2;
  }
}

async function seedCommand(config: Config): Promise<number> {
  const handle = openDatabase(config.databaseUrl);
  try {
    await prepareDatabase(handle, config);
    const deps = {
      db: handle.db,
      dialect: handle.dialect,
      config,
      logger: pino({ level: 'warn' }),
      clock: systemClock,
    };
    const done = await seedDemo(deps, { progress: process.stderr.isTTY });
    console.log(
      `demo ready: ${done.communes} communes and ${done.people} people (password "${DEMO_PASSWORD}"), ${done.requests} requests`,
    );
    return 0;
  } catch (e) {
    if (!(e instanceof DemoError)) throw e;
    console.error(`seed: ${e.message}`);
    return 1;
  } finally {
    await handle.destroy();
  }
}

export async function startServer(config: Config, options: { jobsIntervalMs?: number } = {}) {
  const logger = pino({ level: config.logLevel });
  const handle = openDatabase(config.databaseUrl);
  const { applied, affinityRebuilt } = await prepareDatabase(handle, config);
  if (applied.length) logger.info({ applied }, 'migrations applied');
  if (affinityRebuilt) logger.info('affinity rebuilt');
  const webRoot = fileURLToPath(new URL('../../dist/web', import.meta.url));
  const deps = {
    db: handle.db,
    dialect: handle.dialect,
    config,
    logger,
    clock: systemClock,
    webRoot,
    ...(handle.listenClient ? { listenClient: handle.listenClient } : {}),
  };
  const contexts = createContexts(deps);
  const app = createApp(deps, contexts);
  // Every process runs the scheduler; the job queue hands each due job to one of them.
  const intervalMs = options.jobsIntervalMs ?? 1000;
  const scheduler =
    intervalMs > 0 ? startScheduler(jobRunner(deps, contexts.jobs), { intervalMs, logger }) : null;
  const requests = trackRequests(app.fetch);
  const server = listen(
    requests.fetch,
    { port: config.port, hostname: process.env.HOST ?? '0.0.0.0', timeouts: config.timeouts },
    (info) => {
      logger.info(
        { port: info.port, database: handle.dialect, publicUrl: config.publicUrl },
        'Commune is listening',
      );
    },
  );
  // Answers still being made and transfers still queued for a group finish before the
  // database closes: a client that hung up does not turn them into 500s.
  const stop = () => {
    // Open event streams would hold the server open: end them first (clients reconnect elsewhere).
    void contexts.live.close();
    server.close(
      () =>
        void requests
          .settled()
          .then(() => contexts.ledger.idle())
          .then(() => scheduler?.stop())
          .then(() => handle.destroy())
          .then(() => process.exit(0)),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return server;
}
