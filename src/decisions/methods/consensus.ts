// Consensus: passes when nobody blocks and enough agree. By default the threshold is a share
// of all eligible members (agree / eligible), so abstentions cannot carry it; with the basis
// `cast` it is agree / (agree + disagree) and abstaining (standing aside) counts towards
// quorum only. Without a single agree it cannot pass: silence is not consensus.
import { z } from 'zod';
import type { Result } from '../../shared/result.ts';
import {
  atLeast,
  type ThresholdBasis,
  changesAtExtremes,
  commonTally,
  settle,
  type TallyCommon,
  type TallyInput,
} from '../method-shapes.ts';
import { optionalReason, requireReason, validateNoOptions } from './common.ts';

export const POSITIONS = ['agree', 'abstain', 'disagree', 'block'] as const;
export type ConsensusVote = { position: (typeof POSITIONS)[number]; reason?: string | undefined };
export type ConsensusTally = TallyCommon & {
  method: 'consensus';
  counts: Record<ConsensusVote['position'], number>;
  /** agree / (agree + disagree); 0 when both are 0. The threshold applies to it only on basis `cast`. */
  agreeShare: number;
};

/** Broad agreement: three in four. */
export const defaultThreshold = 0.75;
/** Of all eligible members: 1 agree and 4 abstentions out of 10 is not consensus. */
export const defaultThresholdBasis: ThresholdBasis = 'eligible';

export const validateOptions = (options: readonly string[] | undefined): Result<string[]> =>
  validateNoOptions(options);

export const voteSchema = (): z.ZodType<ConsensusVote> =>
  z.object({ position: z.enum(POSITIONS), reason: optionalReason }).superRefine((vote, ctx) => {
    if (vote.position === 'block') requireReason(vote.reason, ctx, 'to block');
  });

function decide(input: TallyInput<ConsensusVote>): ConsensusTally {
  const threshold = input.threshold ?? defaultThreshold;
  const basis = input.thresholdBasis ?? defaultThresholdBasis;
  const base = commonTally('consensus', input, threshold, basis);
  const counts = { agree: 0, abstain: 0, disagree: 0, block: 0 };
  for (const b of input.ballots) counts[b.vote.position] += b.weight;
  const sides = counts.agree + counts.disagree;
  const agreeShare = sides === 0 ? 0 : counts.agree / sides;
  const verdict =
    counts.block > 0
      ? ({ outcome: 'rejected', reason: 'blocked' } as const)
      : !base.quorumMet
        ? ({ outcome: 'rejected', reason: 'quorum_not_met' } as const)
        : counts.agree === 0
          ? ({ outcome: 'rejected', reason: 'no_votes' } as const)
          : atLeast(counts.agree, basis === 'eligible' ? input.eligible : sides, threshold)
            ? ({ outcome: 'passed', reason: null } as const)
            : ({ outcome: 'rejected', reason: 'threshold_not_met' } as const);
  return { ...base, ...verdict, method: 'consensus', counts, agreeShare };
}

/**
 * A block decides at once. Otherwise a pass can be undone by one block, and a rejection
 * turned round only if everyone left agreeing would carry it (agreeing only raises the
 * share and the turnout), so those extremes are enough.
 */
export const canStillChange = (input: TallyInput<ConsensusVote>): boolean =>
  changesAtExtremes(input, decide, [{ position: 'agree' }, { position: 'block', reason: '-' }]);

export const tally = (input: TallyInput<ConsensusVote>): ConsensusTally =>
  settle(decide(input), input.closed, () => canStillChange(input));
