import type { PurseFunds } from './spend-warning.ts';
import { type ActionType, type GovernanceView, type ThresholdBasis } from '../api/decisions.ts';
import type { Currency } from '../api/ledger.ts';
import type { Application, Commune, Member } from '../api/types.ts';
import { parseAmount } from '../ledger/money.ts';
import type { FormErrors } from '../ui/form-errors.ts';

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
    /** What the change_governance changes: one kind of decision's rule, or what outsiders see. */
    what: 'rules' | 'outsiders';
    type: ActionType;
    method: string;
    threshold: string;
    /** '' until chosen: the method's default. */
    thresholdBasis: ThresholdBasis | '';
    quorum: string;
    durationHours: string;
  };
  /** change_governance: who may read the books and see named ballots ('' keeps it as it is). */
  disclosure: { books: Disclosed; ballots: Disclosed };
};
export type Disclosed = '' | 'members' | 'open';

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
    what: 'rules',
    type: 'spend',
    method: '',
    threshold: '',
    thresholdBasis: '',
    quorum: '',
    durationHours: '',
  },
  disclosure: { books: '', ballots: '' },
});

/** Everything the action fields need to know about the commune. */
export type ActionContext = {
  commune: Commune;
  members: Member[];
  currency: Currency | null;
  applications: Application[];
  governance: GovernanceView | null;
  me: string | undefined;
  /** The purse's funds, to warn about a spend it cannot pay. */
  purse?: PurseFunds | null;
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
  'governanceWhat',
  'openBooks',
  'openBallots',
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
      if (r.what === 'outsiders') return disclosureParams(d.disclosure, ctx.governance);
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

/** openBooks / openBallots: only what the draft changes from today's settings. */
function disclosureParams(d: ActionDraft['disclosure'], g: GovernanceView | null): Built {
  const params: Record<string, boolean> = {};
  if (d.books !== '' && (d.books === 'open') !== g?.openBooks)
    params.openBooks = d.books === 'open';
  if (d.ballots !== '' && (d.ballots === 'open') !== g?.openBallots)
    params.openBallots = d.ballots === 'open';
  return Object.keys(params).length > 0
    ? { ok: true, params }
    : no('openBooks', 'Choose something to change: the books or the ballots.');
}

/** The current rule of one action type, as the change_governance fields start out. */
export function ruleDraft(type: ActionType, g: GovernanceView | null): ActionDraft['rule'] {
  const r = g?.rules[type];
  const pct = (v: number | null | undefined) =>
    v === null || v === undefined ? '' : String(Number((v * 100).toFixed(1)));
  return {
    what: 'rules',
    type,
    method: r?.method ?? 'consent',
    threshold: pct(r?.threshold),
    thresholdBasis: r?.thresholdBasis ?? '',
    quorum: pct(r?.quorum),
    durationHours: r ? String(r.durationHours) : '',
  };
}

/** What each action type's fields receive. */
export type ActionFieldsProps = {
  draft: ActionDraft;
  onChange: (d: ActionDraft) => void;
  ctx: ActionContext;
  errors: FormErrors;
};
