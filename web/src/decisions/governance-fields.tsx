import {
  ACTION_METHODS,
  ACTION_TYPES,
  THRESHOLD_BASES,
  type ActionType,
  type ThresholdBasis,
} from '../api/decisions.ts';
import { SelectField, TextField } from '../ui/fields.tsx';
import { ruleDraft, type ActionDraft, type ActionFieldsProps } from './action-draft.ts';
import { ACTION_LABELS, METHOD_LABELS, THRESHOLD_BASIS_LABELS } from './labels.ts';

/** The new rule for one action type, starting from its current rule. */
export function GovernanceFields({ draft, onChange, ctx, errors }: ActionFieldsProps) {
  const setRule = (patch: Partial<ActionDraft['rule']>) =>
    onChange({ ...draft, rule: { ...draft.rule, ...patch } });
  const takesThreshold = draft.rule.method === 'consensus' || draft.rule.method === 'majority';
  return (
    <>
      <SelectField
        label="Which decisions"
        name="ruleType"
        options={ACTION_TYPES.map((t) => ({ value: t, label: ACTION_LABELS[t] }))}
        value={draft.rule.type}
        onChange={(e) => setRule(ruleDraft(e.target.value as ActionType, ctx.governance))}
        error={errors.field('ruleType')}
      />
      <SelectField
        label="Decided by"
        name="ruleMethod"
        options={ACTION_METHODS.map((m) => ({ value: m, label: METHOD_LABELS[m] }))}
        value={draft.rule.method}
        onChange={(e) => setRule({ method: e.target.value })}
        error={errors.field('ruleMethod')}
      />
      {takesThreshold ? (
        <TextField
          label="Threshold (%)"
          name="ruleThreshold"
          type="number"
          min={0}
          max={100}
          step="any"
          value={draft.rule.threshold}
          onChange={(e) => setRule({ threshold: e.target.value })}
          hint={
            draft.rule.method === 'majority'
              ? 'The winner needs more than this share of the votes.'
              : 'Share who must agree: of all members or of those taking a side, as chosen below.'
          }
          error={errors.field('ruleThreshold')}
        />
      ) : null}
      {takesThreshold ? (
        <SelectField
          label="The threshold counts"
          name="ruleThresholdBasis"
          options={[
            {
              value: '',
              label: `The method's default (${draft.rule.method === 'consensus' ? 'all members' : 'votes cast'})`,
            },
            ...THRESHOLD_BASES.map((b) => ({ value: b, label: THRESHOLD_BASIS_LABELS[b] })),
          ]}
          value={draft.rule.thresholdBasis}
          onChange={(e) => setRule({ thresholdBasis: e.target.value as ThresholdBasis | '' })}
          error={errors.field('ruleThresholdBasis')}
        />
      ) : null}
      <TextField
        label="Quorum (%)"
        name="ruleQuorum"
        type="number"
        min={0}
        max={100}
        step="any"
        value={draft.rule.quorum}
        onChange={(e) => setRule({ quorum: e.target.value })}
        hint="Share of members who must vote; 0 for none."
        error={errors.field('ruleQuorum')}
      />
      <TextField
        label="Voting time (hours)"
        name="ruleDuration"
        type="number"
        min={1}
        max={2160}
        value={draft.rule.durationHours}
        onChange={(e) => setRule({ durationHours: e.target.value })}
        error={errors.field('ruleDuration')}
      />
    </>
  );
}
