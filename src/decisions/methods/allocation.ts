// Allocation (dot voting): each voter hands out up to a budget of points among the options;
// the option with most points wins.
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
  type MethodSettings,
  type OptionWeight,
  type TallyCommon,
  type TallyInput,
} from '../method-shapes.ts';
import { checkOptionKeys, optionalReason, validateChoiceOptions } from './common.ts';

export const ALLOCATION_BUDGET = 10;
export const MAX_ALLOCATION_BUDGET = 1000;

export type AllocationVote = { allocation: Record<string, number>; reason?: string | undefined };
export type AllocationTally = TallyCommon &
  ChoiceResult & {
    method: 'allocation';
    budget: number;
    /** Points per option, each ballot's points times its weight. */
    counts: OptionWeight[];
  };

export const defaultThreshold = null;
export const defaultThresholdBasis = null;

export const budgetOf = (settings: MethodSettings | undefined): number =>
  settings?.budget ?? ALLOCATION_BUDGET;

export const validateOptions = (options: readonly string[] | undefined): Result<string[]> =>
  validateChoiceOptions(options);

export function voteSchema(
  options: readonly string[],
  settings?: MethodSettings,
): z.ZodType<AllocationVote> {
  const known = new Set(options);
  const budget = budgetOf(settings);
  return z
    .object({
      allocation: z.record(
        z.string(),
        z.number().int('points are whole numbers').min(0, 'points cannot be negative'),
      ),
      reason: optionalReason,
    })
    .superRefine((vote, ctx) => {
      checkOptionKeys(vote.allocation, known, 'allocation', ctx);
      const spent = Object.values(vote.allocation).reduce((sum, points) => sum + points, 0);
      if (spent > budget)
        ctx.addIssue({
          code: 'custom',
          path: ['allocation'],
          message: `${spent} points is over the budget of ${budget}`,
        });
    });
}

function decide(input: TallyInput<AllocationVote>): AllocationTally {
  const base = commonTally('allocation', input, null);
  const counts = sumPerOption(input.options, (index, sums) => {
    for (const b of input.ballots) {
      for (const [option, points] of Object.entries(b.vote.allocation)) {
        const i = index.get(option);
        if (i === undefined) throw new Error(`points for unknown option ${option}`);
        sums[i]! += points * b.weight;
      }
    }
  });
  const winners = topOptions(counts);
  const winner = winners[0] ?? null;
  return {
    ...base,
    ...pointsVerdict(base, winner),
    method: 'allocation',
    budget: budgetOf(input.settings),
    counts,
    winners,
    winner,
  };
}

export function canStillChange(input: TallyInput<AllocationVote>): boolean {
  const { remaining } = checkInput(input);
  return pointsCanStillChange(
    decide({ ...input, closed: true }),
    remaining,
    budgetOf(input.settings),
  );
}

export const tally = (input: TallyInput<AllocationVote>): AllocationTally =>
  settle(decide(input), input.closed, () => canStillChange(input));
