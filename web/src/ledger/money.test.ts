import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { formatAmount, formatMoney, parseAmount } from './money.ts';
import { balanceHistogram, balanceSteps, communeFlows, dayKey, niceWidth } from './series.ts';
import type { StatementLine } from '../api/ledger.ts';

// Run with: npx node --test web/src/ledger/money.test.ts
const hours = (decimals: number) => ({ decimals, unit: 'hour' });

describe('amounts in the smallest unit', () => {
  it('formats with the currency decimals and a real minus sign', () => {
    assert.equal(formatAmount(150, 2), '1.50');
    assert.equal(formatAmount(5, 2), '0.05');
    assert.equal(formatAmount(-20, 0), '\u221220');
    assert.equal(formatMoney(1, hours(0)), '1 hour');
    assert.equal(formatMoney(100, hours(2)), '1.00 hour');
    assert.equal(formatMoney(-150, hours(2)), '\u22121.50 hours');
  });

  it('parses what it formats, for any amount and any number of decimals', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 6 }), fc.maxSafeNat(), (decimals, n) => {
        const parsed = parseAmount(formatAmount(n, decimals), hours(decimals), { allowZero: true });
        assert.deepEqual(parsed, { ok: true, value: n });
      }),
    );
  });

  it('refuses more decimal places than the currency has, signs, and junk', () => {
    assert.deepEqual(parseAmount('1.50', hours(2)), { ok: true, value: 150 });
    assert.deepEqual(parseAmount('1,5', hours(2)), { ok: true, value: 150 });
    assert.deepEqual(parseAmount('2.0', hours(0)), { ok: true, value: 2 });
    for (const [text, d] of [
      ['1.5', 0],
      ['1.505', 2],
      ['-3', 0],
      ['abc', 2],
      ['', 0],
      ['.', 2],
      ['0', 0],
      ['1e3', 0],
      ['99999999999999999', 0],
    ] as const) {
      assert.equal(parseAmount(text, hours(d)).ok, false, `${text} with ${d} decimals`);
    }
    const r = parseAmount('1.5', hours(0));
    assert.ok(!r.ok && /whole hours/.test(r.message));
  });
});

describe('chart series', () => {
  it('bins every open member balance exactly once, in round widths', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ balance: fc.integer({ min: -100_000, max: 100_000 }), frozen: fc.boolean() }),
          { maxLength: 60 },
        ),
        (rows) => {
          const accounts = rows.map((r, i) => ({
            owner: `m${i}`,
            kind: 'member' as const,
            balance: r.balance,
            creditLimit: 0,
            held: 0,
            frozen: r.frozen,
          }));
          const bins = balanceHistogram(
            [
              ...accounts,
              {
                owner: 'purse',
                kind: 'purse' as const,
                balance: 7,
                creditLimit: 0,
                held: 0,
                frozen: false,
              },
            ],
            0,
          );
          const open = accounts.filter((a) => !a.frozen);
          assert.equal(
            bins.reduce((n, b) => n + b.count, 0),
            open.length,
          );
          for (const a of open)
            assert.equal(bins.filter((b) => a.balance >= b.from && a.balance < b.to).length, 1);
          for (const b of bins) assert.equal(niceWidth(b.to - b.from), b.to - b.from);
        },
      ),
    );
  });

  it('steps the balance through every posting and on to now', () => {
    const lines: StatementLine[] = [
      {
        seq: 2,
        at: '2025-01-02T10:00:00.000Z',
        transferId: 'b',
        counterparty: 'x',
        amount: -3,
        balance: 2,
        memo: '',
        code: 'payment',
      },
      {
        seq: 1,
        at: '2025-01-01T10:00:00.000Z',
        transferId: 'a',
        counterparty: 'x',
        amount: 5,
        balance: 5,
        memo: '',
        code: 'payment',
      },
    ];
    const now = new Date('2025-01-03T00:00:00.000Z');
    assert.deepEqual(
      balanceSteps(lines, 2, now).map((p) => p.y),
      [0, 5, 2, 2],
    );
  });

  it('sorts posted transfers into days and kinds, leaving out the rest', () => {
    const now = new Date(2025, 5, 30, 12);
    const at = new Date(2025, 5, 29, 9).toISOString();
    const old = new Date(2025, 0, 1).toISOString();
    const t = (
      from: string,
      to: string,
      amount: number,
      createdAt: string,
      status: 'posted' | 'pending' = 'posted',
    ) => ({
      id: `${from}${to}${amount}`,
      from,
      to,
      amount,
      memo: '',
      createdAt,
      status,
      code: 'payment' as const,
      timeoutAt: null,
      resolvedAt: null,
      reverses: null,
    });
    const flows = communeFlows(
      [
        t('a', 'b', 5, at),
        t('a', 'purse', 4, at),
        t('purse', 'b', 2, at),
        t('a', 'b', 9, at, 'pending'),
        t('a', 'b', 7, old),
      ],
      now,
    );
    const i = flows.days.indexOf(dayKey(new Date(at)));
    assert.equal(flows.days.length, 90);
    assert.deepEqual(
      [flows.series.between[i], flows.series.toPurse[i], flows.series.fromPurse[i]],
      [5, 4, 2],
    );
    assert.equal(
      flows.series.between.reduce((n, x) => n + x, 0),
      5,
    );
  });
});
