// Governance: how a commune decides each kind of action. Pure rules, no I/O.
import { z } from 'zod';
import { err, ok, type Result } from '../shared/result.ts';
import { decisionsFail } from './decisions.errors.ts';
import { validateSettings } from './methods/index.ts';
import { THRESHOLD_BASES, type ThresholdBasis } from './method-shapes.ts';

export const ACTION_TYPES = [
  'admit_member',
  'remove_member',
  'spend',
  'set_credit_limit',
  'set_currency',
  'amend_charter',
  'form_alliance',
  'end_alliance',
  'change_governance',
] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

/** Methods that answer yes or no; choice methods (ranked, score…) cannot carry an action. */
export const ACTION_METHODS = ['consent', 'consensus', 'majority', 'advice'] as const;
export type ActionMethod = (typeof ACTION_METHODS)[number];

export type Rule = {
  method: ActionMethod;
  threshold: number | null;
  /** What the threshold is a share of: votes cast (abstentions out) or all eligible members. */
  thresholdBasis: ThresholdBasis | null;
  quorum: number;
  durationHours: number;
};
export type Governance = Record<ActionType, Rule>;

const WEEK = 168;
export const MAX_DURATION_HOURS = 90 * 24;

const consent = { method: 'consent', threshold: null, thresholdBasis: null, quorum: 0 } as const;
const majority = { method: 'majority', threshold: 0.5, thresholdBasis: 'cast' } as const;
const consensus = (threshold: number) =>
  ({ method: 'consensus', threshold, thresholdBasis: 'eligible', quorum: 0.5 }) as const;

/**
 * A fresh commune's rules. Consensus counts its threshold against all eligible members,
 * and carries a quorum of one half, so that neither silence nor abstentions amend a
 * charter; consent (admission, alliances) deliberately passes unless someone objects.
 */
export const DEFAULT_GOVERNANCE: Governance = {
  admit_member: { ...consent, durationHours: 72 },
  remove_member: { ...consensus(2 / 3), durationHours: WEEK },
  spend: { ...majority, quorum: 0.5, durationHours: WEEK },
  set_credit_limit: { ...majority, quorum: 0, durationHours: WEEK },
  set_currency: { ...majority, quorum: 0, durationHours: WEEK },
  amend_charter: { ...consensus(0.75), durationHours: WEEK },
  form_alliance: { ...consent, durationHours: WEEK },
  end_alliance: { ...consent, durationHours: WEEK },
  change_governance: { ...consensus(0.75), durationHours: WEEK },
};

const ruleInput = z.strictObject({
  method: z.enum(ACTION_METHODS),
  threshold: z.number().optional(),
  thresholdBasis: z.enum(THRESHOLD_BASES).optional(),
  quorum: z.number().optional(),
  durationHours: z.number().int().min(1).max(MAX_DURATION_HOURS).optional(),
});

/**
 * change_governance { rules?: { <action type>: { method, threshold?, thresholdBasis?, quorum?,
 * durationHours? } }, openBooks?, openBallots? }: how the commune decides, and whether
 * outsiders may read its books and named ballots (ADR 0026).
 */
export const governanceChangeSchema = z
  .strictObject({
    rules: z
      .partialRecord(z.enum(ACTION_TYPES), ruleInput)
      .refine((r) => Object.keys(r).length > 0, 'name at least one action type to change')
      .optional(),
    openBooks: z.boolean().optional(),
    openBallots: z.boolean().optional(),
  })
  .refine(
    (c) => c.rules !== undefined || c.openBooks !== undefined || c.openBallots !== undefined,
    'name rules to change, or openBooks or openBallots',
  );
export type GovernanceChange = z.infer<typeof governanceChangeSchema>;

/** Fills in each changed rule (threshold and quorum checked per method; duration kept from the current rule). */
export function normaliseChange(
  change: GovernanceChange,
  current: Governance,
): Result<Partial<Governance>> {
  const out: Partial<Governance> = {};
  for (const [type, input] of Object.entries(change.rules ?? {}) as [
    ActionType,
    z.infer<typeof ruleInput>,
  ][]) {
    const settings = validateSettings(input.method, {
      quorum: input.quorum,
      threshold: input.threshold,
      thresholdBasis: input.thresholdBasis,
    });
    if (!settings.ok) {
      const e = settings.error;
      return err({
        ...e,
        message: `${type}: ${e.message}`,
        field: `action.params.rules.${type}.${e.field ?? 'method'}`,
      });
    }
    out[type] = {
      method: input.method,
      threshold: settings.value.threshold,
      thresholdBasis: settings.value.thresholdBasis,
      quorum: settings.value.quorum,
      durationHours: input.durationHours ?? current[type].durationHours,
    };
  }
  return ok(out);
}

const same = (a: number | null, b: number | null) =>
  a === null || b === null ? a === b : Math.abs(a - b) < 1e-9;

/**
 * An action proposal follows its commune's rule; the request may leave method, threshold
 * and quorum out, and naming other ones is a mismatch (not silently overridden).
 */
export function checkAgainstRule(
  type: ActionType,
  rule: Rule,
  asked: {
    method?: string | undefined;
    threshold?: number | undefined;
    thresholdBasis?: ThresholdBasis | undefined;
    quorum?: number | undefined;
  },
): Result<void> {
  const mismatch = (field: string, what: string) =>
    decisionsFail(
      'governance_mismatch',
      `${type} proposals are decided by this commune's governance: ${what}`,
      { field: field },
    );
  if (asked.method !== undefined && asked.method !== rule.method)
    return mismatch('method', `method ${rule.method}, not ${asked.method}`);
  if (asked.threshold !== undefined && !same(asked.threshold, rule.threshold)) {
    return mismatch(
      'threshold',
      rule.threshold === null ? 'no threshold' : `threshold ${rule.threshold}`,
    );
  }
  if (asked.thresholdBasis !== undefined && asked.thresholdBasis !== rule.thresholdBasis) {
    return mismatch(
      'thresholdBasis',
      rule.thresholdBasis === null ? 'no threshold' : `threshold basis ${rule.thresholdBasis}`,
    );
  }
  if (asked.quorum !== undefined && !same(asked.quorum, rule.quorum))
    return mismatch('quorum', `quorum ${rule.quorum}`);
  return ok(undefined);
}
