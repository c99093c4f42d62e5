import { useMemo, useRef, useState, type FormEvent } from 'react';
import { seg } from '../api/client.ts';
import {
  HIDE_RESULTS,
  decisionPaths,
  decisionsApi,
  type ActionType,
  type GovernanceView,
  type HideResults,
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
  emptyActionDraft,
  ruleDraft,
  type ActionContext,
  type ActionDraft,
} from './action-draft.ts';
import { ActionFields } from './action-fields.tsx';
import {
  ACTION_LABELS,
  HIDE_RESULTS_LABELS,
  PICKABLE_ACTIONS,
  decisionsPath,
  proposalPath,
} from './labels.ts';
import { GovernedRule, MethodFields } from './method-fields.tsx';
import {
  FIELDS,
  buildProposal,
  emptyDraft,
  placed,
  withMethod,
  type Draft,
} from './proposal-draft.ts';

function NewProposalForm({ handle, commune }: { handle: string; commune: Commune }) {
  const session = useSession();
  const members = useApi<Member[]>(`/communes/${seg(handle)}/members`);
  const ledger = useApi<Ledger>(ledgerPaths.ledger(handle));
  const governance = useApi<GovernanceView>(decisionPaths.governance(handle));
  const applications = usePagedList<Application>(`/communes/${seg(handle)}/applications`);
  const [d, setD] = useState<Draft>(emptyDraft);
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
      // The route lists pending applications only.
      applications: applications.data ?? [],
      governance: governance.data,
      me: session.me?.handle,
      purse: ledger.data?.accounts.find((a) => a.kind === 'purse') ?? null,
    }),
    [commune, members.data, ledger.data, applications.data, governance.data, session.me?.handle],
  );
  const rule = d.action ? governance.data?.rules[d.action] : undefined;
  const memberCount = members.data ? members.data.length : null;

  function chooseAction(action: ActionType | '') {
    set({ action });
    if (action === 'change_governance')
      setActionDraft({ ...actionDraft, rule: ruleDraft(actionDraft.rule.type, governance.data) });
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const built = buildProposal(d, actionDraft, ctx);
    if (!built.ok) {
      // A refusal made here, beside its field.
      const { field, message } = built;
      return errors.show({ status: 0, code: 'invalid_input', message, field }, form.current);
    }
    setBusy(true);
    const r = await decisionsApi.propose(handle, built.input);
    setBusy(false);
    if (!r.ok) return errors.show(placed(r.error), form.current);
    navigate(proposalPath(r.value.id));
  }

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
            <GovernedRule action={d.action} rule={rule} memberCount={memberCount} errors={errors} />
          ) : governance.error ? (
            <p className="notice warning">
              Could not load this commune's governance: {governance.error.message}
            </p>
          ) : (
            <Loading what="the commune's governance" />
          )
        ) : (
          <MethodFields
            d={d}
            set={set}
            onMethod={(method) => setD(withMethod(d, method))}
            memberCount={memberCount}
            errors={errors}
          />
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
