// Shared shapes of the decision methods' pure rules: what goes into a tally and what
// comes out. No I/O here; the service feeds ballots (with delegation weights) in.

export const METHODS = [
  'consent',
  'consensus',
  'majority',
  'ranked',
  'score',
  'allocation',
  'advice',
  'time',
] as const;
export type MethodName = (typeof METHODS)[number];

export type Outcome = 'passed' | 'rejected' | 'undecided';

/**
 * What a threshold is a share of: `cast`, the weight of votes cast that take a side
 * (abstentions left out); `eligible`, every eligible member (delegated weight included).
 */
export const THRESHOLD_BASES = ['cast', 'eligible'] as const;
export type ThresholdBasis = (typeof THRESHOLD_BASES)[number];

export type OutcomeReason =
  | 'open' // still open, and the remaining votes could change the result
  | 'quorum_not_met'
  | 'objected' // consent: at least one objection
  | 'blocked' // consensus: at least one block
  | 'threshold_not_met'
  | 'tied' // majority with a threshold below one half: two options share the top
  | 'no_votes' // nobody voted, or no option received anything
  | 'awaiting_author' // advice: closed, but the author has not decided yet
  | 'author_decided';

/** One ballot; `weight` is 1 plus the votes lent to this voter through delegation. */
export type Ballot<V> = { voter: string; weight: number; vote: V };

export type MethodSettings = {
  /** allocation: points each voter may hand out (default ALLOCATION_BUDGET). */
  budget?: number;
};

export type TallyInput<V> = {
  options: readonly string[];
  ballots: readonly Ballot<V>[];
  /** Members entitled to vote (the subject of a removal excluded). */
  eligible: number;
  /** Share 0..1 of `eligible` whose weight must be cast. */
  quorum: number;
  /** Null or absent: the method's default. */
  threshold?: number | null;
  /** Null or absent: the method's default (consensus counts eligible members, majority votes cast). */
  thresholdBasis?: ThresholdBasis | null;
  /** False while voting goes on: the outcome stays 'undecided' unless it can no longer change. */
  closed: boolean;
  settings?: MethodSettings;
  /** advice only: what the author decided after hearing the advice. */
  authorDecision?: 'passed' | 'rejected' | null;
};

export type CarriedVotes = { voter: string | null; weight: number };

/** Fields every tally has; all plain JSON. */
export type TallyCommon = {
  method: MethodName;
  outcome: Outcome;
  reason: OutcomeReason | null;
  closed: boolean;
  eligible: number;
  /** Votes cast, delegated ones included. */
  castWeight: number;
  ballotCount: number;
  quorum: number;
  quorumMet: boolean;
  threshold: number | null;
  /** What the threshold is a share of; null when the method takes no threshold. */
  thresholdBasis: ThresholdBasis | null;
  /** How many votes each ballot carried (1 + delegated), in ballot order. */
  carried: CarriedVotes[];
  /** Present on an advisory poll its author closed before the result was settled. */
  closedEarly?: true;
};

/**
 * Choice methods name the option(s) at the top, in option order, and one winner. A tie at
 * the top is broken by option order (the order the proposal listed them): deterministic
 * and visible to everyone before voting starts.
 */
export type ChoiceResult = { winners: string[]; winner: string | null };

export type OptionWeight = { option: string; weight: number };

// Shares are compared with a little slack so that 2/3 of 3 votes meets a threshold of 2/3.
const EPSILON = 1e-9;
export const atLeast = (part: number, whole: number, share: number): boolean =>
  part >= share * whole - EPSILON;
export const moreThan = (part: number, whole: number, share: number): boolean =>
  part > share * whole + EPSILON;

/** Quorum counts weight cast (abstentions included) against all eligible voters. */
export const quorumMet = (castWeight: number, eligible: number, quorum: number): boolean =>
  atLeast(castWeight, eligible, quorum);

const isCount = (n: number) => Number.isInteger(n) && n >= 0;

/**
 * Checks what the service hands in. A bad input here is a bug upstream (votes are
 * validated on the way in, weights come from resolveDelegation), so it throws.
 */
export function checkInput<V>(input: TallyInput<V>): { castWeight: number; remaining: number } {
  if (!isCount(input.eligible))
    throw new Error(`eligible must be a whole number, got ${input.eligible}`);
  if (!(input.quorum >= 0 && input.quorum <= 1))
    throw new Error(`quorum must be within 0..1, got ${input.quorum}`);
  const voters = new Set<string>();
  let castWeight = 0;
  for (const ballot of input.ballots) {
    if (!Number.isInteger(ballot.weight) || ballot.weight < 1)
      throw new Error(`ballot weight must be a whole number ≥ 1, got ${ballot.weight}`);
    if (voters.has(ballot.voter)) throw new Error(`two ballots from ${ballot.voter}`);
    voters.add(ballot.voter);
    castWeight += ballot.weight;
  }
  if (castWeight > input.eligible)
    throw new Error(`${castWeight} votes cast but only ${input.eligible} eligible`);
  return { castWeight, remaining: input.eligible - castWeight };
}

