import { yieldToEventLoop } from './discussions.ts';

/**
 * Heavy page reads (up to MAX_PAGE_BYTES read, serialised and encoded) take turns: at most
 * `size` run at once and each starts on a fresh turn of the event loop, so a crowd of readers
 * adds one read's slice of work per turn instead of all of theirs, and small requests such as
 * /healthz are answered in between. Beyond `maxWaiting` queued reads, callers are turned away.
 */
export class ReadPool {
  readonly size: number;
  readonly maxWaiting: number;
  #active = 0;
  #waiting: (() => void)[] = [];

  constructor(size = 1, maxWaiting = 256) {
    this.size = size;
    this.maxWaiting = maxWaiting;
  }

  get waiting(): number {
    return this.#waiting.length;
  }

  /** Runs `work` in its turn, or returns `busy` at once when too many are already waiting. */
  async run<T>(work: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false }> {
    if (this.#active >= this.size) {
      if (this.#waiting.length >= this.maxWaiting) return { ok: false };
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else this.#active += 1;
    try {
      await yieldToEventLoop();
      return { ok: true, value: await work() };
    } finally {
      // The slot passes straight to the next reader, which yields before it starts.
      const next = this.#waiting.shift();
      if (next) next();
      else this.#active -= 1;
    }
  }
}
