import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Group commit: work that arrives while a group is being written waits and goes into the
 * next group, so that many single transfers share one transaction and one fsync. node:sqlite
 * runs a whole transaction without yielding to I/O, so each group starts on the next turn
 * of the event loop: requests already read by then join it, and a lone request waits for
 * one turn only.
 */
export function coalescer<J, R>(write: (jobs: J[]) => Promise<R[]>, maxGroup: number) {
  let queue: { job: J; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  let running = false;

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
    running = false;
  }

  return (job: J): Promise<R> =>
    new Promise<R>((resolve, reject) => {
      queue.push({ job, resolve, reject });
      if (!running) {
        running = true;
        void drain();
      }
    });
}
