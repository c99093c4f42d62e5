import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Currency } from '../api/ledger.ts';
import { spendWarning } from './spend-warning.ts';

const hours = {
  code: 'HRS',
  name: 'Hours',
  unit: 'hour',
  decimals: 0,
  defaultCreditLimit: 0,
  maxBalance: null,
  demurrageBasisPoints: 0,
} satisfies Currency;

describe('spendWarning', () => {
  const purse = { balance: 10, held: 2, creditLimit: 0 };

  it('is quiet while the purse can pay', () => {
    assert.equal(spendWarning('8', hours, purse), null);
  });

  it('warns at once when the amount is more than the purse can pay', () => {
    assert.equal(
      spendWarning('9', hours, purse),
      'The purse can pay at most 8 hours now. If this passes while that is still so, the payment will fail.',
    );
  });

  it('counts what the purse may go below zero', () => {
    assert.equal(spendWarning('12', hours, { ...purse, creditLimit: 5 }), null);
  });

  it('says so when the purse cannot pay anything', () => {
    assert.match(
      spendWarning('1', hours, { balance: 0, held: 0, creditLimit: 0 }) ?? '',
      /cannot pay anything/,
    );
  });

  it('leaves unreadable amounts and unknown purses to the other checks', () => {
    assert.equal(spendWarning('abc', hours, purse), null);
    assert.equal(spendWarning('99', hours, null), null);
  });
});
