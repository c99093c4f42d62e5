import {
  ACTION_METHODS,
  ACTION_TYPES,
  THRESHOLD_BASES,
  type ActionType,
  type ThresholdBasis,
} from '../api/decisions.ts';
import { SelectField, TextField } from '../ui/fields.tsx';
import {
  ruleDraft,
  type ActionDraft,
  type ActionFieldsProps,
  type Disclosed,
} from './action-draft.ts';
import { ACTION_LABELS, METHOD_LABELS, THRESHOLD_BASIS_LABELS } from './labels.ts';

const WHAT = [
  { value: 'rules', label: 'How one kind of decision is made' },
  { value: 'outsiders', label: 'What people outside the commune can see' },
];

/** Open or members-only, with "as it is" naming today's setting. */
const disclosedOptions = (open: boolean | undefined) => [
  { value: '', label: `Leave as it is (${open ? 'anyone' : 'members only'})` },
  { value: 'members', label: 'Members only' },
  { value: 'open', label: 'Anyone who can see the commune' },
];

/** What a change_governance changes: one action type's rule, or what outsiders can see. */
export function GovernanceFields(props: ActionFieldsProps) {
  const { draft, onChange, errors } = props;
  return (
    <>
      <SelectField
        label="What to change"
        name="governanceWhat"
        options={WHAT}
        value={draft.rule.what}
        onChange={(e) =>
          onChange({
            ...draft,
            rule: { ...draft.rule, what: e.target.value as ActionDraft['rule']['what'] },
          })
        }
        error={errors.field('governanceWhat')}
      />
      {draft.rule.what === 'outsiders' ? (
        <DisclosureFields {...props} />
      ) : (
        <RuleFields {...props} />
      )}
    </>
  );
}

/** Whether outsiders may read the books and see who voted what (members always may). */
function DisclosureFields({ draft, onChange, ctx, errors }: ActionFieldsProps) {
  const set = (patch: Partial<ActionDraft['disclosure']>) =>
    onChange({ ...draft, disclosure: { ...draft.disclosure, ...patch } });
  return (
    <>
      <SelectField
        label="Who may read the books (balances, statements, payments and their memos)"
        name="openBooks"
        options={disclosedOptions(ctx.governance?.openBooks)}
        value={draft.disclosure.books}
        onChange={(e) => set({ books: e.target.value as Disclosed })}
        error={errors.field('openBooks')}
      />
      <SelectField
        label="Who may see named ballots (who voted what)"
        name="openBallots"
        options={disclosedOptions(ctx.governance?.openBallots)}
        value={draft.disclosure.ballots}
        onChange={(e) => set({ ballots: e.target.value as Disclosed })}
        error={errors.field('openBallots')}
      />
    </>
  );
}

/** The new rule for one action type, starting from its current rule. */
function RuleFields({ draft, onChange, ctx, errors }: ActionFieldsProps) {
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
