// Governance: how a commune decides each kind of action. Pure rules, no I/O.
import { z } from 'zod';
import { fail, ok, type Result } from '../shared/result.ts';
import { validateSettings } from './methods/index.ts';

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
  quorum: number;
  durationHours: number;
};
export type Governance = Record<ActionType, Rule>;

const WEEK = 168;
export const MAX_DURATION_HOURS = 90 * 24;

/**
 * A fresh commune's rules. Where consensus decides, a quorum of one half keeps a
 * proposal nobody looked at from passing on silence; consent (admission, alliances)
 * deliberately passes unless someone objects.
 */
export const DEFAULT_GOVERNANCE: Governance = {
  admit_member: { method: 'consent', threshold: null, quorum: 0, durationHours: 72 },
  remove_member: { method: 'consensus', threshold: 2 / 3, quorum: 0.5, durationHours: WEEK },
  spend: { method: 'majority', threshold: 0.5, quorum: 0.5, durationHours: WEEK },
  set_credit_limit: { method: 'majority', threshold: 0.5, quorum: 0, durationHours: WEEK },
  set_currency: { method: 'majority', threshold: 0.5, quorum: 0, durationHours: WEEK },
  amend_charter: { method: 'consensus', threshold: 0.75, quorum: 0.5, durationHours: WEEK },
  form_alliance: { method: 'consent', threshold: null, quorum: 0, durationHours: WEEK },
  end_alliance: { method: 'consent', threshold: null, quorum: 0, durationHours: WEEK },
  change_governance: { method: 'consensus', threshold: 0.75, quorum: 0.5, durationHours: WEEK },
};

const ruleInput = z.strictObject({
  method: z.enum(ACTION_METHODS),
  threshold: z.number().optional(),
  quorum: z.number().optional(),
  durationHours: z.number().int().min(1).max(MAX_DURATION_HOURS).optional(),
});

/** change_governance { rules: { <action type>: { method, threshold?, quorum?, durationHours? } } }. */
export const governanceChangeSchema = z.strictObject({
  rules: z
    .partialRecord(z.enum(ACTION_TYPES), ruleInput)
    .refine((r) => Object.keys(r).length > 0, 'name at least one action type to change'),
});
export type GovernanceChange = z.infer<typeof governanceChangeSchema>;

/** Fills in each changed rule (threshold and quorum checked per method; duration kept from the current rule). */
export function normaliseChange(
  change: GovernanceChange,
  current: Governance,
): Result<Partial<Governance>> {
  const out: Partial<Governance> = {};
  for (const [type, input] of Object.entries(change.rules) as [
    ActionType,
    z.infer<typeof ruleInput>,
  ][]) {
    const settings = validateSettings(input.method, {
      quorum: input.quorum,
      threshold: input.threshold,
    });
    if (!settings.ok) {
      const e = settings.error;
      return fail(
        e.type,
        e.code,
        `${type}: ${e.message}`,
        `action.params.rules.${type}.${e.field ?? 'method'}`,
      );
    }
    out[type] = {
      method: input.method,
      threshold: settings.value.threshold,
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
    quorum?: number | undefined;
  },
): Result<void> {
  const mismatch = (field: string, what: string) =>
    fail(
      'rule_violation',
      'governance_mismatch',
      `${type} proposals are decided by this commune's governance: ${what}`,
      field,
    );
  if (asked.method !== undefined && asked.method !== rule.method)
    return mismatch('method', `method ${rule.method}, not ${asked.method}`);
  if (asked.threshold !== undefined && !same(asked.threshold, rule.threshold)) {
    return mismatch(
      'threshold',
      rule.threshold === null ? 'no threshold' : `threshold ${rule.threshold}`,
    );
  }
  if (asked.quorum !== undefined && !same(asked.quorum, rule.quorum))
    return mismatch('quorum', `quorum ${rule.quorum}`);
  return ok(undefined);
}
