import {
  ACTION_METHODS,
  ACTION_TYPES,
  THRESHOLD_BASES,
  type ActionType,
  type GovernanceView,
  type ThresholdBasis,
} from '../api/decisions.ts';
import type { Currency } from '../api/ledger.ts';
import type { Application, Commune, Member } from '../api/types.ts';
import { JOIN_POLICY_LABELS, VISIBILITY_LABELS } from '../communes/labels.ts';
import { formatAmount, parseAmount, pluralUnit } from '../ledger/money.ts';
import { CheckboxField, SelectField, TextArea, TextField } from '../ui/fields.tsx';
import type { FormErrors } from '../ui/form-errors.ts';
import { Person } from '../ui/person.tsx';
import { ACTION_LABELS, METHOD_LABELS, THRESHOLD_BASIS_LABELS } from './labels.ts';

/** What the action fields hold while being edited: text as typed. */
export type ActionDraft = {
  to: string;
  amount: string;
  memo: string;
  member: string;
  limit: string;
  useDefault: boolean;
  application: string;
  charter: {
    name: string;
    vision: string;
    agreements: string;
    joinPolicy: string;
    visibility: string;
    maxMembers: string;
  };
  rule: {
    type: ActionType;
    method: string;
    threshold: string;
    /** '' until chosen: the method's default. */
    thresholdBasis: ThresholdBasis | '';
    quorum: string;
    durationHours: string;
  };
};

export const emptyActionDraft = (commune: Commune | null): ActionDraft => ({
  to: '',
  amount: '',
  memo: '',
  member: '',
  limit: '',
  useDefault: false,
  application: '',
  charter: {
    name: commune?.name ?? '',
    vision: commune?.vision ?? '',
    agreements: commune?.agreements.join('\n') ?? '',
    joinPolicy: commune?.joinPolicy ?? 'open',
    visibility: commune?.visibility ?? 'public',
    maxMembers: String(commune?.maxMembers ?? ''),
  },
  rule: {
    type: 'spend',
    method: '',
    threshold: '',
    thresholdBasis: '',
    quorum: '',
    durationHours: '',
  },
});

/** Everything the action fields need to know about the commune. */
export type ActionContext = {
  commune: Commune;
  members: Member[];
  currency: Currency | null;
  applications: Application[];
  governance: GovernanceView | null;
  me: string | undefined;
};

/** Action fields by name: the API names them `action.params.<name>`. */
export const ACTION_FIELDS = [
  'to',
  'amount',
  'memo',
  'member',
  'limit',
  'application',
  'name',
  'vision',
  'agreements',
  'joinPolicy',
  'visibility',
  'maxMembers',
  'ruleType',
  'ruleMethod',
  'ruleThreshold',
  'ruleQuorum',
  'ruleDuration',
] as const;

type Built =
  { ok: true; params: Record<string, unknown> } | { ok: false; field: string; message: string };
const no = (field: string, message: string): Built => ({ ok: false, field, message });

/** A percentage as typed ("66.7") → a share (0.667), or null when blank; NaN when not a number. */
export const share = (text: string): number | null =>
  text.trim() === '' ? null : Number(text.replace(',', '.')) / 100;

