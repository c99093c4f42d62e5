import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { convert } from '../../../src/ledger/clearing.service.ts';
import { convertAcross, roomAcross } from './clearing.ts';

describe('paying across an alliance, as the form previews it', () => {
  it('converts exactly as the server does, rounding down', () => {
    assert.equal(convertAcross(100, 0.29), 29);
    assert.equal(convertAcross(5, 2), 10);
    assert.equal(convertAcross(3, 0.5), 1);
    assert.equal(convertAcross(1, 0.5), 0);
    for (let i = 0; i < 2000; i++) {
      const amount = 1 + Math.floor(Math.random() * 100_000);
      const rate = Number((Math.random() * 10).toPrecision(1 + (i % 6))) || 1;
      assert.equal(convertAcross(amount, rate), convert(amount, rate), `${amount} × ${rate}`);
    }
  });

  it('leaves room up to the trade limit, counting what we already paid', () => {
    assert.equal(roomAcross({ tradeLimit: 100, balance: 0 }), 100);
    assert.equal(roomAcross({ tradeLimit: 100, balance: 30 }), 70);
    assert.equal(roomAcross({ tradeLimit: 100, balance: -30 }), 130);
    assert.equal(roomAcross({ tradeLimit: 100, balance: 100 }), 0);
  });
});
