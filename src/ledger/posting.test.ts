import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { codeForField, derivedId, requestHash } from './ledger.ts';
import {
  demurrageCharge,
  leaveRefusal,
  post,
  releaseHold,
  reserve,
  settleHold,
  spendable,
  withinLimits,
  type AccountState,
} from './posting.ts';

const account = (id: string, over: Partial<AccountState> = {}): AccountState => ({
  id,
  kind: 'member',
  handle: id,
  ownerId: id,
  balance: 0,
  held: 0,
  creditLimit: 20,
  maxBalance: null,
  frozen: false,
  seq: 0,
  nextHoldExpiry: null,
  ...over,
});
const purse = () =>
  account('purse', { kind: 'purse', handle: 'purse', ownerId: null, creditLimit: 0 });

describe('posting rules', () => {
  it('moves an amount down to the floor and no further', () => {
    const a = account('a');
    const b = account('b');
    assert.ok(post(a, b, 20).ok);
    assert.deepEqual([a.balance, b.balance, a.seq, b.seq], [-20, 20, 1, 1]);
    const r = post(a, b, 1);
    assert.equal(!r.ok && r.error.code, 'credit_limit_exceeded');
    assert.deepEqual([a.balance, b.balance, a.seq], [-20, 20, 1], 'a refusal changes nothing');
  });

  it('counts holds against the limit; posting a hold keeps the room, voiding frees it', () => {
    const a = account('a', { creditLimit: 10 });
    const b = account('b');
    assert.ok(reserve(a, b, 8, '2030-01-01T00:00:10.000Z').ok);
    assert.equal(spendable(a), 2);
    assert.equal(post(a, b, 3).ok, false);
    assert.ok(settleHold(a, b, 8).ok);
    assert.deepEqual([a.balance, a.held, b.balance, spendable(a)], [-8, 0, 8, 2]);
    assert.ok(reserve(a, b, 2, '2030-01-01T00:00:05.000Z').ok);
    assert.equal(a.nextHoldExpiry, '2030-01-01T00:00:05.000Z', 'the earliest timeout is kept');
    releaseHold(a, 2);
    assert.equal(spendable(a), 2);
  });

  it('refuses self-payment, frozen accounts, the ceiling, and an empty purse', () => {
    const a = account('a');
    const code = (r: ReturnType<typeof post>) => (r.ok ? 'ok' : r.error.code);
    assert.equal(code(post(a, a, 1)), 'self_payment');
    assert.equal(code(post(a, account('f', { frozen: true }), 1)), 'payee_frozen');
    assert.equal(code(post(account('f', { frozen: true }), a, 1)), 'account_frozen');
    assert.equal(
      code(post(a, account('c', { maxBalance: 5, balance: 4 }), 2)),
      'max_balance_exceeded',
    );
    assert.equal(code(post(purse(), a, 1)), 'purse_insufficient_funds');
  });

  it('never breaks the sum or the limits, whatever the sequence (in memory)', () => {
    const move = fc.record({
      from: fc.nat(4),
      to: fc.nat(4),
      amount: fc.integer({ min: 1, max: 30 }),
      hold: fc.boolean(),
      settle: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(move, { maxLength: 60 }),
        fc.array(fc.integer({ min: 0, max: 25 }), { minLength: 4, maxLength: 4 }),
        (moves, limits) => {
          const accounts = [
            purse(),
            ...limits.map((l, i) =>
              account(`m${i}`, { creditLimit: l, maxBalance: i === 3 ? 40 : null }),
            ),
          ];
          const holds: { from: AccountState; to: AccountState; amount: number }[] = [];
          for (const m of moves) {
            const from = accounts[m.from]!;
            const to = accounts[m.to]!;
            if (m.hold) {
              if (reserve(from, to, m.amount, '2030-01-01T00:00:00.000Z').ok)
                holds.push({ from, to, amount: m.amount });
            } else if (m.settle && holds.length) {
              const h = holds.shift()!;
              if (!settleHold(h.from, h.to, h.amount).ok) releaseHold(h.from, h.amount);
            } else post(from, to, m.amount);
            assert.equal(
              accounts.reduce((n, a) => n + a.balance, 0),
              0,
            );
            assert.ok(accounts.every(withinLimits));
            assert.equal(
              accounts.reduce((n, a) => n + a.held, 0),
              holds.reduce((n, h) => n + h.amount, 0),
            );
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('charges demurrage on positive balances only, rounded down, within the floor', () => {
    assert.equal(demurrageCharge(account('a', { balance: 1999 }), 100), 19);
    assert.equal(demurrageCharge(account('a', { balance: -50 }), 100), 0);
    assert.equal(demurrageCharge(account('a', { balance: 100, frozen: true }), 100), 0);
    assert.equal(
      demurrageCharge(account('a', { balance: 100, held: 115, creditLimit: 20 }), 1000),
      5,
    );
    assert.equal(
      demurrageCharge(account('a', { balance: 2 ** 52 }), 1000),
      Math.floor(2 ** 52 / 10),
    );
    assert.equal(leaveRefusal(account('a', { balance: -1 })).ok, false);
    assert.equal(leaveRefusal(account('a', { balance: 0 })).ok, true);
  });
});

describe('ledger helpers', () => {
  it('hashes what a request means, including who pays', () => {
    const t = { to: 'bo', amount: 5, memo: 'x' };
    assert.equal(requestHash('c', 'p', t), requestHash('c', 'p', { ...t }));
    for (const other of [
      requestHash('c', 'q', t),
      requestHash('d', 'p', t),
      requestHash('c', 'p', { ...t, amount: 6 }),
      requestHash('c', 'p', { ...t, pending: true }),
    ]) {
      assert.notEqual(other, requestHash('c', 'p', t));
    }
  });

  it('derives stable version-8 UUIDs', () => {
    assert.equal(derivedId('a', 'b'), derivedId('a', 'b'));
    assert.notEqual(derivedId('a', 'b'), derivedId('ab'));
    assert.match(
      derivedId('x'),
      /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('names the field in the error code', () => {
    assert.equal(codeForField('amount'), 'invalid_amount');
    assert.equal(codeForField('transfers.3.id'), 'invalid_id');
    assert.equal(codeForField(undefined), 'invalid_input');
  });
});