/** The action's params from the draft, or the first field that is not right. */
export function buildParams(type: ActionType, d: ActionDraft, ctx: ActionContext): Built {
  const currency = ctx.currency;
  switch (type) {
    case 'spend': {
      if (!d.to) return no('to', 'Choose who the purse pays.');
      if (!currency) return no('amount', 'The currency is still loading; try again in a moment.');
      const amount = parseAmount(d.amount, currency);
      if (!amount.ok) return no('amount', amount.message);
      return { ok: true, params: { to: d.to, amount: amount.value, memo: d.memo.trim() } };
    }
    case 'set_credit_limit': {
      if (!d.member) return no('member', 'Choose whose limit to change.');
      if (d.useDefault && d.member !== 'default')
        return { ok: true, params: { member: d.member, limit: null } };
      if (!currency) return no('limit', 'The currency is still loading; try again in a moment.');
      const limit = parseAmount(d.limit, currency, { allowZero: true });
      return limit.ok
        ? { ok: true, params: { member: d.member, limit: limit.value } }
        : no('limit', limit.message);
    }
    case 'admit_member':
      return d.application
        ? { ok: true, params: { application: d.application } }
        : no('application', 'Choose an application.');
    case 'remove_member':
      return d.member
        ? { ok: true, params: { member: d.member } }
        : no('member', 'Choose the member to remove.');
    case 'amend_charter': {
      const c = ctx.commune;
      const params: Record<string, unknown> = {};
      if (d.charter.name.trim() !== c.name) params.name = d.charter.name.trim();
      if (d.charter.vision.trim() !== c.vision) params.vision = d.charter.vision.trim();
      const agreements = d.charter.agreements
        .split('\n')
        .map((a) => a.trim())
        .filter(Boolean);
      if (agreements.join('\n') !== c.agreements.join('\n')) params.agreements = agreements;
      if (d.charter.joinPolicy !== c.joinPolicy) params.joinPolicy = d.charter.joinPolicy;
      if (d.charter.visibility !== c.visibility) params.visibility = d.charter.visibility;
      const max = Number(d.charter.maxMembers);
      if (!Number.isInteger(max) || max < 2) return no('maxMembers', 'A whole number, at least 2.');
      if (max !== c.maxMembers) params.maxMembers = max;
      return Object.keys(params).length > 0
        ? { ok: true, params }
        : no('name', 'Change at least one part of the charter.');
    }
    case 'change_governance': {
      const r = d.rule;
      if (!r.method) return no('ruleMethod', 'Choose a method.');
      const rule: Record<string, unknown> = { method: r.method };
      const threshold = share(r.threshold);
      if (threshold !== null) {
        if (Number.isNaN(threshold)) return no('ruleThreshold', 'A percentage, such as 50.');
        if (r.method === 'consensus' || r.method === 'majority') rule.threshold = threshold;
      }
      if (r.thresholdBasis && (r.method === 'consensus' || r.method === 'majority'))
        rule.thresholdBasis = r.thresholdBasis;
      const quorum = share(r.quorum);
      if (quorum !== null) {
        if (Number.isNaN(quorum)) return no('ruleQuorum', 'A percentage, such as 50.');
        rule.quorum = quorum;
      }
      if (r.durationHours.trim()) {
        const hours = Number(r.durationHours);
        if (!Number.isInteger(hours) || hours < 1)
          return no('ruleDuration', 'A whole number of hours, at least 1.');
        rule.durationHours = hours;
      }
      return { ok: true, params: { rules: { [r.type]: rule } } };
    }
    default:
      return no('action', 'This action cannot be proposed from this form.');
  }
}

/** The current rule of one action type, as the change_governance fields start out. */
export function ruleDraft(type: ActionType, g: GovernanceView | null): ActionDraft['rule'] {
  const r = g?.rules[type];
  const pct = (v: number | null | undefined) =>
    v === null || v === undefined ? '' : String(Number((v * 100).toFixed(1)));
  return {
    type,
    method: r?.method ?? 'consent',
    threshold: pct(r?.threshold),
    thresholdBasis: r?.thresholdBasis ?? '',
    quorum: pct(r?.quorum),
    durationHours: r ? String(r.durationHours) : '',
  };
}

const memberLabel = (m: Member) =>
  m.displayName && m.displayName !== m.handle ? `${m.displayName} (@${m.handle})` : `@${m.handle}`;

