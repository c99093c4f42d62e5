// Warns while the proposal is written when a spend is more than the purse can pay. No I/O.
import type { Currency } from '../api/ledger.ts';
import { formatMoney, parseAmount } from '../ledger/money.ts';

export type PurseFunds = { balance: number; creditLimit: number; held: number };

/** What the purse can pay now: its balance less holds, plus what it may go below zero. */
export const available = (p: PurseFunds) => p.balance - p.held + p.creditLimit;

/** A sentence when the amount is more than the purse can pay, else null. */
export function spendWarning(
  amountText: string,
  currency: Currency | null,
  purse: PurseFunds | null | undefined,
): string | null {
  if (!currency || !purse) return null;
  const parsed = parseAmount(amountText, currency);
  if (!parsed.ok) return null;
  const can = available(purse);
  if (parsed.value <= can) return null;
  return can <= 0
    ? `The purse cannot pay anything now. If this passes while that is still so, the payment will fail.`
    : `The purse can pay at most ${formatMoney(can, currency)} now. If this passes while that is still so, the payment will fail.`;
}
