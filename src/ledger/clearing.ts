// Conversion at an alliance's rate (docs/adr/0027-clearing-proven.md). Pure rules, no I/O.

/** A positive rate as an exact fraction of its decimal, the shortest that reads back as the number. */
export function decimalFraction(rate: number): { num: bigint; den: bigint } {
  if (!Number.isFinite(rate) || rate <= 0) throw new RangeError(`not a positive rate: ${rate}`);
  // String() gives that shortest decimal: "0.29", "1e-7", "1.5e+21".
  const [mantissa, exp = '0'] = String(rate).split('e');
  const [whole, frac = ''] = mantissa!.split('.');
  const shift = Number(exp) - frac.length;
  const digits = BigInt(whole! + frac);
  return shift >= 0
    ? { num: digits * 10n ** BigInt(shift), den: 1n }
    : { num: digits, den: 10n ** BigInt(-shift) };
}

/**
 * How an alliance converts, seen from the paying commune: `rate` is the alliance's stored
 * rate (units of its B's currency for one of its A's, the standing offer as typed);
 * `inverse` when the payer is B, so the amount is divided by it.
 */
export type Conversion = { rate: number; inverse: boolean };

/**
 * Units of the payee's currency for `amount` of the payer's: amount × rate (or ÷ rate) on the
 * rate's decimal, exactly, rounded down. The payee never gets more than the amount is worth.
 */
export function convert(amount: number, c: Conversion): number {
  const { num, den } = decimalFraction(c.rate);
  const a = BigInt(amount);
  return Number(c.inverse ? (a * den) / num : (a * num) / den);
}
