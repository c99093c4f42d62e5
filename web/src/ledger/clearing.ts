/**
 * What a payment across an alliance gives the payee: `amount` × `rate` in the partner's
 * smallest unit, rounded down, as the server does (src/ledger/clearing.service.ts, ADR 0018).
 */
export function convertAcross(amount: number, rate: number): number {
  // The same relative nudge as the server: 100 × 0.29 lands just under 29 in binary.
  return Math.floor(amount * rate * (1 + 1e-12));
}

/** How much more our members may pay across before the trade limit: the limit less the balance. */
export const roomAcross = (a: { tradeLimit: number; balance: number }) =>
  Math.max(0, a.tradeLimit - a.balance);
