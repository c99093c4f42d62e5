// Time poll: each voter marks the slots they can attend; the best-attended slot wins.
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
  type OptionWeight,
  type TallyCommon,
  type TallyInput,
} from '../method-shapes.ts';
import { checkOptionList, optionalReason, validateChoiceOptions } from './common.ts';

export type TimeVote = { available: string[]; reason?: string | undefined };
export type TimeTally = TallyCommon &
  ChoiceResult & {
    method: 'time';
    /** Votes available per slot. */
    counts: OptionWeight[];
  };

export const defaultThreshold = null;
export const defaultThresholdBasis = null;

export const validateOptions = (options: readonly string[] | undefined): Result<string[]> =>
  validateChoiceOptions(options);

/** An empty list is allowed: "none of these slots work for me". */
export function voteSchema(options: readonly string[]): z.ZodType<TimeVote> {
  const known = new Set(options);
  return z
    .object({ available: z.array(z.string()).max(1000), reason: optionalReason })
    .superRefine((vote, ctx) => checkOptionList(vote.available, known, 'available', ctx));
}

function decide(input: TallyInput<TimeVote>): TimeTally {
  const base = commonTally('time', input, null);
  const counts = sumPerOption(input.options, (index, sums) => {
    for (const b of input.ballots) {
      for (const slot of b.vote.available) {
        const i = index.get(slot);
        if (i === undefined) throw new Error(`availability for unknown slot ${slot}`);
        sums[i]! += b.weight;
      }
    }
  });
  const winners = topOptions(counts);
  const winner = winners[0] ?? null;
  return { ...base, ...pointsVerdict(base, winner), method: 'time', counts, winners, winner };
}

export function canStillChange(input: TallyInput<TimeVote>): boolean {
  const { remaining } = checkInput(input);
  return pointsCanStillChange(decide({ ...input, closed: true }), remaining, 1);
}

export const tally = (input: TallyInput<TimeVote>): TimeTally =>
  settle(decide(input), input.closed, () => canStillChange(input));
