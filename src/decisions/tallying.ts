// From stored ballots, members and delegations to a method's tally. Pure: the service
// loads the rows and hands them in.
import { resolveDelegation, type Delegation } from './delegation.ts';
import { methods, type Tally } from './methods/index.ts';
import type { PresentedTally, ProposalRecord } from './proposals.ts';
import { quorumMet, withoutVoters, type Ballot, type TallyInput } from './method-shapes.ts';

export type Voter = { id: string; handle: string };

/** What a tally needs besides the ballots; loaded once per commune for a whole list. */
export type CommuneVoters = { members: readonly Voter[]; delegations: readonly Delegation[] };

/**
 * Named ballots carry their voter; anonymous ones do not, and the receipts say only who
 * voted. Delegation cannot apply to anonymous ballots: weighting a delegate's ballot
 * would need to know which ballot is theirs.
 */
export type StoredBallots =
  | { anonymous: false; votes: readonly { voterId: string; vote: unknown }[] }
  | { anonymous: true; votes: readonly unknown[]; receipts: readonly string[] };

export type TallySubject = Pick<
  ProposalRecord,
  | 'method'
  | 'options'
  | 'quorum'
  | 'threshold'
  | 'thresholdBasis'
  | 'budget'
  | 'topic'
  | 'subjectId'
  | 'authorDecision'
>;

function inputFor(
  p: TallySubject,
  ballots: StoredBallots,
  voters: CommuneVoters,
  closed: boolean,
  delegate: boolean,
): TallyInput<unknown> {
  const eligibleIds = new Set(voters.members.map((m) => m.id).filter((id) => id !== p.subjectId));
  const common = {
    options: p.options,
    quorum: p.quorum,
    threshold: p.threshold,
    thresholdBasis: p.thresholdBasis,
    closed,
    settings: p.budget === null ? {} : { budget: p.budget },
    authorDecision: p.authorDecision,
  };
  if (ballots.anonymous) {
    // Someone who voted and then left still counts: their ballot cannot be told apart.
    for (const id of ballots.receipts) eligibleIds.add(id);
    const cast: Ballot<unknown>[] = ballots.votes.map((vote, i) => ({
      voter: `ballot ${i + 1}`,
      weight: 1,
      vote,
    }));
    return { ...common, ballots: cast, eligible: eligibleIds.size };
  }
  // Those who voted and left no longer count, like anyone else who left.
  const direct = ballots.votes.filter((v) => eligibleIds.has(v.voterId));
  const { eligible, weights } = resolveDelegation({
    members: voters.members.map((m) => m.id),
    delegations: delegate ? voters.delegations : [],
    topic: p.topic,
    directVoters: direct.map((v) => v.voterId),
    excluded: p.subjectId === null ? [] : [p.subjectId],
  });
  return {
    ...common,
    eligible,
    ballots: direct.map((v) => ({
      voter: v.voterId,
      weight: weights.get(v.voterId) ?? 1,
      vote: v.vote,
    })),
  };
}

export function tallyOf(
  p: TallySubject,
  ballots: StoredBallots,
  voters: CommuneVoters,
  closed: boolean,
): Tally {
  const tally = methods[p.method].tally(inputFor(p, ballots, voters, closed, true));
  return ballots.anonymous ? withoutVoters(tally) : tally;
}

/**
 * Whether the result could still change, counting every member who has not voted
 * themselves as able to vote: someone whose delegate voted may still vote directly and
 * override it, so delegated weight is never treated as final before the close.
 */
export const canStillChange = (
  p: TallySubject,
  ballots: StoredBallots,
  voters: CommuneVoters,
): boolean => methods[p.method].canStillChange(inputFor(p, ballots, voters, false, false));

/**
 * The tally shown while voting goes on: undecided until it is settled by votes (see
 * settledByVotes), so an objection that may yet be withdrawn is not shown as a rejection.
 */
