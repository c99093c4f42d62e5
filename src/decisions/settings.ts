// A proposal's settings from its request: the method, options, quorum and threshold the
// request names, or, for a proposal with an action, those of the commune's governance.
// Pure: the caller looks the rule up.
import { ok, type Result } from '../shared/result.ts';
import { decisionsFail } from './decisions.errors.ts';
import { checkAgainstRule, type Rule } from './governance.ts';
import { methods, validateSettings } from './methods/index.ts';
import { MAX_OPEN_MS, type ProposalInput } from './proposals.ts';
import { METHODS, type MethodName, type ThresholdBasis } from './method-shapes.ts';

export type ProposalSettings = {
  method: MethodName;
  options: string[];
  quorum: number;
  threshold: number | null;
  thresholdBasis: ThresholdBasis | null;
  budget: number | null;
  opensAt: string;
  closesAt: string;
};

const HOUR = 3_600_000;
/** A request computed "now + duration" a moment before the server's now. */
const GRACE_MS = 60_000;

const isMethod = (m: string): m is MethodName => (METHODS as readonly string[]).includes(m);
const isYesNo = (options: readonly string[]) =>
  options.length === 2 &&
  new Set(options.map((o) => o.trim().toLowerCase())).size === 2 &&
  options.every((o) => ['yes', 'no'].includes(o.trim().toLowerCase()));

function fromGovernance(
  input: ProposalInput,
  rule: Rule,
): Result<Omit<ProposalSettings, 'opensAt' | 'closesAt' | 'options'>> {
  const type = input.action!.type;
  const matches = checkAgainstRule(type, rule, input);
  if (!matches.ok) return matches;
  if (input.budget !== undefined)
    return decisionsFail('budget_not_used', 'Only allocation takes a budget', { field: 'budget' });
  // Majority on an action is a motion: yes or no, nothing else.
  if (
    input.options !== undefined &&
    input.options.length > 0 &&
    !(rule.method === 'majority' && isYesNo(input.options))
  ) {
    return decisionsFail(
      'options_not_allowed',
      `A ${type} proposal asks yes or no: leave options out`,
      { field: 'options' },
    );
  }
  return ok({
    method: rule.method,
    quorum: rule.quorum,
    threshold: rule.threshold,
    thresholdBasis: rule.thresholdBasis,
    budget: null,
  });
}

function fromRequest(
  input: ProposalInput,
): Result<Omit<ProposalSettings, 'opensAt' | 'closesAt' | 'options'>> {
  if (input.method === undefined)
    return decisionsFail('method_required', 'method: name a decision method, or give an action', {
      field: 'method',
    });
  if (!isMethod(input.method))
    return decisionsFail(
      'unknown_method',
      `method: unknown method "${input.method}"; use one of ${METHODS.join(', ')}`,
      { field: 'method' },
    );
  const s = validateSettings(input.method, {
    quorum: input.quorum,
    threshold: input.threshold,
    thresholdBasis: input.thresholdBasis,
    budget: input.budget,
  });
  return s.ok ? ok({ method: input.method, ...s.value }) : s;
}

/**
 * closesAt must lie in the future (within a year); for an action, at least the rule's
 * duration ahead, and it defaults to exactly that. opensAt (default now) comes before it.
 */
export function proposalSettings(
  input: ProposalInput,
  rule: Rule | null,
  now: Date,
): Result<ProposalSettings> {
  const base = input.action ? fromGovernance(input, rule!) : fromRequest(input);
  if (!base.ok) return base;
  const options = methods[base.value.method].validateOptions(
    input.action ? undefined : input.options,
  );
  if (!options.ok) return options;

  let closesAt: Date;
  if (input.closesAt === undefined) {
    if (!rule)
      return decisionsFail('closes_at_required', 'closesAt: required: when does voting end?', {
        field: 'closesAt',
      });
    closesAt = new Date(now.getTime() + rule.durationHours * HOUR);
  } else {
    closesAt = new Date(input.closesAt);
    if (closesAt <= now)
      return decisionsFail('closes_at_past', 'closesAt: must be in the future', {
        field: 'closesAt',
      });
    if (closesAt.getTime() > now.getTime() + MAX_OPEN_MS)
      return decisionsFail('closes_at_too_far', 'closesAt: at most a year ahead', {
        field: 'closesAt',
      });
    if (rule && closesAt.getTime() < now.getTime() + rule.durationHours * HOUR - GRACE_MS) {
      return decisionsFail(
        'governance_mismatch',
        `${input.action!.type} proposals stay open at least ${rule.durationHours} h under this commune's governance`,
        { field: 'closesAt' },
      );
    }
  }
  const opensAt = input.opensAt === undefined ? now : new Date(input.opensAt);
  if (opensAt >= closesAt)
    return decisionsFail('opens_after_close', 'opensAt: must come before closesAt', {
      field: 'opensAt',
    });
  return ok({
    ...base.value,
    options: options.value,
    opensAt: opensAt.toISOString(),
    closesAt: closesAt.toISOString(),
  });
}
