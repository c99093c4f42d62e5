/** How much password hashing one process runs at once, and how much may wait for it. */
export type HashingLimits = { concurrency: number; queue: number };

// scrypt at OWASP's cost takes ~64 MB and a core for a few hundred ms: two at once keep a
// 2-core machine answering, and a short queue bounds both memory and the wait.
export const DEFAULT_HASHING_LIMITS: HashingLimits = { concurrency: 2, queue: 8 };

/**
 * A small pool for password hashing. `run` starts the work when a slot is free, or queues it;
 * when the queue is full it returns null at once, so the caller can answer 429 instead of waiting.
 */
export function hashingPool(limits: HashingLimits = DEFAULT_HASHING_LIMITS) {
  let running = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    const next = waiting.shift();
    // The slot passes straight to the next in line, so `running` does not change.
    if (next) next();
    else running -= 1;
  };
  return {
    run<T>(work: () => Promise<T>): Promise<T> | null {
      if (running >= limits.concurrency && waiting.length >= limits.queue) return null;
      const start = async () => {
        try {
          return await work();
        } finally {
          release();
        }
      };
      if (running < limits.concurrency) {
        running += 1;
        return start();
      }
      return new Promise<void>((resolve) => waiting.push(resolve)).then(start);
    },
    /** For tests and metrics: work running and waiting now. */
    load: () => ({ running, waiting: waiting.length }),
  };
}
export type HashingPool = ReturnType<typeof hashingPool>;
