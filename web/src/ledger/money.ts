import type { Currency } from '../api/ledger.ts';

/** Amounts travel as integers in the smallest unit; people read and type them with decimals. */

const MINUS = '\u2212';

/** 150 with 2 decimals → "1.50"; −5 with 0 decimals → "−5" (a real minus sign). */
export function formatAmount(amount: number, decimals: number): string {
  const digits = String(Math.abs(amount)).padStart(decimals + 1, '0');
  const whole = decimals > 0 ? digits.slice(0, -decimals) : digits;
  const text = decimals > 0 ? `${whole}.${digits.slice(-decimals)}` : whole;
  return amount < 0 ? `${MINUS}${text}` : text;
}

/** "hour" → "hours"; units already plural, or written as a code, stay as they are. */
export const pluralUnit = (unit: string) => (/s$|[A-Z]$/.test(unit) ? unit : `${unit}s`);

/** "1 hour", "−20 hours", "1.50 hours". */
export function formatMoney(amount: number, currency: Pick<Currency, 'decimals' | 'unit'>): string {
  const one = amount === 10 ** currency.decimals;
  return `${formatAmount(amount, currency.decimals)} ${one ? currency.unit : pluralUnit(currency.unit)}`;
}

/** With a sign in front of gains too, for statements: "+5", "−3". */
export const formatChange = (amount: number, decimals: number) =>
  amount > 0 ? `+${formatAmount(amount, decimals)}` : formatAmount(amount, decimals);

export type Parsed = { ok: true; value: number } | { ok: false; message: string };

/**
 * "1.5" with 2 decimals → 150. Accepts a comma as the decimal mark too. Refuses signs,
 * more decimal places than the currency has, and amounts past the safe-integer range.
 */
export function parseAmount(
  text: string,
  currency: Pick<Currency, 'decimals' | 'unit'>,
  o: { allowZero?: boolean } = {},
): Parsed {
  const s = text.trim().replace(/\s/g, '');
  if (s === '') return { ok: false, message: 'Enter an amount.' };
  const m = /^(\d*)(?:[.,](\d*))?$/.exec(s);
  if (!m || (m[1] === '' && (m[2] ?? '') === ''))
    return {
      ok: false,
      message: `Enter a number of ${pluralUnit(currency.unit)}, such as 5${currency.decimals > 0 ? ` or 2.${'5'.padEnd(currency.decimals, '0')}` : ''}.`,
    };
  const whole = m[1] ?? '';
  const fraction = (m[2] ?? '').replace(/0+$/, '');
  if (fraction.length > currency.decimals) {
    return {
      ok: false,
      message:
        currency.decimals === 0
          ? `Use whole ${pluralUnit(currency.unit)}: this currency has no decimal places.`
          : `Use at most ${currency.decimals} decimal place${currency.decimals === 1 ? '' : 's'}.`,
    };
  }
  const digits = `${whole}${fraction.padEnd(currency.decimals, '0')}`.replace(/^0+(?=\d)/, '');
  const value = Number(digits);
  if (!Number.isSafeInteger(value)) return { ok: false, message: 'That amount is too large.' };
  if (value === 0 && !o.allowZero) return { ok: false, message: 'Enter an amount above zero.' };
  return { ok: true, value };
}

/** What an account may still pay: the balance above its floor, less what is held. */
export const room = (a: { balance: number; held: number; creditLimit: number }) =>
  Math.max(0, a.balance - a.held + a.creditLimit);
