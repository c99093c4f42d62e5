import type { BatchHandler, JobHandler, RecurringJob } from './jobs.ts';

/**
 * What the runner runs, filled in by the contexts (decisions registers its closing, the
 * ledger its sweeps, the event bus one kind per background subscriber). The runner itself
 * knows no context: it looks handlers up here by kind when a job comes due.
 */
export function jobRegistry() {
  const handlers = new Map<string, JobHandler>();
  const batches = new Map<string, BatchHandler>();
  const recurring = new Map<string, RecurringJob>();
  const taken = (kind: string) => {
    if (handlers.has(kind) || recurring.has(kind))
      throw new Error(`a job of kind ${kind} is registered already`);
  };
  const registry = {
    /**
     * One-off jobs of `kind` (queued with JobQueue.enqueue) are run by `handler`; with
     * `batch`, the runner hands it all the jobs of `kind` one claim holds instead.
     */
    handle(kind: string, handler: JobHandler, batch?: BatchHandler) {
      taken(kind);
      handlers.set(kind, handler);
      if (batch) batches.set(kind, batch);
      return registry;
    },
    /** Work repeated every `everyMs`, by one process at a time. */
    every(job: RecurringJob) {
      taken(job.kind);
      recurring.set(job.kind, job);
      return registry;
    },
    handlerOf: (kind: string): JobHandler | undefined => handlers.get(kind),
    batchHandlerOf: (kind: string): BatchHandler | undefined => batches.get(kind),
    recurringOf: (kind: string): RecurringJob | undefined => recurring.get(kind),
    recurring: (): RecurringJob[] => [...recurring.values()],
  };
  return registry;
}
export type JobRegistry = ReturnType<typeof jobRegistry>;
