import type { Deps } from '../deps.ts';
import { jobsRepository } from './jobs.repository.ts';
import type { JobRegistry } from './registry.ts';
import {
  BATCH_CLAIM,
  CLAIM_BATCH,
  LEASE_MS,
  MAX_ATTEMPTS,
  RECURRING_KEY,
  later,
  retryDelayMs,
  type BatchHandler,
  type Job,
  type NewJob,
  type RecurringJob,
} from './jobs.ts';
import type { Executor } from '../db/transaction.ts';

/** Queues a job, inside the caller's transaction when given (a proposal and its closing job commit together). */
export function jobQueue(deps: Deps) {
  return {
    enqueue: (tx: Executor | undefined, job: NewJob) =>
      jobsRepository(tx ?? deps.db, deps.dialect).enqueue(job, deps.clock.now().toISOString()),
    find: (kind: string, key: string) => jobsRepository(deps.db, deps.dialect).find(kind, key),
  };
}
export type JobQueue = ReturnType<typeof jobQueue>;

/**
 * Runs due jobs: claims a batch in a short transaction, runs each (or, for kinds with a
 * batch handler, all of a kind together), records the result.
 * Several processes may run ticks at once; each job is claimed by one of them. Handlers
 * come from the registry the contexts filled in.
 */
export function jobRunner(deps: Deps, registry: JobRegistry) {
  const repo = () => jobsRepository(deps.db, deps.dialect);
  let ensured = false;

  /** Due jobs, CLAIM_BATCH of any kind; a full claim tops up its batch kinds to BATCH_CLAIM. */
  async function claim(): Promise<Job[]> {
    const at = deps.clock.now();
    const now = at.toISOString();
    const until = later(at, LEASE_MS);
    return deps.db.transaction().execute(async (tx) => {
      const repo = jobsRepository(tx, deps.dialect);
      const jobs = await repo.claim(now, until, CLAIM_BATCH);
      if (jobs.length < CLAIM_BATCH) return jobs;
      for (const kind of new Set(jobs.map((j) => j.kind))) {
        if (!registry.batchHandlerOf(kind)) continue;
        const held = jobs.filter((j) => j.kind === kind).length;
        jobs.push(...(await repo.claim(now, until, BATCH_CLAIM - held, kind)));
      }
      return jobs;
    });
  }

  async function run(job: Job): Promise<void> {
    const every = registry.recurringOf(job.kind);
    try {
      if (every) await every.run();
      else {
        const handle = registry.handlerOf(job.kind);
        if (!handle) throw new Error(`no handler for jobs of kind ${job.kind}`);
        await handle(job);
      }
      const at = deps.clock.now();
      if (every)
        await repo().requeue(job.id, later(at, every.everyMs), at.toISOString(), null, true);
      else await repo().finish(job.id, at.toISOString());
    } catch (e) {
      await failed(job, e, every);
    }
  }

  async function failed(job: Job, e: unknown, every?: RecurringJob): Promise<void> {
    const error = e instanceof Error ? e.message : String(e);
    deps.logger.error(
      { err: e, job: job.kind, key: job.key, attempts: job.attempts },
      'job failed',
    );
    const at = deps.clock.now();
    if (every)
      await repo().requeue(job.id, later(at, every.everyMs), at.toISOString(), error, true);
    else if (job.attempts >= MAX_ATTEMPTS) await repo().giveUp(job.id, at.toISOString(), error);
    else
      await repo().requeue(job.id, later(at, retryDelayMs(job.attempts)), at.toISOString(), error);
  }

  /**
   * A claim's jobs of one kind with a batch handler: all in one transaction that also marks
   * them done; after a throw, each alone, so that only the failing one waits for a retry.
   */
  async function runBatch(batch: BatchHandler, jobs: Job[]): Promise<void> {
    const together = (list: Job[]) =>
      deps.db.transaction().execute(async (tx) => {
        await batch(tx, list);
        await jobsRepository(tx, deps.dialect).finishAll(
          list.map((j) => j.id),
          deps.clock.now().toISOString(),
        );
      });
    if (jobs.length > 1) {
      try {
        return await together(jobs);
      } catch (e) {
        deps.logger.warn({ err: e, job: jobs[0]!.kind, jobs: jobs.length }, 'batch failed');
      }
    }
    for (const job of jobs) {
      try {
        await together([job]);
      } catch (e) {
        await failed(job, e);
      }
    }
  }

  /** A claim's jobs in claim order; those of a batch kind together, where the first of them stood. */
  async function runClaimed(jobs: Job[]): Promise<void> {
    const batched = new Set<string>();
    for (const job of jobs) {
      const batch = registry.batchHandlerOf(job.kind);
      if (!batch) await run(job);
      else if (!batched.has(job.kind)) {
        batched.add(job.kind);
        await runBatch(
          batch,
          jobs.filter((j) => j.kind === job.kind),
        );
      }
    }
  }

  /**
   * Runs everything due now, claim after claim while `going()` says so (a stopping process
   * finishes the claim in hand and leaves the rest to the next start); returns how many ran.
   */
  async function tick(going: () => boolean = () => true): Promise<number> {
    if (!ensured) {
      const now = deps.clock.now().toISOString();
      for (const r of registry.recurring())
        await repo().enqueue({ kind: r.kind, key: RECURRING_KEY, runAt: now }, now);
      ensured = true;
    }
    let total = 0;
    for (;;) {
      const jobs = await claim();
      await runClaimed(jobs);
      total += jobs.length;
      if (jobs.length < CLAIM_BATCH || !going()) return total;
    }
  }

  return {
    tick,
    /**
     * Ticks until nothing is due: jobs that queue more jobs (a subscriber publishing an
     * event) are followed through. For tests and the CLI; retries wait for their time.
     */
    async drain(maxRounds = 100): Promise<number> {
      let total = 0;
      for (let round = 0; round < maxRounds; round += 1) {
        const ran = await tick();
        if (ran === 0) return total;
        total += ran;
      }
      throw new Error(`jobs still due after ${maxRounds} rounds`);
    },
  };
}
export type JobRunner = ReturnType<typeof jobRunner>;