export function ActionFields({
  type,
  draft,
  onChange,
  ctx,
  errors,
}: {
  type: ActionType;
  draft: ActionDraft;
  onChange: (d: ActionDraft) => void;
  ctx: ActionContext;
  errors: FormErrors;
}) {
  const set = (patch: Partial<ActionDraft>) => onChange({ ...draft, ...patch });
  const setCharter = (patch: Partial<ActionDraft['charter']>) =>
    onChange({ ...draft, charter: { ...draft.charter, ...patch } });
  const setRule = (patch: Partial<ActionDraft['rule']>) =>
    onChange({ ...draft, rule: { ...draft.rule, ...patch } });
  const c = ctx.currency;
  const units = c ? pluralUnit(c.unit) : 'units';
  const amountHint = c
    ? c.decimals === 0
      ? `Whole ${units}.`
      : `In ${units}, up to ${c.decimals} decimal places.`
    : undefined;
  const members = [...ctx.members].sort((a, b) => a.handle.localeCompare(b.handle));
  const choose = (what: string, list: Member[]) => [
    { value: '', label: what },
    ...list.map((m) => ({ value: m.handle, label: memberLabel(m) })),
  ];

  switch (type) {
    case 'spend':
      return (
        <>
          <SelectField
            label="Pay to"
            name="to"
            options={choose('Choose a member', members)}
            value={draft.to}
            onChange={(e) => set({ to: e.target.value })}
            error={errors.field('to')}
          />
          <TextField
            label={`Amount (${units})`}
            name="amount"
            inputMode={c && c.decimals > 0 ? 'decimal' : 'numeric'}
            autoComplete="off"
            value={draft.amount}
            onChange={(e) => set({ amount: e.target.value })}
            hint={amountHint}
            error={errors.field('amount')}
          />
          <TextField
            label="What for (optional)"
            name="memo"
            maxLength={500}
            value={draft.memo}
            onChange={(e) => set({ memo: e.target.value })}
            hint="Shown on the purse's statement; the proposal's title is used if you leave it empty."
            error={errors.field('memo')}
          />
        </>
      );
    case 'set_credit_limit':
      return (
        <>
          <SelectField
            label="Whose limit"
            name="member"
            options={[
              ...choose('Choose a member', members),
              {
                value: 'default',
                label: `The default for everyone${c ? ` (now ${formatAmount(-c.defaultCreditLimit, c.decimals)})` : ''}`,
              },
            ]}
            value={draft.member}
            onChange={(e) => set({ member: e.target.value })}
            error={errors.field('member')}
          />
          {draft.member !== 'default' ? (
            <CheckboxField
              label="Put them back on the commune's default limit"
              name="useDefault"
              checked={draft.useDefault}
              onChange={(e) => set({ useDefault: e.target.checked })}
            />
          ) : null}
          {draft.useDefault && draft.member !== 'default' ? null : (
            <TextField
              label={`New credit limit (${units})`}
              name="limit"
              inputMode="decimal"
              autoComplete="off"
              value={draft.limit}
              onChange={(e) => set({ limit: e.target.value })}
              hint="How far below zero the balance may go: 30 means down to −30."
              error={errors.field('limit')}
            />
          )}
        </>
      );
    case 'admit_member':
      return ctx.applications.length === 0 ? (
        <p className="notice">
          No one is waiting to join. (Each new application opens its own admission proposal.)
        </p>
      ) : (
        <SelectField
          label="Application"
          name="application"
          options={[
            { value: '', label: 'Choose an application' },
            ...ctx.applications.map((a) => ({
              value: a.id,
              label: `@${a.handle ?? (typeof a.applicant === 'string' ? a.applicant : (a.applicant?.handle ?? a.id))}`,
            })),
          ]}
          value={draft.application}
          onChange={(e) => set({ application: e.target.value })}
          error={errors.field('application')}
        />
      );
    case 'remove_member':
      return (
        <>
          <SelectField
            label="Member to remove"
            name="member"
            options={choose(
              'Choose a member',
              members.filter((m) => m.handle !== ctx.me),
            )}
            value={draft.member}
            onChange={(e) => set({ member: e.target.value })}
            error={errors.field('member')}
          />
          {draft.member ? (
            <p className="hint">
              <Person person={draft.member} /> does not vote on their own removal.
            </p>
          ) : null}
        </>
      );
    case 'amend_charter':
      return (
        <>
          <p className="hint">Change what should change; only the changed parts are proposed.</p>
          <TextField
            label="Name"
            name="name"
            maxLength={100}
            value={draft.charter.name}
            onChange={(e) => setCharter({ name: e.target.value })}
            error={errors.field('name')}
          />
          <TextArea
            label="Vision"
            name="vision"
            rows={4}
            maxLength={5000}
            value={draft.charter.vision}
            onChange={(e) => setCharter({ vision: e.target.value })}
            error={errors.field('vision')}
          />
          <TextArea
            label="Agreements"
            name="agreements"
            rows={4}
            value={draft.charter.agreements}
            onChange={(e) => setCharter({ agreements: e.target.value })}
            hint="One agreement per line."
            error={errors.field('agreements')}
          />
          <SelectField
            label="Join policy"
            name="joinPolicy"
            options={Object.entries(JOIN_POLICY_LABELS).map(([value, label]) => ({ value, label }))}
            value={draft.charter.joinPolicy}
            onChange={(e) => setCharter({ joinPolicy: e.target.value })}
            error={errors.field('joinPolicy')}
          />
          <SelectField
            label="Visibility"
            name="visibility"
            options={Object.entries(VISIBILITY_LABELS).map(([value, label]) => ({ value, label }))}
            value={draft.charter.visibility}
            onChange={(e) => setCharter({ visibility: e.target.value })}
            error={errors.field('visibility')}
          />
          <TextField
            label="Most members"
            name="maxMembers"
            type="number"
            min={2}
            max={150}
            value={draft.charter.maxMembers}
            onChange={(e) => setCharter({ maxMembers: e.target.value })}
            error={errors.field('maxMembers')}
          />
        </>
      );
    case 'change_governance': {
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
    default:
      return null;
  }
}
