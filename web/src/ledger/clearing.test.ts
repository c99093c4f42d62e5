import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { convert } from '../../../src/ledger/clearing.ts';
import { convertAcross, roomAcross } from './clearing.ts';

// Run with: npx node --test web/src/ledger/clearing.test.ts
describe('paying across an alliance, as the form previews it', () => {
  it('rounds down on the rate as typed', () => {
    assert.equal(convertAcross(100, 0.29), 29);
    assert.equal(convertAcross(5, 2), 10);
    assert.equal(convertAcross(3, 0.5), 1);
    assert.equal(convertAcross(1, 0.5), 0);
    // The asked side lists 1/3 for a typed 3: 3 of ours are 1 of theirs, not 0.
    assert.equal(convertAcross(3, 1 / 3), 1);
  });

  it('gives what the server gives, from either side of the alliance', () => {
    // A rate as people type it: a few significant digits.
    const typed = fc
      .tuple(fc.integer({ min: 1, max: 999_999 }), fc.integer({ min: -6, max: 2 }))
      .map(([digits, exp]) => Number(`${digits}e${exp}`))
      .filter((r) => r >= 1e-6 && r <= 1e6);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), typed, (amount, rate) => {
        assert.equal(convertAcross(amount, rate), convert(amount, { rate, inverse: false }));
        assert.equal(convertAcross(amount, 1 / rate), convert(amount, { rate, inverse: true }));
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves room up to the trade limit, counting what we already paid', () => {
    assert.equal(roomAcross({ tradeLimit: 100, balance: 0 }), 100);
    assert.equal(roomAcross({ tradeLimit: 100, balance: 30 }), 70);
    assert.equal(roomAcross({ tradeLimit: 100, balance: -30 }), 130);
    assert.equal(roomAcross({ tradeLimit: 100, balance: 100 }), 0);
  });
});
