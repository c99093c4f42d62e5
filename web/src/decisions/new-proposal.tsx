import { useMemo, useRef, useState, type FormEvent } from 'react';
import { seg, type ApiError } from '../api/client.ts';
import {
  ALLOCATION_BUDGET,
  HIDE_RESULTS,
  METHODS,
  THRESHOLD_BASES,
  decisionPaths,
  decisionsApi,
  type ActionType,
  type GovernanceView,
  type HideResults,
  type MethodName,
  type ProposalInput,
  type ThresholdBasis,
} from '../api/decisions.ts';
import { ledgerPaths, type Ledger } from '../api/ledger.ts';
import type { Application, Commune, Member } from '../api/types.ts';
import { roleIn } from '../communes/commune-page.tsx';
import { Link, navigate } from '../router.tsx';
import { useSession } from '../session.tsx';
import { CheckboxField, FormError, SelectField, TextArea, TextField } from '../ui/fields.tsx';
import { useFormErrors } from '../ui/form-errors.ts';
import { ErrorNotice, Loading, PageHeading } from '../ui/page.tsx';
import { RequireSignIn } from '../ui/require-sign-in.tsx';
import { useApi, usePagedList } from '../ui/use-api.ts';
import {
  ACTION_FIELDS,
  ActionFields,
  buildParams,
  emptyActionDraft,
  ruleDraft,
  share,
  type ActionContext,
  type ActionDraft,
} from './action-fields.tsx';
import {
  ACTION_LABELS,
  HIDE_RESULTS_LABELS,
  durationWords,
  METHOD_HINTS,
  METHOD_LABELS,
  PICKABLE_ACTIONS,
  decisionsPath,
  percent,
  proposalPath,
  quorumWords,
  THRESHOLD_BASIS_LABELS,
  thresholdWords,
} from './labels.ts';
import { ruleSentence } from './rule-sentence.ts';
import { ListEditor, fromLocalInput, toLocalInput } from './options-editor.tsx';

const FIELDS = [
  'title',
  'body',
  'action',
  'method',
  'options',
  'closesAt',
  'quorum',
  'threshold',
  'thresholdBasis',
  'budget',
  'anonymous',
  'hideResults',
  'topic',
  ...ACTION_FIELDS,
] as const;

/** Methods that need options to choose from; majority may have none (a yes/no motion). */
const CHOICE: ReadonlySet<MethodName> = new Set(['ranked', 'score', 'allocation', 'time']);
const THRESHOLD_DEFAULTS: Partial<Record<MethodName, number>> = { consensus: 75, majority: 50 };
/** A share typed as a percentage, or null while empty or not a number. */
const typedShare = (text: string) => {
  const s = share(text);
  return s === null || Number.isNaN(s) ? null : s;
};
/** What each method's threshold counts unless chosen otherwise (as the server defaults). */
const BASIS_DEFAULTS: Partial<Record<MethodName, ThresholdBasis>> = {
  consensus: 'eligible',
  majority: 'cast',
};
const GOVERNANCE_FIELD: Record<string, string> = {
  method: 'ruleMethod',
  threshold: 'ruleThreshold',
  thresholdBasis: 'ruleThresholdBasis',
  quorum: 'ruleQuorum',
  durationHours: 'ruleDuration',
};

/** The API names action fields `action.params.x`; on this form they are plain `x`. */
function placed(e: ApiError): ApiError {
  const f = e.field;
  if (!f?.startsWith('action.params.')) return e;
  const message = e.message.startsWith(`${f}: `) ? e.message.slice(f.length + 2) : e.message;
  const rest = f.slice('action.params.'.length);
  const field = rest.startsWith('rules.')
    ? (GOVERNANCE_FIELD[rest.split('.').pop() ?? ''] ?? 'ruleType')
    : rest;
  return { ...e, field, message };
}

const inAWeek = () => {
  const d = new Date(Date.now() + 7 * 86_400_000);
  d.setMinutes(0, 0, 0);
  return toLocalInput(d);
};

type Draft = {
  title: string;
  body: string;
  action: ActionType | '';
  method: MethodName;
  options: string[];
  slots: string[];
  threshold: string;
  thresholdBasis: ThresholdBasis;
  quorum: string;
  budget: string;
  closesAt: string;
  anonymous: boolean;
  hideResults: HideResults;
  topic: string;
};

