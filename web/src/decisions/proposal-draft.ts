import type { ApiError } from '../api/client.ts';
import {
  ALLOCATION_BUDGET,
  type ActionType,
  type HideResults,
  type MethodName,
  type ProposalInput,
  type ThresholdBasis,
} from '../api/decisions.ts';
import {
  ACTION_FIELDS,
  buildParams,
  share,
  type ActionContext,
  type ActionDraft,
} from './action-draft.ts';
import { fromLocalInput, toLocalInput } from './options-editor.tsx';

/** The new-proposal form's fields, as errors name them. */
export const FIELDS = [
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
export const CHOICE: ReadonlySet<MethodName> = new Set(['ranked', 'score', 'allocation', 'time']);
export const THRESHOLD_DEFAULTS: Partial<Record<MethodName, number>> = {
  consensus: 75,
  majority: 50,
};
/** A share typed as a percentage, or null while empty or not a number. */
export const typedShare = (text: string) => {
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
export function placed(e: ApiError): ApiError {
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

/** What the new-proposal form holds while being edited: text as typed. */
export type Draft = {
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

export const emptyDraft = (): Draft => ({
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
});

/** The draft with another method: enough option rows for it, and its default threshold. */
export function withMethod(d: Draft, method: MethodName): Draft {
  const options =
    CHOICE.has(method) && d.options.length < 2
      ? [...d.options, '', ''].slice(0, Math.max(2, d.options.length))
      : d.options;
  const slots = method === 'time' && d.slots.length === 0 ? ['', ''] : d.slots;
  const fallback = THRESHOLD_DEFAULTS[method];
  return {
    ...d,
    method,
    options,
    slots,
    threshold: fallback === undefined ? '' : String(fallback),
    thresholdBasis: BASIS_DEFAULTS[method] ?? 'cast',
  };
}

type Built = { ok: true; input: ProposalInput } | { ok: false; field: string; message: string };
const no = (field: string, message: string): Built => ({ ok: false, field, message });

/** The proposal to send from the drafts, or the first field that is not right. */
export function buildProposal(d: Draft, actionDraft: ActionDraft, ctx: ActionContext): Built {
  const base = {
    title: d.title.trim(),
    body: d.body.trim(),
    anonymous: d.anonymous,
    hideResults: d.hideResults,
    ...(d.topic.trim() ? { topic: d.topic.trim() } : {}),
  };
  if (!base.title) return no('title', 'Give the proposal a title.');
  if (d.action) {
    const params = buildParams(d.action, actionDraft, ctx);
    if (!params.ok) return no(params.field, params.message);
    return { ok: true, input: { ...base, action: { type: d.action, params: params.params } } };
  }
  const input: ProposalInput = { ...base, method: d.method };
  const closesAt = fromLocalInput(d.closesAt);
  if (!closesAt) return no('closesAt', 'Choose when voting ends.');
  input.closesAt = closesAt;
  if (d.method === 'time') {
    const slots = d.slots.map(fromLocalInput);
    if (slots.some((s) => s === null))
      return no('options', 'Fill in every time slot, or remove the empty ones.');
    input.options = slots as string[];
  } else if (CHOICE.has(d.method) || d.method === 'majority') {
    const options = d.options.map((o) => o.trim()).filter(Boolean);
    if (CHOICE.has(d.method) && options.length < 2)
      return no('options', 'Give at least two options.');
    if (options.length > 0) input.options = options;
  }
  const quorum = share(d.quorum);
  if (quorum !== null) {
    if (Number.isNaN(quorum)) return no('quorum', 'A percentage, such as 50.');
    input.quorum = quorum;
  }
  const threshold = share(d.threshold);
  if (threshold !== null && (d.method === 'consensus' || d.method === 'majority')) {
    if (Number.isNaN(threshold)) return no('threshold', 'A percentage, such as 75.');
    input.threshold = threshold;
  }
  if (d.method === 'consensus' || d.method === 'majority') input.thresholdBasis = d.thresholdBasis;
  if (d.method === 'allocation') {
    const budget = Number(d.budget);
    if (!Number.isInteger(budget) || budget < 1)
      return no('budget', 'A whole number of points, at least 1.');
    input.budget = budget;
  }
  return { ok: true, input };
}
