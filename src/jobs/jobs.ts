// The job queue's words, no I/O. A job is one row of the `jobs` table: a kind, a key that
// makes it unique (a proposal id, or "recurring"), and when it is due. Processes claim due
// rows for a lease; a job whose process died is claimed again once its lease runs out, so
// every handler must be safe to run twice (closing a proposal is: it closes only if open).
import type { Executor } from '../db/transaction.ts';

export type Job = { id: string; kind: string; key: string; runAt: string; attempts: number };

export type NewJob = { kind: string; key: string; runAt: string };

/** One-off work: throw to have it retried later. */
export type JobHandler = (job: Job) => Promise<void>;

/**
 * The same work for several claimed jobs of one kind, in the runner's transaction, which
 * also marks them done: one commit for all of them. A throw rolls all of them back, and the
 * runner then runs each on its own (through this, with one job), so one bad job is retried
 * alone while the rest are done.
 */
export type BatchHandler = (tx: Executor, jobs: Job[]) => Promise<void>;

/** Work that repeats every `everyMs`, run by one process at a time. */
export type RecurringJob = { kind: string; everyMs: number; run: () => Promise<void> };

export const RECURRING_KEY = 'recurring';
/** A claimed job is another process's to take over after this long. */
export const LEASE_MS = 5 * 60_000;
export const MAX_ATTEMPTS = 8;
export const CLAIM_BATCH = 50;
/**
 * A full claim takes up to this many due jobs of each kind it holds that has a batch
 * handler: they share one transaction, so a backlog of deliveries costs one commit per this
 * many instead of per CLAIM_BATCH (commits dominated draining 8,190 transfers' notifications
 * on SQLite). Other kinds stay at CLAIM_BATCH: one slow job each must not outlive the lease.
 */
export const BATCH_CLAIM = 500;

/** Retries wait 2, 4, 8 … seconds, at most ten minutes. */
export const retryDelayMs = (attempts: number): number =>
  Math.min(600_000, 1000 * 2 ** Math.max(1, attempts));

export const later = (at: Date, ms: number): string => new Date(at.getTime() + ms).toISOString();
