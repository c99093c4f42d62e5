import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { convert, decimalFraction } from './clearing.ts';

// The rounding of a payment across (docs/adr/0027-clearing-proven.md): amount × rate (or
// ÷ rate, paying the other way) on the rate's decimal as typed, exactly, rounded down.

/** A rate as someone types it: up to 9 significant digits, within the alliance range. */
const typedRate = fc
  .record({
    digits: fc.integer({ min: 1, max: 999_999_999 }),
    exp: fc.integer({ min: -14, max: 6 }),
  })
  .map(({ digits, exp }) => ({ digits: BigInt(digits), exp, rate: Number(`${digits}e${exp}`) }))
  .filter(({ rate }) => rate >= 1e-6 && rate <= 1e6);
const amount = fc.oneof(
  fc.integer({ min: 1, max: 1000 }),
  fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
);

/** The typed rate as a fraction, written independently of decimalFraction. */
const typed = ({ digits, exp }: { digits: bigint; exp: number }) =>
  exp >= 0
    ? { num: digits * 10n ** BigInt(exp), den: 1n }
    : { num: digits, den: 10n ** BigInt(-exp) };

describe('conversion at an alliance rate', () => {
  it('is the largest whole number not above amount × rate: no value created, less than one unit lost', () => {
    fc.assert(
      fc.property(typedRate, amount, fc.boolean(), (r, a, inverse) => {
        const { num, den } = typed(r);
        // A→B: got ≤ a × num/den < got + 1; B→A (÷ rate): got ≤ a × den/num < got + 1.
        const [top, bottom] = inverse ? [den, num] : [num, den];
        const exact = BigInt(a) * top;
        const converted = convert(a, { rate: r.rate, inverse });
        // Beyond safe integers a payment is refused (far over any trade limit), so only say so.
        if (exact / bottom > BigInt(Number.MAX_SAFE_INTEGER))
          return assert.ok(!Number.isSafeInteger(converted));
        const got = BigInt(converted);
        assert.ok(got * bottom <= exact, 'never more than the amount is worth');
        assert.ok(exact < (got + 1n) * bottom, 'less than one unit kept back');
      }),
      { numRuns: 2000 },
    );
  });

  it('reads the rate as its shortest decimal, whatever double it is', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1e6, noNaN: true }), (rate) => {
        const { num, den } = decimalFraction(rate);
        const scale = den.toString().length - 1;
        assert.equal(den, 10n ** BigInt(scale));
        assert.equal(Number(`${num}e-${scale}`), rate);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps exact products exact and never rounds up on long rates', () => {
    const cases: [number, number, boolean, number][] = [
      [100, 0.29, false, 29], // 100 × 0.29 is 28.999… in binary floating point
      [3, 2.5, false, 7],
      [5, 2.5, true, 2],
      [3, 3, true, 1], // 3 ÷ 3, where 3 × (1/3) in floating point is 0.999…
      [1, 0.9999999999999, false, 0], // a nudge of 1e-12 would have made it 1
      [7, 1e-6, true, 7_000_000],
      [1_000_000, 1e-6, false, 1],
      [999_999, 1e-6, false, 0],
      [Number.MAX_SAFE_INTEGER, 1, false, Number.MAX_SAFE_INTEGER],
    ];
    for (const [a, rate, inverse, want] of cases)
      assert.equal(convert(a, { rate, inverse }), want, `${a} ${inverse ? '÷' : '×'} ${rate}`);
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY])
      assert.throws(() => decimalFraction(bad), RangeError);
  });
});
