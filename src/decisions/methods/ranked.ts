// Ranked choice: the Schulze winner decides; the instant-runoff result is shown beside it.
// The pairwise matrix d and strongest paths p go into the tally so the web app can show them.
import { z } from 'zod';
import type { Result } from '../../shared/result.ts';
import {
  checkInput,
  commonTally,
  settle,
  type ChoiceResult,
  type TallyCommon,
  type TallyInput,
} from '../method-shapes.ts';
import { checkOptionList, optionalReason, validateChoiceOptions } from './common.ts';
import { instantRunoff, type IrvResult } from './irv.ts';
import { schulze, type IndexBallot } from './schulze.ts';

export type RankedVote = { ranking: string[]; reason?: string | undefined };
export type RankedTally = TallyCommon &
  ChoiceResult & {
    method: 'ranked';
    /** Row and column order of the matrices. */
    options: string[];
    /** pairwise[i][j]: votes preferring option i to option j. */
    pairwise: number[][];
    /** strongestPaths[i][j]: Schulze's strongest path from i to j (winning votes). */
    strongestPaths: number[][];
    /** All options by Schulze, best first: the tiers one after another. */
    order: string[];
    /** Options by Schulze in tiers, best first; the first tier holds all co-winners. A tier is a tie. */
    tiers: string[][];
    instantRunoff: IrvResult;
  };

export const defaultThreshold = null;
export const defaultThresholdBasis = null;

export const validateOptions = (options: readonly string[] | undefined): Result<string[]> =>
  validateChoiceOptions(options);

/** Best first; options left out count as ranked below every listed one. */
export function voteSchema(options: readonly string[]): z.ZodType<RankedVote> {
  const known = new Set(options);
  return z
    .object({
      ranking: z.array(z.string()).min(1, 'rank at least one option').max(1000),
      reason: optionalReason,
    })
    .superRefine((vote, ctx) => checkOptionList(vote.ranking, known, 'ranking', ctx));
}

function toIndexBallots(input: TallyInput<RankedVote>): IndexBallot[] {
  const index = new Map(input.options.map((o, i) => [o, i]));
  return input.ballots.map((b) => ({
    weight: b.weight,
    ranking: b.vote.ranking.map((o) => {
      const i = index.get(o);
      if (i === undefined) throw new Error(`ranking names unknown option ${o}`);
      return i;
    }),
  }));
}

function decide(input: TallyInput<RankedVote>): RankedTally {
  const base = commonTally('ranked', input, null);
  const ballots = toIndexBallots(input);
  const result = schulze(input.options.length, ballots);
  const winners = base.ballotCount === 0 ? [] : result.winners.map((i) => input.options[i]!);
  const winner = winners[0] ?? null;
  const verdict = !base.quorumMet
    ? ({ outcome: 'rejected', reason: 'quorum_not_met' } as const)
    : winner === null
      ? ({ outcome: 'rejected', reason: 'no_votes' } as const)
      : ({ outcome: 'passed', reason: null } as const);
  return {
    ...base,
    ...verdict,
    method: 'ranked',
    options: [...input.options],
    pairwise: result.d,
    strongestPaths: result.p,
    order: result.order.map((i) => input.options[i]!),
    tiers: result.tiers.map((tier) => tier.map((i) => input.options[i]!)),
    winners,
    winner,
    instantRunoff: instantRunoff(input.options, ballots),
  };
}

/**
 * Conservative: the Schulze winner is settled once it beats every rival head to head by
 * more than the weight still uncast (then it stays the Condorcet winner, whom Schulze
 * always picks). Anything else may still change. The instant-runoff figure is not
 * considered: it is shown, not decisive.
 */
export function canStillChange(input: TallyInput<RankedVote>): boolean {
  const { remaining } = checkInput(input);
  if (remaining === 0) return false;
  const now = decide({ ...input, closed: true });
  if (now.outcome !== 'passed' || now.winner === null) return true;
  const w = input.options.indexOf(now.winner);
  const d = now.pairwise;
  return input.options.some((_, o) => o !== w && d[w]![o]! - d[o]![w]! <= remaining);
}

export const tally = (input: TallyInput<RankedVote>): RankedTally =>
  settle(decide(input), input.closed, () => canStillChange(input));