function NewProposalForm({ handle, commune }: { handle: string; commune: Commune }) {
  const session = useSession();
  const members = useApi<Member[]>(`/communes/${seg(handle)}/members`);
  const ledger = useApi<Ledger>(ledgerPaths.ledger(handle));
  const governance = useApi<GovernanceView>(decisionPaths.governance(handle));
  const applications = usePagedList<Application>(`/communes/${seg(handle)}/applications`);
  const [d, setD] = useState<Draft>(() => ({
    title: '',
    body: '',
    action: '',
    method: 'consent',
    options: [],
    slots: [],
    threshold: '',
    thresholdBasis: 'cast',
    quorum: '',
    budget: String(ALLOCATION_BUDGET),
    closesAt: inAWeek(),
    anonymous: false,
    hideResults: 'never',
    topic: '',
  }));
  const [actionDraft, setActionDraft] = useState<ActionDraft>(() => emptyActionDraft(commune));
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const errors = useFormErrors(FIELDS);
  const set = (patch: Partial<Draft>) => setD({ ...d, ...patch });

  const ctx = useMemo<ActionContext>(
    () => ({
      commune,
      members: members.data ?? [],
      currency: ledger.data?.currency ?? null,
      applications: (applications.data ?? []).filter((a) => !a.status || a.status === 'pending'),
      governance: governance.data,
      me: session.me?.handle,
    }),
    [commune, members.data, ledger.data, applications.data, governance.data, session.me?.handle],
  );
  const rule = d.action ? governance.data?.rules[d.action] : undefined;

  function chooseMethod(method: MethodName) {
    const options =
      CHOICE.has(method) && d.options.length < 2
        ? [...d.options, '', ''].slice(0, Math.max(2, d.options.length))
        : d.options;
    const slots = method === 'time' && d.slots.length === 0 ? ['', ''] : d.slots;
    const fallback = THRESHOLD_DEFAULTS[method];
    set({
      method,
      options,
      slots,
      threshold: fallback === undefined ? '' : String(fallback),
      thresholdBasis: BASIS_DEFAULTS[method] ?? 'cast',
    });
  }

  function chooseAction(action: ActionType | '') {
    set({ action });
    if (action === 'change_governance')
      setActionDraft({ ...actionDraft, rule: ruleDraft(actionDraft.rule.type, governance.data) });
  }

  /** A refusal made here, beside its field; null so build() can return it. */
  const refuse = (field: string, message: string): null => {
    errors.show({ status: 0, code: 'invalid_input', message, field }, form.current);
    return null;
  };

  function build(): ProposalInput | null {
    const base = {
      title: d.title.trim(),
      body: d.body.trim(),
      anonymous: d.anonymous,
      hideResults: d.hideResults,
      ...(d.topic.trim() ? { topic: d.topic.trim() } : {}),
    };
    if (!base.title) return refuse('title', 'Give the proposal a title.');
    if (d.action) {
      const params = buildParams(d.action, actionDraft, ctx);
      if (!params.ok) return refuse(params.field, params.message);
      return { ...base, action: { type: d.action, params: params.params } };
    }
    const input: ProposalInput = { ...base, method: d.method };
    const closesAt = fromLocalInput(d.closesAt);
    if (!closesAt) return refuse('closesAt', 'Choose when voting ends.');
    input.closesAt = closesAt;
    if (d.method === 'time') {
      const slots = d.slots.map(fromLocalInput);
      if (slots.some((s) => s === null))
        return refuse('options', 'Fill in every time slot, or remove the empty ones.');
      input.options = slots as string[];
    } else if (CHOICE.has(d.method) || d.method === 'majority') {
      const options = d.options.map((o) => o.trim()).filter(Boolean);
      if (CHOICE.has(d.method) && options.length < 2)
        return refuse('options', 'Give at least two options.');
      if (options.length > 0) input.options = options;
    }
    const quorum = share(d.quorum);
    if (quorum !== null) {
      if (Number.isNaN(quorum)) return refuse('quorum', 'A percentage, such as 50.');
      input.quorum = quorum;
    }
    const threshold = share(d.threshold);
    if (threshold !== null && (d.method === 'consensus' || d.method === 'majority')) {
      if (Number.isNaN(threshold)) return refuse('threshold', 'A percentage, such as 75.');
      input.threshold = threshold;
    }
    if (d.method === 'consensus' || d.method === 'majority')
      input.thresholdBasis = d.thresholdBasis;
    if (d.method === 'allocation') {
      const budget = Number(d.budget);
      if (!Number.isInteger(budget) || budget < 1)
        return refuse('budget', 'A whole number of points, at least 1.');
      input.budget = budget;
    }
    return input;
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const input = build();
    if (!input) return;
    setBusy(true);
    const r = await decisionsApi.propose(handle, input);
    setBusy(false);
    if (!r.ok) return errors.show(placed(r.error), form.current);
    navigate(proposalPath(r.value.id));
  }

  const choice = CHOICE.has(d.method) || d.method === 'majority';
  return (
    <form ref={form} className="stack" onSubmit={(e) => void submit(e)} noValidate>
      <FormError message={errors.form} />
      <fieldset>
        <legend>The question</legend>
        <TextField
          label="Title"
          name="title"
          maxLength={200}
          value={d.title}
          onChange={(e) => set({ title: e.target.value })}
          error={errors.field('title')}
        />
        <TextArea
          label="Details (optional)"
          name="body"
          rows={5}
          maxLength={20000}
          value={d.body}
          onChange={(e) => set({ body: e.target.value })}
          error={errors.field('body')}
        />
      </fieldset>
      <fieldset>
        <legend>What happens if it passes</legend>
        <SelectField
          label="Action"
          name="action"
          options={[
            { value: '', label: 'Nothing automatic: a decision only' },
            ...PICKABLE_ACTIONS.map((a) => ({ value: a, label: ACTION_LABELS[a] })),
          ]}
          value={d.action}
          onChange={(e) => chooseAction(e.target.value as ActionType | '')}
          hint="An action is carried out the moment the proposal passes."
          error={errors.field('action')}
        />
        {d.action ? (
          <ActionFields
            type={d.action}
            draft={actionDraft}
            onChange={setActionDraft}
            ctx={ctx}
            errors={errors}
          />
        ) : null}
      </fieldset>
      <fieldset>
        <legend>How to decide</legend>
        {d.action ? (
          rule ? (
            <>
              <p className="hint">
                This commune's governance decides “{ACTION_LABELS[d.action]}” proposals this way.
                Only a “{ACTION_LABELS.change_governance}” proposal changes it.
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
                To pass, it{' '}
                {ruleSentence(
                  { ...rule, options: ['yes', 'no'] },
                  members.data ? members.data.length : null,
                )}
                .
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
          ) : governance.error ? (
            <p className="notice warning">
              Could not load this commune's governance: {governance.error.message}
            </p>
          ) : (
            <Loading what="the commune's governance" />
          )
        ) : (
          <>
            <SelectField
              label="Method"
              name="method"
              options={METHODS.map((m) => ({ value: m, label: METHOD_LABELS[m] }))}
              value={d.method}
              onChange={(e) => chooseMethod(e.target.value as MethodName)}
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
                hint={
                  d.method === 'majority' ? 'Leave empty for a yes/no motion.' : 'At least two.'
                }
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
                    options:
                      d.options.filter((o) => o.trim()).length > 0 ? d.options : ['yes', 'no'],
                  },
                  members.data ? members.data.length : null,
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
        )}
      </fieldset>
      <fieldset>
        <legend>Ballots and results</legend>
        <CheckboxField
          label="Anonymous ballots"
          name="anonymous"
          checked={d.anonymous}
          onChange={(e) => set({ anonymous: e.target.checked })}
          hint="Nobody sees who voted how; votes cannot be changed and cannot be delegated."
          error={errors.field('anonymous')}
        />
        <SelectField
          label="Results"
          name="hideResults"
          options={HIDE_RESULTS.map((h) => ({ value: h, label: HIDE_RESULTS_LABELS[h] }))}
          value={d.hideResults}
          onChange={(e) => set({ hideResults: e.target.value as HideResults })}
          error={errors.field('hideResults')}
        />
        <TextField
          label="Topic (optional)"
          name="topic"
          maxLength={40}
          value={d.topic}
          onChange={(e) => set({ topic: e.target.value })}
          hint="Members who delegate their vote on this topic follow their delegate here."
          error={errors.field('topic')}
        />
      </fieldset>
      <div className="actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Proposing…' : 'Propose'}
        </button>
        <Link to={decisionsPath(handle)}>Cancel</Link>
      </div>
    </form>
  );
}

export function NewProposalPage({ handle }: { handle: string }) {
  const session = useSession();
  const commune = useApi<Commune>(`/communes/${seg(handle)}`);
  const name = commune.data?.name ?? `@${handle}`;
  const role = commune.data ? roleIn(commune.data, session.me?.communes) : null;
  return (
    <section className="narrow">
      <PageHeading title={`New proposal in ${name}`}>New proposal</PageHeading>
      <p>
        <Link to={decisionsPath(handle)}>Back to the decisions of {name}</Link>
      </p>
      <RequireSignIn what="make a proposal">
        {commune.error ? (
          <ErrorNotice error={commune.error} what={`the commune @${handle}`} />
        ) : !commune.data ? (
          <Loading what="the commune" />
        ) : role === null ? (
          <p className="notice">Only members of {name} make proposals here.</p>
        ) : (
          <NewProposalForm handle={handle} commune={commune.data} />
        )}
      </RequireSignIn>
    </section>
  );
}
