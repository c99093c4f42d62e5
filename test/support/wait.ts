import { setTimeout as pause } from 'node:timers/promises';

type Truthy<T> = Exclude<T, false | null | undefined | 0 | ''>;

export type WaitOptions = {
  /** Give up after this long; generous, since the suite runs on a loaded machine. */
  timeoutMs?: number;
  /** Pause between two checks. */
  intervalMs?: number;
  /** Said when the wait times out, with the last value or error seen. */
  message?: string;
};

/**
 * Polls `condition` until it returns a truthy value, and returns that value. A check that
 * throws counts as "not yet". Tests synchronise with this, never with a fixed sleep: the
 * wait ends as soon as the state is there, and a slow machine only makes it longer.
 */
export async function waitFor<T>(
  condition: () => T | Promise<T>,
  { timeoutMs = 30_000, intervalMs = 20, message = 'condition' }: WaitOptions = {},
): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value) return value as Truthy<T>;
      last = value;
    } catch (e) {
      last = e;
    }
    if (Date.now() >= deadline) {
      const seen = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${message} (last: ${seen})`);
    }
    await pause(intervalMs);
  }
}
