import {
  METHODS,
  THRESHOLD_BASES,
  type ActionType,
  type MethodName,
  type Rule,
  type ThresholdBasis,
} from '../api/decisions.ts';
import { SelectField, TextField } from '../ui/fields.tsx';
import type { FormErrors } from '../ui/form-errors.ts';
import {
  ACTION_LABELS,
  durationWords,
  METHOD_HINTS,
  METHOD_LABELS,
  percent,
  quorumWords,
  THRESHOLD_BASIS_LABELS,
  thresholdWords,
} from './labels.ts';
import { ListEditor } from './options-editor.tsx';
import { CHOICE, THRESHOLD_DEFAULTS, typedShare, type Draft } from './proposal-draft.ts';
import { ruleSentence } from './rule-sentence.ts';

/** How an action's proposal is decided: the commune's rule for it, shown read-only. */
export function GovernedRule({
  action,
  rule,
  memberCount,
  errors,
}: {
  action: ActionType;
  rule: Rule;
  memberCount: number | null;
  errors: FormErrors;
}) {
  return (
    <>
      <p className="hint">
        This commune's governance decides “{ACTION_LABELS[action]}” proposals this way. Only a “
        {ACTION_LABELS.change_governance}” proposal changes it.
      </p>
      <TextField label="Method" name="method" readOnly value={METHOD_LABELS[rule.method]} />
      {rule.threshold !== null ? (
        <TextField
          label="Threshold"
          name="threshold"
          readOnly
          value={percent(rule.threshold)}
          hint={`To pass, ${thresholdWords(rule.method, rule.threshold, rule.thresholdBasis) ?? ''}.`}
        />
      ) : null}
      <p className="hint rule-sentence">
        To pass, it {ruleSentence({ ...rule, options: ['yes', 'no'] }, memberCount)}.
      </p>
      <TextField label="Quorum" name="quorum" readOnly value={quorumWords(rule.quorum)} />
      <TextField
        label="Voting time"
        name="closesAt"
        readOnly
        value={durationWords(rule.durationHours * 3_600_000)}
        error={errors.field('closesAt')}
      />
    </>
  );
}

/** How a decision without an action is decided: the method and its settings, chosen here. */
export function MethodFields({
  d,
  set,
  onMethod,
  memberCount,
  errors,
}: {
  d: Draft;
  set: (patch: Partial<Draft>) => void;
  onMethod: (method: MethodName) => void;
  memberCount: number | null;
  errors: FormErrors;
}) {
  const choice = CHOICE.has(d.method) || d.method === 'majority';
  return (
    <>
      <SelectField
        label="Method"
        name="method"
        options={METHODS.map((m) => ({ value: m, label: METHOD_LABELS[m] }))}
        value={d.method}
        onChange={(e) => onMethod(e.target.value as MethodName)}
        hint={METHOD_HINTS[d.method]}
        error={errors.field('method')}
      />
      {d.method === 'time' ? (
        <ListEditor
          legend="Time slots"
          hint="Each slot is a start time, in your time zone."
          error={errors.field('options')}
          items={d.slots}
          onChange={(slots) => set({ slots })}
          itemLabel={(i) => `Time slot ${i + 1}`}
          addLabel="Add a time slot"
          type="datetime-local"
          min={2}
        />
      ) : choice ? (
        <ListEditor
          legend="Options"
          hint={d.method === 'majority' ? 'Leave empty for a yes/no motion.' : 'At least two.'}
          error={errors.field('options')}
          items={d.options}
          onChange={(options) => set({ options })}
          itemLabel={(i) => `Option ${i + 1}`}
          addLabel="Add an option"
          min={d.method === 'majority' ? 0 : 2}
        />
      ) : null}
      {d.method === 'allocation' ? (
        <TextField
          label="Points each member hands out"
          name="budget"
          type="number"
          min={1}
          max={1000}
          value={d.budget}
          onChange={(e) => set({ budget: e.target.value })}
          error={errors.field('budget')}
        />
      ) : null}
      {d.method === 'consensus' || d.method === 'majority' ? (
        <TextField
          label="Threshold (%)"
          name="threshold"
          type="number"
          min={0}
          max={100}
          step="any"
          value={d.threshold}
          onChange={(e) => set({ threshold: e.target.value })}
          hint={
            d.method === 'majority'
              ? 'The winner needs more than this share of the votes.'
              : 'Share who must agree: of all members or of those taking a side, as chosen below.'
          }
          error={errors.field('threshold')}
        />
      ) : null}
      {d.method === 'consensus' || d.method === 'majority' ? (
        <SelectField
          label="The threshold counts"
          name="thresholdBasis"
          options={THRESHOLD_BASES.map((b) => ({
            value: b,
            label: THRESHOLD_BASIS_LABELS[b],
          }))}
          value={d.thresholdBasis}
          onChange={(e) => set({ thresholdBasis: e.target.value as ThresholdBasis })}
          hint={`To pass, it ${ruleSentence(
            {
              method: d.method,
              threshold: typedShare(d.threshold) ?? THRESHOLD_DEFAULTS[d.method]! / 100,
              thresholdBasis: d.thresholdBasis,
              quorum: typedShare(d.quorum) ?? 0,
              options: d.options.filter((o) => o.trim()).length > 0 ? d.options : ['yes', 'no'],
            },
            memberCount,
          )}.`}
          error={errors.field('thresholdBasis')}
        />
      ) : null}
      <TextField
        label="Quorum (%)"
        name="quorum"
        type="number"
        min={0}
        max={100}
        step="any"
        value={d.quorum}
        onChange={(e) => set({ quorum: e.target.value })}
        hint="Share of members who must vote for the result to count. Leave empty for none."
        error={errors.field('quorum')}
      />
      <TextField
        label="Voting closes"
        name="closesAt"
        type="datetime-local"
        value={d.closesAt}
        onChange={(e) => set({ closesAt: e.target.value })}
        hint="In your time zone. Voting ends sooner once everyone has voted and the result is settled."
        error={errors.field('closesAt')}
      />
    </>
  );
}
