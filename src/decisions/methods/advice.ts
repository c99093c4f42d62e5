// Advice process: members give support or concerns, always with a reason; the author
// decides afterwards. Until then the outcome is 'undecided', open or closed.
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

export type AdviceVote = { position: 'support' | 'concern'; reason?: string | undefined };
export type AdviceTally = TallyCommon & {
  method: 'advice';
  counts: { support: number; concern: number };
};

export const defaultThreshold = null;
export const defaultThresholdBasis = null;

export const validateOptions = (options: readonly string[] | undefined): Result<string[]> =>
  validateNoOptions(options);

export const voteSchema = (): z.ZodType<AdviceVote> =>
  z
    .object({ position: z.enum(['support', 'concern']), reason: optionalReason })
    .superRefine((vote, ctx) => requireReason(vote.reason, ctx, 'with advice'));

function decide(input: TallyInput<AdviceVote>): AdviceTally {
  const base = commonTally('advice', input, null);
  const counts = { support: 0, concern: 0 };
  for (const b of input.ballots) counts[b.vote.position] += b.weight;
  // Quorum still holds: an author cannot carry a proposal that too few were asked about.
  const verdict = !base.quorumMet
    ? ({ outcome: 'rejected', reason: 'quorum_not_met' } as const)
    : input.authorDecision
      ? ({ outcome: input.authorDecision, reason: 'author_decided' } as const)
      : ({ outcome: 'undecided', reason: 'awaiting_author' } as const);
  return { ...base, ...verdict, method: 'advice', counts };
}

/** Only the author's decision settles advice; after it, only reaching quorum can change it. */
export const canStillChange = (input: TallyInput<AdviceVote>): boolean =>
  !input.authorDecision || changesAtExtremes(input, decide, [{ position: 'support', reason: '-' }]);

export const tally = (input: TallyInput<AdviceVote>): AdviceTally =>
  settle(decide(input), input.closed, () => canStillChange(input));
