import { CompiledQuery, type Selectable } from 'kysely';
import { preparedStatement, type Dialect } from '../db/database.ts';
import type { JobTable } from '../db/schema.ts';
import { newId } from '../shared/ids.ts';
import type { Job, NewJob } from './jobs.ts';
import type { Executor } from '../db/transaction.ts';

const toJob = (r: Selectable<JobTable>): Job => ({
  id: r.id,
  kind: r.kind,
  key: r.key,
  runAt: r.run_at,
  attempts: Number(r.attempts),
});

// PostgreSQL: one fixed text for any number of jobs, prepared once per connection (every
// publish with a background subscriber runs it).
const ENQUEUE_PG = preparedStatement(
  `insert into jobs (id, kind, key, run_at, status, attempts, locked_until, last_error, created_at, updated_at)
  select v.id, v.kind, v.key, v.run_at, 'queued', 0, null, null, $5, $5
  from unnest($1::text[], $2::text[], $3::text[], $4::text[]) as v(id, kind, key, run_at)
  on conflict (kind, key) do nothing`,
);

/** The queue table. Claiming and queueing are the dialect-specific parts. */
export function jobsRepository(db: Executor, dialect: Dialect) {
  /** Queues jobs in one statement; a kind and key already queued is left as it is. */
  async function enqueueAll(jobs: NewJob[], now: string): Promise<void> {
    if (jobs.length === 0) return;
    if (dialect === 'postgres') {
      await db.executeQuery(
        CompiledQuery.raw(ENQUEUE_PG, [
          jobs.map(() => newId()),
          jobs.map((j) => j.kind),
          jobs.map((j) => j.key),
          jobs.map((j) => j.runAt),
          now,
        ]),
      );
      return;
    }
    // Ten parameters a row: chunks stay under SQLite's 32,766.
    for (let i = 0; i < jobs.length; i += 2000) await enqueueChunk(jobs.slice(i, i + 2000), now);
  }
  async function enqueueChunk(jobs: NewJob[], now: string): Promise<void> {
    await db
      .insertInto('jobs')
      .values(
        jobs.map((job) => ({
          id: newId(),
          kind: job.kind,
          key: job.key,
          run_at: job.runAt,
          status: 'queued' as const,
          attempts: 0,
          locked_until: null,
          last_error: null,
          created_at: now,
          updated_at: now,
        })),
      )
      .onConflict((oc) => oc.columns(['kind', 'key']).doNothing())
      .execute();
  }

  return {
    /** Queues a job once: the same kind and key again changes nothing. */
    enqueue: (job: NewJob, now: string): Promise<void> => enqueueAll([job], now),
    enqueueAll,

    /**
     * Takes up to `limit` due jobs (queued and due, or claimed by a process whose lease ran
     * out) for this process. Call inside a transaction: on PostgreSQL the rows are locked
     * with SKIP LOCKED, so concurrent claimers take different jobs; on SQLite the
     * transaction itself is exclusive. `kind`: only queued jobs of that kind.
     */
    async claim(now: string, lockedUntil: string, limit: number, kind?: string): Promise<Job[]> {
      let due = db.selectFrom('jobs').select('id');
      // A kind's top-up takes queued jobs only, through jobs_due: the kind's index would walk
      // every job of the kind ever run. Jobs whose lease ran out come back in a plain claim.
      due =
        kind === undefined
          ? due.where((eb) =>
              eb.or([
                eb.and([eb('status', '=', 'queued'), eb('run_at', '<=', now)]),
                eb.and([eb('status', '=', 'running'), eb('locked_until', '<=', now)]),
              ]),
            )
          : due.where('status', '=', 'queued').where('run_at', '<=', now).where('kind', '=', kind);
      due = due.orderBy('run_at').limit(limit);
      if (dialect === 'postgres') due = due.forUpdate().skipLocked();
      const ids = (await due.execute()).map((r) => r.id);
      if (ids.length === 0) return [];
      const rows = await db
        .updateTable('jobs')
        .set((eb) => ({
          status: 'running',
          locked_until: lockedUntil,
          attempts: eb('attempts', '+', 1),
          updated_at: now,
        }))
        .where('id', 'in', ids)
        .returningAll()
        .execute();
      return rows.map(toJob).sort((a, b) => a.runAt.localeCompare(b.runAt));
    },

    async finish(id: string, now: string): Promise<void> {
      await db
        .updateTable('jobs')
        .set({ status: 'done', locked_until: null, updated_at: now })
        .where('id', '=', id)
        .execute();
    },

    /** Marks claimed jobs done in one statement (a batch, inside its transaction). */
    async finishAll(ids: string[], now: string): Promise<void> {
      if (ids.length === 0) return;
      await db
        .updateTable('jobs')
        .set({ status: 'done', locked_until: null, updated_at: now })
        .where('id', 'in', ids)
        .execute();
    },

    /** Back in the queue at `runAt` (a retry, or the next round of a recurring job). */
    async requeue(
      id: string,
      runAt: string,
      now: string,
      error: string | null,
      resetAttempts = false,
    ): Promise<void> {
      await db
        .updateTable('jobs')
        .set({
          status: 'queued',
          run_at: runAt,
          locked_until: null,
          last_error: error,
          updated_at: now,
          ...(resetAttempts ? { attempts: 0 } : {}),
        })
        .where('id', '=', id)
        .execute();
    },

    async giveUp(id: string, now: string, error: string): Promise<void> {
      await db
        .updateTable('jobs')
        .set({ status: 'failed', locked_until: null, last_error: error, updated_at: now })
        .where('id', '=', id)
        .execute();
    },

    async find(
      kind: string,
      key: string,
    ): Promise<(Job & { status: string; lastError: string | null }) | undefined> {
      const r = await db
        .selectFrom('jobs')
        .selectAll()
        .where('kind', '=', kind)
        .where('key', '=', key)
        .executeTakeFirst();
      return r && { ...toJob(r), status: r.status, lastError: r.last_error };
    },
  };
}