export function liveTally(p: TallySubject, ballots: StoredBallots, voters: CommuneVoters): Tally {
  const tally = tallyOf(p, ballots, voters, false);
  return tally.outcome !== 'undecided' && !settledByVotes(p, ballots, voters)
    ? { ...tally, outcome: 'undecided', reason: 'open' }
    : tally;
}

/** Carried votes by handle instead of account id. */
export function presentTally(tally: Tally, voters: CommuneVoters): PresentedTally {
  const handleOf = new Map(voters.members.map((m) => [m.id, m.handle]));
  return {
    ...tally,
    carried: tally.carried.map((c) => ({
      voter: c.voter === null ? null : (handleOf.get(c.voter) ?? null),
      weight: c.weight,
    })),
  };
}

/** Where a member's vote goes on this proposal when they do not vote themselves (null: nowhere). */
export function delegateOf(
  p: TallySubject,
  ballots: StoredBallots,
  voters: CommuneVoters,
  memberId: string,
): string | null {
  if (ballots.anonymous) return null;
  const ids = voters.members.map((m) => m.id);
  const direct = ballots.votes.map((v) => v.voterId).filter((id) => id !== memberId);
  const { finalVoter } = resolveDelegation({
    members: ids,
    delegations: voters.delegations,
    topic: p.topic,
    directVoters: direct,
    excluded: p.subjectId === null ? [] : [p.subjectId],
  });
  const to = finalVoter.get(memberId);
  return to === undefined ? null : (voters.members.find((m) => m.id === to)?.handle ?? null);
}

/**
 * Where a proposal stands before its closing time: `settled` when no ballot that is still
 * possible could change the outcome (or winner) or whether quorum is met. See ADR 0008.
 */
export type Settlement = {
  settled: boolean;
  /** Eligible members who have not voted themselves: they may still vote. */
  notVoted: number;
  /** Of those, how many a delegate's ballot carries now: that weight can still move. */
  delegated: number;
  /** Whether the ballots still possible could change the outcome or the winner. */
  outcomeCanChange: boolean;
  /** Whether quorum, unmet by direct votes, could still be met (or lost, as delegations move). */
  quorumCanChange: boolean;
  /** advice: the author has not decided yet. */
  awaitingAuthor: boolean;
};

/**
 * Settled means: treating every eligible member who has not voted themselves as free to
 * cast any vote (their delegate's ballot does not bind them, and delegations can move), the
 * outcome and quorum cannot change. Named ballots can be changed while open, so a named
 * proposal settles only once every eligible member has voted themselves; anonymous ballots
 * are final, so the rest need only be unable to change the result. Advice waits for its
 * author, and for everyone's advice (the process is to hear them, not to outvote them).
 */
export function settlement(
  p: TallySubject,
  ballots: StoredBallots,
  voters: CommuneVoters,
): Settlement {
  const free = inputFor(p, ballots, voters, false, false);
  const direct = free.ballots.length;
  const notVoted = free.eligible - direct;
  const delegated = ballots.anonymous ? 0 : tallyOf(p, ballots, voters, false).castWeight - direct;
  const awaitingAuthor = p.method === 'advice' && p.authorDecision === null;
  const outcomeCanChange = !awaitingAuthor && methods[p.method].canStillChange(free);
  const quorumCanChange = notVoted > 0 && !quorumMet(direct, free.eligible, p.quorum);
  const everyoneVoted = notVoted === 0;
  const settled =
    !awaitingAuthor &&
    !outcomeCanChange &&
    !quorumCanChange &&
    (everyoneVoted || (ballots.anonymous && p.method !== 'advice'));
  return { settled, notVoted, delegated, outcomeCanChange, quorumCanChange, awaitingAuthor };
}

/**
 * A vote closes a proposal early only when its result is settled (see settlement), so an
 * early objection stays open to discussion and can be withdrawn ("voting again replaces
 * the earlier vote while open"), as in Loomio.
 */
export const settledByVotes = (
  p: TallySubject,
  ballots: StoredBallots,
  voters: CommuneVoters,
): boolean => settlement(p, ballots, voters).settled;
