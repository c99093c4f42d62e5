// Sign-in and sign-up throttling rules, with no I/O (docs/adr/0010-account-security.md).

/** Wrong guesses against one handle that cost nothing; each one after them doubles the wait. */
export const FREE_FAILURES_PER_HANDLE = 5;
export const FIRST_DELAY_MS = 5_000;
export const MAX_DELAY_MS = 15 * 60_000;
/** Failures against a handle are forgotten after a day, or when its owner signs in after them. */
export const HANDLE_WINDOW_MS = 24 * 60 * 60_000;
/** One address may fail this many times in ADDRESS_WINDOW_MS, whatever the handles. */
export const MAX_FAILURES_PER_ADDRESS = 20;
export const ADDRESS_WINDOW_MS = 15 * 60_000;
export const SIGN_UP_WINDOW_MS = 60 * 60_000;

/** What the database knows about earlier failed (or still unsettled) attempts. */
export type SignInHistory = {
  /** Failures against the handle inside HANDLE_WINDOW_MS. */
  handleFailures: number;
  /** When the latest of them started. */
  lastHandleFailure: Date | null;
  /** Start of the MAX_FAILURES_PER_ADDRESS-th latest failure from the address, if there are that many. */
  addressCeilingFailure: Date | null;
};

/** The wait a handle's next attempt owes after `failures` failures: 0, then 5 s, 10 s, 20 s … 15 min. */
export function delayAfter(failures: number): number {
  if (failures < FREE_FAILURES_PER_HANDLE) return 0;
  const doublings = failures - FREE_FAILURES_PER_HANDLE;
  // 2^8 × 5 s already passes the cap; stop doubling before the number grows absurd.
  return Math.min(FIRST_DELAY_MS * 2 ** Math.min(doublings, 20), MAX_DELAY_MS);
}

/** When the next attempt may start: `now` or later. A later time means answer 429. */
export function nextSignInAt(h: SignInHistory, now: Date): Date {
  const times = [now.getTime()];
  if (h.lastHandleFailure) times.push(h.lastHandleFailure.getTime() + delayAfter(h.handleFailures));
  if (h.addressCeilingFailure) times.push(h.addressCeilingFailure.getTime() + ADDRESS_WINDOW_MS);
  return new Date(Math.max(...times));
}

/** Whole seconds until `until`, at least 1: the Retry-After a 429 sends. */
export const retryAfterSeconds = (until: Date, now: Date): number =>
  Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
