import { Worker } from 'node:worker_threads';
import type { Deps } from '../deps.ts';
import type { Result } from '../shared/result.ts';
import type { Created, Job } from './transfers.service.ts';

export type GroupRequest = { id: number; now: number; jobs: Job[] };
export type GroupReply = { id: number; results: Result<Created>[] } | { id: number; error: string };
export type GroupWriterOptions = {
  /** The writer thread starts at the first group at least this large: a sign of concurrent load. */
  startAt?: number;
  /** It closes after this long without a group. */
  idleMs?: number;
};

const START_AT = 4;
const IDLE_MS = 10_000;

/**
 * Writes groups of single transfers on a thread of its own, with its own connection to the
 * same SQLite file (WAL, synchronous=FULL), so that a group's commit (its page writes and
 * fsync, most of a transfer's cost) no longer stops the event loop. The rules, the
 * transaction and the answers are the same code as in-process: transfersService.writeGroup.
 *
 * One group is in flight at a time, and only this process's coalescer sends them: while the
 * main connection waits for SQLite's write lock the event loop is blocked, so no new group
 * can start and the wait is one group at most. Unused for in-memory databases.
 */
export function groupWriter(deps: Deps, databaseFile: () => Promise<string | null>, options: GroupWriterOptions = {}) {
  const startAt = options.startAt ?? START_AT;
  const idleMs = options.idleMs ?? IDLE_MS;
  let worker: Worker | null = null;
  let ready = false;
  let starting = false;
  let unavailable = false;
  let nextId = 1;
  let written = 0;
  let idle: NodeJS.Timeout | null = null;
  const waiting = new Map<number, { resolve: (r: Result<Created>[]) => void; reject: (e: unknown) => void }>();

  /** Drops the thread; groups still waiting fail (their requests answer 500), later ones are written here. */
  function stop(reason: string): void {
    const w = worker;
    worker = null;
    ready = false;
    if (idle) clearTimeout(idle);
    idle = null;
    for (const p of waiting.values()) p.reject(new Error(`the ledger's group writer stopped (${reason})`));
    waiting.clear();
    w?.postMessage({ close: true });
  }

  async function start(): Promise<void> {
    starting = true;
    try {
      const file = await databaseFile();
      if (!file) {
        unavailable = true;
        return;
      }
      const w = new Worker(new URL('./group-writer.worker.ts', import.meta.url), { workerData: { file, config: deps.config } });
      w.unref();
      worker = w;
      w.on('message', (m: GroupReply | { ready: true }) => {
        if ('ready' in m) {
          ready = worker === w;
          return;
        }
        const p = waiting.get(m.id);
        waiting.delete(m.id);
        if (waiting.size === 0) w.unref();
        if ('error' in m) p?.reject(new Error(m.error));
        else p?.resolve(m.results);
      });
      w.on('error', (e) => {
        deps.logger.error({ err: e }, "the ledger's group writer failed");
        if (worker === w) stop('error');
      });
      w.on('exit', () => {
        if (worker === w) stop('exit');
      });
    } catch (e) {
      deps.logger.error({ err: e }, "the ledger's group writer could not start; groups are written in-process");
      unavailable = true;
    } finally {
      starting = false;
    }
  }

  return {
    /** The group's answers from the writer thread, or null: then the caller writes it itself. */
    write(jobs: Job[], now: Date): Promise<Result<Created>[]> | null {
      const w = worker;
      if (!w || !ready) {
        if (!w && !starting && !unavailable && jobs.length >= startAt) void start();
        return null;
      }
      if (idle) clearTimeout(idle);
      idle = setTimeout(() => stop('idle'), idleMs);
      idle.unref();
      const id = nextId++;
      written += 1;
      // Referenced while a group is out, so that the process waits for its answers.
      w.ref();
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        w.postMessage({ id, now: now.getTime(), jobs } satisfies GroupRequest);
      });
    },
    /** Groups handed to the thread so far (for tests and metrics). */
    written: () => written,
    ready: () => ready,
    close: () => stop('closed'),
  };
}
export type GroupWriter = ReturnType<typeof groupWriter>;
