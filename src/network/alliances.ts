// Alliances between two communes, the pure rules: terms and their mirror, and what one
// commune's consent does to the pair. No I/O.
import type { AllianceStatus } from '../db/schema.network.ts';
import { MAX_CREDIT_LIMIT } from '../ledger/ledger.ts';

/** An offer as its commune sees it: `rate` units of the partner's currency per unit of ours. */
export type Terms = { tradeLimit: number; rate: number };

/** A pair as stored: `a` made the offer that stands (in its own terms), `b` was asked. */
export type Alliance = {
  id: string;
  a: string;
  b: string;
  status: AllianceStatus;
  tradeLimit: number;
  rate: number;
  requestedAt: string;
  activeSince: string | null;
  endedAt: string | null;
  endedBy: string | null;
};

/** The same terms seen from the partner: the limit in its currency, the rate inverted. */
export const mirrorTerms = (t: Terms): Terms => ({
  tradeLimit: Math.round(t.tradeLimit * t.rate),
  rate: 1 / t.rate,
});

const RATE_TOLERANCE = 1e-9;
/** Rates beyond a million to one (either way, through the limit's mirror) are typing mistakes. */
export const MAX_RATE = 1_000_000;

/** Whether `answer` (the asked commune's terms) accepts `offer` exactly, as its mirror. */
export function acceptsOffer(offer: Terms, answer: Terms): boolean {
  const m = mirrorTerms(offer);
  return (
    answer.tradeLimit === m.tradeLimit && Math.abs(answer.rate - m.rate) <= RATE_TOLERANCE * m.rate
  );
}

export type TermsProblem = 'invalid_rate' | 'invalid_trade_limit' | 'mirrored_limit_out_of_range';

/** Terms both sides can hold: a finite positive rate, a positive limit, a mirror that is one too. */
export function termsProblem(t: Terms): TermsProblem | null {
  if (!Number.isFinite(t.rate) || t.rate < 1 / MAX_RATE || t.rate > MAX_RATE) return 'invalid_rate';
  if (!Number.isSafeInteger(t.tradeLimit) || t.tradeLimit <= 0 || t.tradeLimit > MAX_CREDIT_LIMIT)
    return 'invalid_trade_limit';
  const m = mirrorTerms(t).tradeLimit;
  return m >= 1 && m <= MAX_CREDIT_LIMIT ? null : 'mirrored_limit_out_of_range';
}

/** The pair two communes have now: the latest one that has not ended. */
export const standing = (pairs: readonly Alliance[]): Alliance | undefined =>
  pairs.find((p) => p.status !== 'ended');

/** Whether `communeId` may propose to form an alliance with `partnerId`, given their pair. */
export function formRefusal(
  communeId: string,
  pair: Alliance | undefined,
): 'already_allied' | 'alliance_already_requested' | null {
  if (!pair) return null;
  if (pair.status === 'active') return 'already_allied';
  // Asked by the partner: an answer (or a counter-offer) is welcome; asking twice is not.
  return pair.a === communeId ? 'alliance_already_requested' : null;
}

/** What one commune's passed consent does to the pair. */
export type Step =
  | { kind: 'request'; terms: Terms }
  | { kind: 'counter'; terms: Terms }
  | { kind: 'form' }
  | { kind: 'end' }
  | { kind: 'nothing' }
  | { kind: 'refuse'; code: 'already_allied' | 'alliance_already_requested' };

export function stepOf(
  communeId: string,
  pair: Alliance | undefined,
  consent: { kind: 'form' | 'end'; terms: Terms | null },
): Step {
  if (consent.kind === 'end') return pair ? { kind: 'end' } : { kind: 'nothing' };
  const terms = consent.terms!;
  const refusal = formRefusal(communeId, pair);
  if (refusal) return { kind: 'refuse', code: refusal };
  if (!pair) return { kind: 'request', terms };
  return acceptsOffer(pair, terms) ? { kind: 'form' } : { kind: 'counter', terms };
}

/** The partner of `communeId` in a pair. */
export const partnerIn = (p: Alliance, communeId: string): string =>
  p.a === communeId ? p.b : p.a;

/** The pair's terms as `communeId` sees them. */
export const termsFor = (p: Alliance, communeId: string): Terms =>
  p.a === communeId ? { tradeLimit: p.tradeLimit, rate: p.rate } : mirrorTerms(p);
