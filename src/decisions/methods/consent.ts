// Consent: passes when nobody objects. An objection needs a reason, so that it can be
// worked with.
import { z } from 'zod';
import type { Result } from '../../shared/result.ts';
import {
  changesAtExtremes,
  commonTally,
  settle,
  type TallyCommon,
  type TallyInput,
} from '../method-shapes.ts';
import { optionalReason, requireReason, validateNoOptions } from './common.ts';

export type ConsentVote = { position: 'consent' | 'object'; reason?: string | undefined };
export type ConsentTally = TallyCommon & {
  method: 'consent';
  counts: { consent: number; object: number };
};

export const defaultThreshold = null;
export const defaultThresholdBasis = null;

export const validateOptions = (options: readonly string[] | undefined): Result<string[]> =>
  validateNoOptions(options);

export const voteSchema = (): z.ZodType<ConsentVote> =>
  z
    .object({ position: z.enum(['consent', 'object']), reason: optionalReason })
    .superRefine((vote, ctx) => {
      if (vote.position === 'object') requireReason(vote.reason, ctx, 'to object');
    });

function decide(input: TallyInput<ConsentVote>): ConsentTally {
  const base = commonTally('consent', input, null);
  const counts = { consent: 0, object: 0 };
  for (const b of input.ballots) counts[b.vote.position] += b.weight;
  // An objection decides on its own, whatever the turnout.
  const verdict =
    counts.object > 0
      ? ({ outcome: 'rejected', reason: 'objected' } as const)
      : base.quorumMet
        ? ({ outcome: 'passed', reason: null } as const)
        : ({ outcome: 'rejected', reason: 'quorum_not_met' } as const);
  return { ...base, ...verdict, method: 'consent', counts };
}

/**
 * Once anyone objects the proposal cannot pass. Otherwise the rest could all consent
 * (meeting quorum) or one could object: both extremes are tried.
 */
export const canStillChange = (input: TallyInput<ConsentVote>): boolean =>
  changesAtExtremes(input, decide, [{ position: 'consent' }, { position: 'object', reason: '-' }]);

export const tally = (input: TallyInput<ConsentVote>): ConsentTally =>
  settle(decide(input), input.closed, () => canStillChange(input));
