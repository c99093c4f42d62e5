/**
 * What a payment across an alliance gives the payee, as the server computes it
 * (src/ledger/clearing.ts, ADR 0027): amount × rate on the rate's shortest decimal, exactly,
 * rounded down; from the alliance's other side, amount ÷ that rate.
 */

/** A positive rate as the exact fraction of its shortest decimal ("0.29" is 29/100). */
function decimalFraction(rate: number): { num: bigint; den: bigint } {
  const [mantissa = '0', exp = '0'] = String(rate).split('e');
  const [whole = '0', frac = ''] = mantissa.split('.');
  const shift = Number(exp) - frac.length;
  const digits = BigInt(whole + frac);
  return shift >= 0
    ? { num: digits * 10n ** BigInt(shift), den: 1n }
    : { num: digits, den: 10n ** BigInt(-shift) };
}

/** The shortest decimal whose inverse is exactly `rate`: the rate the other side typed. */
function typedInverse(rate: number): number | null {
  for (let digits = 1; digits <= 17; digits++) {
    const candidate = Number((1 / rate).toPrecision(digits));
    if (1 / candidate === rate) return candidate;
  }
  return null;
}

/**
 * Units of the partner's currency for `amount` of ours at `rate` (the alliance as our side
 * lists it). The alliance keeps the rate as its asker typed it, and the asked side lists its
 * inverse (1 / r). The typed rate is the shorter decimal (3, not 0.333…), so the conversion
 * runs on that: × when it is ours, ÷ when it is the partner's.
 */
export function convertAcross(amount: number, rate: number): number {
  if (!Number.isSafeInteger(amount) || amount <= 0 || !Number.isFinite(rate) || rate <= 0) return 0;
  const theirs = typedInverse(rate);
  const inverse = theirs !== null && String(theirs).length < String(rate).length;
  const { num, den } = decimalFraction(inverse && theirs !== null ? theirs : rate);
  const a = BigInt(amount);
  return Number(inverse ? (a * den) / num : (a * num) / den);
}

/** How much more our members may pay across before the trade limit: the limit less the balance. */
export const roomAcross = (a: { tradeLimit: number; balance: number }) =>
  Math.max(0, a.tradeLimit - a.balance);
