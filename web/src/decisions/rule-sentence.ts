// A proposal's rule in one plain sentence: "needs 2/3 of all 12 members to agree, and no block".
import type { MethodName, ThresholdBasis } from '../api/decisions.ts';
import { percent } from './labels.ts';

export type RuleFacts = {
  method: MethodName;
  threshold: number | null;
  thresholdBasis: ThresholdBasis | null;
  quorum: number;
  /** A majority with the options yes/no is a motion: only "yes" passes it. */
  options?: readonly string[];
};

const EPSILON = 1e-9;

/** 0.5 → "half", 2/3 → "2/3", 0.75 → "3/4", 0.62 → "62%". */
export function shareWords(share: number): string {
  if (Math.abs(share - 0.5) < EPSILON) return 'half';
  for (let d = 3; d <= 12; d++) {
    const n = Math.round(share * d);
    if (n > 0 && n < d && Math.abs(share - n / d) < EPSILON) return `${n}/${d}`;
  }
  return percent(share);
}

const allMembers = (eligible: number | null) =>
  eligible === null ? 'all members' : eligible === 1 ? 'the one member' : `all ${eligible} members`;

/** Who counts: "all 12 members", or "the votes cast" / "those who take a side". */
const whole = (r: RuleFacts, eligible: number | null) =>
  r.thresholdBasis === 'eligible'
    ? allMembers(eligible)
    : r.method === 'consensus'
      ? 'those who take a side'
      : 'the votes cast';

const isMotion = (options: readonly string[] | undefined) =>
  options !== undefined &&
  options.length === 2 &&
  [...options]
    .map((o) => o.toLowerCase())
    .sort()
    .join() === 'no,yes';

function consensusWords(r: RuleFacts, eligible: number | null): string {
  const t = r.threshold ?? 0.75;
  const who = whole(r, eligible);
  if (t <= EPSILON) return 'needs someone to agree, and no block';
  if (t >= 1 - EPSILON)
    return r.thresholdBasis === 'eligible'
      ? `needs every one of ${who.replace(/^all /, 'the ')} to agree, and no block`
      : 'needs everyone who takes a side to agree, and no block';
  return `needs ${shareWords(t)} of ${who} to agree, and no block`;
}

function majorityWords(r: RuleFacts, eligible: number | null): string {
  const t = `more than ${shareWords(r.threshold ?? 0.5)} of ${whole(r, eligible)}`;
  return isMotion(r.options) ? `needs ${t} to vote yes` : `the winning option needs ${t}`;
}

const METHOD_WORDS: Record<Exclude<MethodName, 'consensus' | 'majority'>, string> = {
  consent: 'passes unless someone objects',
  advice: 'the author decides after hearing the advice',
  ranked: 'the option that beats every other head to head (Schulze) wins',
  score: 'the option with the highest total score wins',
  allocation: 'the option given the most points wins',
  time: 'the time slot the most members can make wins',
};

/** "with at least 6 of 12 members voting", or "" without a quorum. */
function quorumWords(quorum: number, eligible: number | null): string {
  if (quorum <= 0) return '';
  if (eligible === null) return `, with at least ${shareWords(quorum)} of the members voting`;
  const needed = Math.max(1, Math.ceil(quorum * eligible - EPSILON));
  return `, with at least ${needed} of ${eligible} members voting`;
}

/**
 * The rule a proposal is decided by, in words. `eligible` is how many members may vote
 * (from the tally); null when it is not known, e.g. while the results are hidden.
 */
export function ruleSentence(r: RuleFacts, eligible: number | null = null): string {
  const main =
    r.method === 'consensus'
      ? consensusWords(r, eligible)
      : r.method === 'majority'
        ? majorityWords(r, eligible)
        : METHOD_WORDS[r.method];
  return `${main}${quorumWords(r.quorum, eligible)}`;
}