export function commonTally<V>(
  method: MethodName,
  input: TallyInput<V>,
  threshold: number | null,
  thresholdBasis: ThresholdBasis | null = null,
): TallyCommon {
  const { castWeight } = checkInput(input);
  return {
    method,
    outcome: 'undecided',
    reason: null,
    closed: input.closed,
    eligible: input.eligible,
    castWeight,
    ballotCount: input.ballots.length,
    quorum: input.quorum,
    quorumMet: quorumMet(castWeight, input.eligible, input.quorum),
    threshold,
    thresholdBasis,
    carried: input.ballots.map((b) => ({ voter: b.voter, weight: b.weight })),
  };
}

/** Weight per option, in option order. */
export function sumPerOption(
  options: readonly string[],
  add: (index: Map<string, number>, totals: number[]) => void,
): OptionWeight[] {
  const index = new Map(options.map((o, i) => [o, i]));
  const totals = options.map(() => 0);
  add(index, totals);
  return options.map((option, i) => ({ option, weight: totals[i] ?? 0 }));
}

/** The options sharing the highest positive weight, in option order. */
export function topOptions(counts: readonly OptionWeight[]): string[] {
  const top = Math.max(0, ...counts.map((c) => c.weight));
  return top > 0 ? counts.filter((c) => c.weight === top).map((c) => c.option) : [];
}

/** A stand-in voter for the not-yet-cast weight when probing whether a result can change. */
export const REMAINING_VOTER = '\u0000remaining';

export const sameResult = (
  a: { outcome: Outcome; winner?: string | null },
  b: { outcome: Outcome; winner?: string | null },
): boolean => a.outcome === b.outcome && (a.winner ?? null) === (b.winner ?? null);

/**
 * Whether the remaining weight could change the result, tried exhaustively over
 * `extremes`: each a vote that all the remaining weight casts at once. Sound for methods
 * whose result moves monotonically with each kind of vote (consent, consensus, majority,
 * advice), where some extreme is always the worst case; see each method for why.
 */
export function changesAtExtremes<V, T extends { outcome: Outcome; winner?: string | null }>(
  input: TallyInput<V>,
  decide: (input: TallyInput<V>) => T,
  extremes: readonly V[],
): boolean {
  const { remaining } = checkInput(input);
  if (remaining === 0) return false;
  const closed = { ...input, closed: true };
  const now = decide(closed);
  return extremes.some(
    (vote) =>
      !sameResult(
        now,
        decide({
          ...closed,
          ballots: [...input.ballots, { voter: REMAINING_VOTER, weight: remaining, vote }],
        }),
      ),
  );
}

/** While open, the outcome stays 'undecided' unless nothing left to cast could change it. */
export function settle<T extends TallyCommon>(
  final: T,
  closed: boolean,
  canStillChange: () => boolean,
): T {
  if (closed || !canStillChange()) return final;
  return { ...final, outcome: 'undecided', reason: 'open' };
}

/** For anonymous proposals: keeps how many votes each ballot carried, drops who cast it. */
export const withoutVoters = <T extends TallyCommon>(tally: T): T => ({
  ...tally,
  carried: tally.carried.map((c) => ({ voter: null, weight: c.weight })),
});

/**
 * For methods that add up points (score, allocation, time): whether the remaining weight,
 * each unit able to give at most `maxGainPerVote` to one option and nothing to the winner,
 * could change a passed result. No option can overtake, or tie and win by option order.
 */
export function pointsCanStillChange(
  final: { outcome: Outcome; winner: string | null; counts: readonly OptionWeight[] },
  remaining: number,
  maxGainPerVote: number,
): boolean {
  if (remaining === 0) return false;
  // A rejection (quorum not met, nothing given) can always turn into a pass.
  if (final.outcome !== 'passed' || final.winner === null) return true;
  const w = final.counts.findIndex((c) => c.option === final.winner);
  const lead = final.counts[w]!.weight;
  const gain = maxGainPerVote * remaining;
  return final.counts.some(
    (c, i) => i !== w && (lead - c.weight < gain || (lead - c.weight === gain && i < w)),
  );
}

/** Outcome of a points method: the top option wins once quorum is met. */
export function pointsVerdict(
  base: TallyCommon,
  winner: string | null,
): { outcome: Outcome; reason: OutcomeReason | null } {
  if (!base.quorumMet) return { outcome: 'rejected', reason: 'quorum_not_met' };
  if (winner === null) return { outcome: 'rejected', reason: 'no_votes' };
  return { outcome: 'passed', reason: null };
}
