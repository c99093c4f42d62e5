// Majority: one choice per voter; an option wins with more than `threshold` of the votes
// cast (default: more than half), or of all eligible members with the basis `eligible`. With the options yes/no (the default) it is a motion:
// it passes only when "yes" wins. With other options it passes when any option wins.
import { z } from 'zod';
import { ok, type Result } from '../../shared/result.ts';
import {
  changesAtExtremes,
  commonTally,
  moreThan,
  settle,
  sumPerOption,
  topOptions,
  type ChoiceResult,
  type OptionWeight,
  type TallyCommon,
  type TallyInput,
  type ThresholdBasis,
} from '../method-shapes.ts';
import { optionName, optionalReason, validateChoiceOptions } from './common.ts';

export type MajorityVote = { choice: string; reason?: string | undefined };
export type MajorityTally = TallyCommon &
  ChoiceResult & {
    method: 'majority';
    counts: OptionWeight[];
    /** True when the options are yes/no: only "yes" passes it. */
    motion: boolean;
  };

export const MOTION_OPTIONS = ['yes', 'no'] as const;
export const defaultThreshold = 0.5;
export const defaultThresholdBasis: ThresholdBasis = 'cast';

// Any capitalisation and order of yes/no is a motion: "No" winning must never pass it.
const isYes = (option: string) => option.toLowerCase() === 'yes';
const isMotion = (options: readonly string[]) =>
  options.length === 2 && options.some(isYes) && options.some((o) => o.toLowerCase() === 'no');

/** No options means a yes/no motion. */
export function validateOptions(options: readonly string[] | undefined): Result<string[]> {
  if (options === undefined || options.length === 0) return ok([...MOTION_OPTIONS]);
  return validateChoiceOptions(options);
}

export const voteSchema = (options: readonly string[]): z.ZodType<MajorityVote> =>
  z.object({ choice: optionName(new Set(options)), reason: optionalReason });

function decide(input: TallyInput<MajorityVote>): MajorityTally {
  const threshold = input.threshold ?? defaultThreshold;
  const basis = input.thresholdBasis ?? defaultThresholdBasis;
  const base = commonTally('majority', input, threshold, basis);
  const whole = basis === 'eligible' ? input.eligible : base.castWeight;
  const counts = sumPerOption(input.options, (index, totals) => {
    for (const b of input.ballots) {
      const i = index.get(b.vote.choice);
      if (i === undefined) throw new Error(`vote for unknown option ${b.vote.choice}`);
      totals[i]! += b.weight;
    }
  });
  const winners = topOptions(counts);
  const top = winners[0];
  const leader =
    top !== undefined && moreThan(counts.find((c) => c.option === top)!.weight, whole, threshold)
      ? top
      : undefined;
  const winner = winners.length === 1 && leader !== undefined ? leader : null;
  const motion = isMotion(input.options);
  const verdict = !base.quorumMet
    ? ({ outcome: 'rejected', reason: 'quorum_not_met' } as const)
    : base.castWeight === 0
      ? ({ outcome: 'rejected', reason: 'no_votes' } as const)
      : winner === null
        ? ({
            outcome: 'rejected',
            reason: winners.length > 1 && leader !== undefined ? 'tied' : 'threshold_not_met',
          } as const)
        : motion && !isYes(winner)
          ? ({ outcome: 'rejected', reason: 'threshold_not_met' } as const)
          : ({ outcome: 'passed', reason: null } as const);
  return { ...base, ...verdict, method: 'majority', counts, motion, winners, winner };
}

/**
 * The leader's share is lowest, and any rival's highest, when all the remaining weight goes
 * to that one rival; an outsider's best chance is all of it going to them. So trying "all
 * to option o" for each o covers every way the result could still move.
 */
export const canStillChange = (input: TallyInput<MajorityVote>): boolean =>
  changesAtExtremes(
    input,
    decide,
    input.options.map((choice) => ({ choice })),
  );

export const tally = (input: TallyInput<MajorityVote>): MajorityTally =>
  settle(decide(input), input.closed, () => canStillChange(input));
