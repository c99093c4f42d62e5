import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashingPool } from './hashing-pool.ts';

/** Work that ends only when the test says so. */
const gate = () => {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, work: () => opened };
};

describe('hashing pool', () => {
  it('runs two at once, queues a few, refuses the rest at once', async () => {
    const pool = hashingPool({ concurrency: 2, queue: 3 });
    const g = gate();
    let started = 0;
    const runs = Array.from({ length: 8 }, () =>
      pool.run(async () => {
        started += 1;
        await g.work();
      }),
    );
    assert.equal(runs.filter((r) => r === null).length, 3);
    assert.deepEqual(pool.load(), { running: 2, waiting: 3 });
    assert.equal(started, 2);
    g.open();
    await Promise.all(runs);
    assert.equal(started, 5);
    assert.deepEqual(pool.load(), { running: 0, waiting: 0 });
  });
  it('frees the slot when work fails', async () => {
    const pool = hashingPool({ concurrency: 1, queue: 0 });
    await assert.rejects(pool.run(() => Promise.reject(new Error('boom')))!);
    assert.equal(await pool.run(async () => 7), 7);
  });
});
