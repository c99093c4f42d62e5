// One entry per decision method, behind one shape, so the service can treat them alike.
// Votes come back from storage as unknown JSON; the entry re-checks them with the
// method's own schema before counting (a stored vote that fails is a bug: it throws).
import type { z } from 'zod';
import { ok, type Result } from '../../shared/result.ts';
import { decisionsFail } from '../decisions.errors.ts';
import type {
  Ballot,
  MethodName,
  MethodSettings,
  TallyInput,
  ThresholdBasis,
} from '../method-shapes.ts';
import * as advice from './advice.ts';
import * as allocation from './allocation.ts';
import * as consensus from './consensus.ts';
import * as consent from './consent.ts';
import * as majority from './majority.ts';
import * as ranked from './ranked.ts';
import * as score from './score.ts';
import * as time from './time.ts';

export type Tally =
  | consent.ConsentTally
  | consensus.ConsensusTally
  | majority.MajorityTally
  | ranked.RankedTally
  | score.ScoreTally
  | allocation.AllocationTally
  | advice.AdviceTally
  | time.TimeTally;

type MethodModule<V, T extends Tally> = {
  defaultThreshold: number | null;
  defaultThresholdBasis: ThresholdBasis | null;
  validateOptions: (options: readonly string[] | undefined) => Result<string[]>;
  voteSchema: (options: readonly string[], settings?: MethodSettings) => z.ZodType<V>;
  tally: (input: TallyInput<V>) => T;
  canStillChange: (input: TallyInput<V>) => boolean;
};

export type DecisionMethod = {
  name: MethodName;
  /** Null: the method takes no threshold. */
  defaultThreshold: number | null;
  /** What its threshold counts unless a rule says otherwise; null with no threshold. */
  defaultThresholdBasis: ThresholdBasis | null;
  /** At proposal creation; returns the options to store (trimmed, or yes/no for a bare majority). */
  validateOptions: (options: readonly string[] | undefined) => Result<string[]>;
  /** The vote body, given the proposal's options (and the allocation budget). */
  voteSchema: (options: readonly string[], settings?: MethodSettings) => z.ZodType<unknown>;
  tally: (input: TallyInput<unknown>) => Tally;
  canStillChange: (input: TallyInput<unknown>) => boolean;
};

function entry<V, T extends Tally>(name: MethodName, m: MethodModule<V, T>): DecisionMethod {
  const typed = (input: TallyInput<unknown>): TallyInput<V> => {
    const schema = m.voteSchema(input.options, input.settings);
    const ballots: Ballot<V>[] = input.ballots.map((b) => {
      const parsed = schema.safeParse(b.vote);
      if (!parsed.success)
        throw new Error(`stored ${name} vote of ${b.voter} is invalid: ${parsed.error.message}`);
      return { ...b, vote: parsed.data };
    });
    return { ...input, ballots };
  };
  return {
    name,
    defaultThreshold: m.defaultThreshold,
    defaultThresholdBasis: m.defaultThresholdBasis,
    validateOptions: m.validateOptions,
    voteSchema: m.voteSchema,
    tally: (input) => m.tally(typed(input)),
    canStillChange: (input) => m.canStillChange(typed(input)),
  };
}

export const methods: Record<MethodName, DecisionMethod> = {
  consent: entry('consent', consent),
  consensus: entry('consensus', consensus),
  majority: entry('majority', majority),
  ranked: entry('ranked', ranked),
  score: entry('score', score),
  allocation: entry('allocation', allocation),
  advice: entry('advice', advice),
  time: entry('time', time),
};

export type RequestedSettings = {
  quorum?: number | undefined;
  threshold?: number | undefined;
  thresholdBasis?: ThresholdBasis | undefined;
  budget?: number | undefined;
};

/**
 * Quorum and threshold at proposal creation. Quorum is a share 0..1 (default 0: none).
 * A threshold only where the method uses one: consensus 0..1 (agree share ≥ it), majority
 * 0..<1 (winning share > it); with it, what it is a share of (the method's default basis
 * unless named). A budget only for allocation, 1..MAX_ALLOCATION_BUDGET.
 */
export function validateSettings(
  method: MethodName,
  settings: RequestedSettings,
): Result<{
  quorum: number;
  threshold: number | null;
  thresholdBasis: ThresholdBasis | null;
  budget: number | null;
}> {
  const { quorum = 0, threshold, thresholdBasis, budget } = settings;
  if (!(quorum >= 0 && quorum <= 1))
    return decisionsFail('invalid_quorum', 'quorum is a share between 0 and 1', {
      field: 'quorum',
    });
  const fallback = methods[method].defaultThreshold;
  if (threshold !== undefined) {
    if (fallback === null)
      return decisionsFail('threshold_not_used', `the ${method} method takes no threshold`, {
        field: 'threshold',
      });
    const below = method === 'majority' ? threshold < 1 : threshold <= 1;
    if (!(threshold >= 0 && below))
      return decisionsFail(
        'invalid_threshold',
        `threshold must be at least 0 and ${method === 'majority' ? 'below' : 'at most'} 1`,
        { field: 'threshold' },
      );
  }
  if (thresholdBasis !== undefined && fallback === null)
    return decisionsFail(
      'threshold_not_used',
      `the ${method} method takes no threshold, so no threshold basis`,
      { field: 'thresholdBasis' },
    );
  if (budget !== undefined) {
    if (method !== 'allocation')
      return decisionsFail('budget_not_used', 'only allocation takes a budget', {
        field: 'budget',
      });
    if (!Number.isInteger(budget) || budget < 1 || budget > allocation.MAX_ALLOCATION_BUDGET) {
      return decisionsFail(
        'invalid_budget',
        `budget is a whole number 1–${allocation.MAX_ALLOCATION_BUDGET}`,
        { field: 'budget' },
      );
    }
  }
  return ok({
    quorum,
    threshold: threshold ?? fallback,
    thresholdBasis: thresholdBasis ?? methods[method].defaultThresholdBasis,
    budget: method === 'allocation' ? (budget ?? allocation.ALLOCATION_BUDGET) : null,
  });
}
