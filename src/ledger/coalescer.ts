import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Group commit: work that arrives while a group is being written waits and goes into the
 * next group, so that many single transfers share one transaction and one fsync. node:sqlite
 * runs a whole transaction without yielding to I/O, so each group starts on the next turn
 * of the event loop: requests already read by then join it, and a lone request waits for
 * one turn only. One group at a time: measured on PostgreSQL, four writers made smaller
 * groups, more statements per transfer and fewer transfers per second (ADR 0021).
 */
export function coalescer<J, R>(write: (jobs: J[]) => Promise<R[]>, maxGroup: number) {
  let queue: { job: J; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  let running: Promise<void> | null = null;

  async function drain(): Promise<void> {
    while (queue.length > 0) {
      await nextTurn();
      const group = queue.slice(0, maxGroup);
      queue = queue.slice(maxGroup);
      try {
        const results = await write(group.map((g) => g.job));
        group.forEach((g, i) => g.resolve(results[i]!));
      } catch (e) {
        for (const g of group) g.reject(e);
      }
    }
    running = null;
  }

  const submit = (job: J): Promise<R> =>
    new Promise<R>((resolve, reject) => {
      queue.push({ job, resolve, reject });
      running ??= drain();
    });

  /**
   * Resolves once nothing is queued or being written: a process that stops waits for this
   * before it closes the database, so queued work is answered instead of failing under it.
   */
  async function idle(): Promise<void> {
    while (running) await running;
  }

  return Object.assign(submit, { idle });
}
