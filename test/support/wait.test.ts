import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { waitFor } from './wait.ts';

describe('waitFor', () => {
  it('returns the first truthy value, checking again until then', async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls >= 3 ? { calls } : null), { intervalMs: 1 });
    assert.deepEqual(value, { calls: 3 });
    assert.equal(calls, 3);
  });

  it('waits on promises and treats a throwing check as not yet', async () => {
    let calls = 0;
    const value = await waitFor(
      async () => {
        calls += 1;
        if (calls < 2) throw new Error('not ready');
        return 'ready';
      },
      { intervalMs: 1 },
    );
    assert.equal(value, 'ready');
  });

  it('does not wait when the condition already holds', async () => {
    let calls = 0;
    assert.equal(await waitFor(() => ++calls, { intervalMs: 60_000 }), 1);
  });

  it('times out with the message and the last thing seen', async () => {
    await assert.rejects(
      waitFor(() => 0, { timeoutMs: 30, intervalMs: 5, message: 'the answer' }),
      /timed out after 30 ms waiting for the answer \(last: 0\)/,
    );
    await assert.rejects(
      waitFor(
        () => {
          throw new Error('still down');
        },
        { timeoutMs: 10, intervalMs: 5 },
      ),
      /waiting for condition \(last: still down\)/,
    );
  });
});
