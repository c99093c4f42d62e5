// Score voting: each voter gives every option 0–5; the highest total wins. Options a voter
// leaves out score 0 from them, so averages are over all votes cast.
import { z } from 'zod';
import type { Result } from '../../shared/result.ts';
import {
  checkInput,
  commonTally,
  pointsCanStillChange,
  pointsVerdict,
  settle,
  sumPerOption,
  topOptions,
  type ChoiceResult,
  type TallyCommon,
  type TallyInput,
} from '../method-shapes.ts';
import { checkOptionKeys, optionalReason, validateChoiceOptions } from './common.ts';

export const MAX_SCORE = 5;

export type ScoreVote = { scores: Record<string, number>; reason?: string | undefined };
export type ScoreTally = TallyCommon &
  ChoiceResult & {
    method: 'score';
    /** weight: total score (each ballot's scores times its weight); average: total / votes cast. */
    counts: { option: string; weight: number; average: number }[];
  };

export const defaultThreshold = null;
export const defaultThresholdBasis = null;

export const validateOptions = (options: readonly string[] | undefined): Result<string[]> =>
  validateChoiceOptions(options);

export function voteSchema(options: readonly string[]): z.ZodType<ScoreVote> {
  const known = new Set(options);
  const score = z
    .number()
    .int(`scores are whole numbers 0–${MAX_SCORE}`)
    .min(0, `scores are 0–${MAX_SCORE}`)
    .max(MAX_SCORE, `scores are 0–${MAX_SCORE}`);
  return z
    .object({ scores: z.record(z.string(), score), reason: optionalReason })
    .superRefine((vote, ctx) => checkOptionKeys(vote.scores, known, 'scores', ctx));
}

function decide(input: TallyInput<ScoreVote>): ScoreTally {
  const base = commonTally('score', input, null);
  const totals = sumPerOption(input.options, (index, sums) => {
    for (const b of input.ballots) {
      for (const [option, score] of Object.entries(b.vote.scores)) {
        const i = index.get(option);
        if (i === undefined) throw new Error(`score for unknown option ${option}`);
        sums[i]! += score * b.weight;
      }
    }
  });
  const counts = totals.map((t) => ({
    ...t,
    average: base.castWeight === 0 ? 0 : t.weight / base.castWeight,
  }));
  const winners = topOptions(totals);
  const winner = winners[0] ?? null;
  return { ...base, ...pointsVerdict(base, winner), method: 'score', counts, winners, winner };
}

export function canStillChange(input: TallyInput<ScoreVote>): boolean {
  const { remaining } = checkInput(input);
  return pointsCanStillChange(decide({ ...input, closed: true }), remaining, MAX_SCORE);
}

export const tally = (input: TallyInput<ScoreVote>): ScoreTally =>
  settle(decide(input), input.closed, () => canStillChange(input));
