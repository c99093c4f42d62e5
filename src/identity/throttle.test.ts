import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  ADDRESS_WINDOW_MS,
  FIRST_DELAY_MS,
  FREE_FAILURES_PER_HANDLE,
  MAX_DELAY_MS,
  delayAfter,
  nextSignInAt,
  retryAfterSeconds,
} from './throttle.ts';

const now = new Date('2026-01-01T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);

describe('sign-in throttle rules', () => {
  it('lets the first failures pass, then doubles the wait from 5 s up to 15 min', () => {
    const delays = Array.from({ length: 16 }, (_, n) => delayAfter(n));
    assert.deepEqual(delays.slice(0, FREE_FAILURES_PER_HANDLE), [0, 0, 0, 0, 0]);
    assert.deepEqual(delays.slice(5, 9), [5_000, 10_000, 20_000, 40_000]);
    assert.equal(delays[15], MAX_DELAY_MS);
  });
  it('never shrinks the wait as failures grow, and never passes the cap', () => {
    fc.assert(
      fc.property(fc.nat(10_000), (n) => {
        assert.ok(delayAfter(n + 1) >= delayAfter(n));
        assert.ok(delayAfter(n) <= MAX_DELAY_MS);
      }),
    );
  });
  it('makes the next attempt wait from the latest failure, not lock the handle out', () => {
    const h = { handleFailures: 5, lastHandleFailure: ago(1_000), addressCeilingFailure: null };
    assert.equal(nextSignInAt(h, now).getTime(), now.getTime() + FIRST_DELAY_MS - 1_000);
    const waited = { ...h, lastHandleFailure: ago(FIRST_DELAY_MS) };
    assert.equal(nextSignInAt(waited, now).getTime(), now.getTime());
  });
  it('holds an address at its ceiling until its oldest counted failure leaves the window', () => {
    const h = { handleFailures: 0, lastHandleFailure: null, addressCeilingFailure: ago(60_000) };
    const until = nextSignInAt(h, now);
    assert.equal(until.getTime(), now.getTime() + ADDRESS_WINDOW_MS - 60_000);
    assert.equal(retryAfterSeconds(until, now), (ADDRESS_WINDOW_MS - 60_000) / 1000);
  });
  it('always sends a Retry-After of at least a second', () => {
    assert.equal(retryAfterSeconds(new Date(now.getTime() + 10), now), 1);
  });
});
