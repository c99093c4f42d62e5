import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReadPool } from './read-pool.ts';

/** A promise with its resolver, so a test decides when a piece of work ends. */
const gate = () => {
  let open!: () => void;
  const done = new Promise<void>((resolve) => (open = resolve));
  return { done, open };
};

describe('ReadPool', () => {
  it('runs at most `size` works at once, in the order they came', async () => {
    const pool = new ReadPool(1, 10);
    const started: number[] = [];
    const gates = [gate(), gate(), gate()];
    const runs = gates.map((g, i) =>
      pool.run(async () => {
        started.push(i);
        await g.done;
        return i;
      }),
    );
    const waitFor = async (n: number) => {
      while (started.length < n) await new Promise((r) => setImmediate(r));
    };
    await waitFor(1);
    assert.equal(pool.waiting, 2);
    gates[0]!.open();
    await waitFor(2);
    assert.deepEqual(started, [0, 1]);
    gates[1]!.open();
    gates[2]!.open();
    assert.deepEqual(
      await Promise.all(runs),
      [0, 1, 2].map((value) => ({ ok: true, value })),
    );
    assert.equal(pool.waiting, 0);
  });

  it('turns callers away beyond maxWaiting, and frees the slot when a work throws', async () => {
    const pool = new ReadPool(1, 1);
    const g = gate();
    const first = pool.run(() => g.done);
    const second = pool.run(async () => 'second');
    assert.deepEqual(await pool.run(async () => 'third'), { ok: false });
    g.open();
    await first;
    assert.deepEqual(await second, { ok: true, value: 'second' });
    await assert.rejects(pool.run(() => Promise.reject(new Error('boom'))));
    assert.deepEqual(await pool.run(async () => 'after'), { ok: true, value: 'after' });
  });

  it('starts each work on a later turn of the event loop, never in the caller’s turn', async () => {
    const pool = new ReadPool(1, 10);
    let ran = false;
    const run = pool.run(async () => (ran = true));
    await Promise.resolve();
    await Promise.resolve();
    assert.equal(ran, false, 'not within the same turn');
    await run;
    assert.equal(ran, true);
  });
});
