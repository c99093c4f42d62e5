// Shapes come from the OpenAPI document (schema.gen.ts).
import { api, query, seg, type ApiResult } from './client.ts';
import type { operations } from './schema.gen.ts';
import type { Schema } from './types.ts';

/** A proposal as the API shows it (GET /proposals/{id}, the lists, and every write). */
export type Proposal = Schema<'Proposal'>;
export type Tally = NonNullable<Proposal['tally']>;
export type ActionView = Schema<'ActionView'>;
export type ActionResult = NonNullable<ActionView['result']>;
export type ActionType = ActionView['type'];
export type ViewerVote = Schema<'ViewerVote'>;
export type BallotView = Schema<'Ballot'>;
export type MethodName = Proposal['method'];
export type ProposalStatus = Proposal['status'];
export type HideResults = Proposal['hideResults'];
export type ThresholdBasis = NonNullable<Proposal['thresholdBasis']>;
export type Outcome = Tally['outcome'];
export type OutcomeReason = NonNullable<Tally['reason']>;
export type OptionWeight = Schema<'OptionWeight'>;
export type IrvRound = Schema<'IrvRound'>;
/** Each method's vote body (ConsentVote, RankedVote…). */
export type Vote = Schema<`${Capitalize<MethodName>}Vote`>;

export type ActionMethod = Rule['method'];

// The values below are needed at run time, so they are repeated here rather than imported:
// the server modules that hold them also pull in zod. `satisfies` keeps them to the document.

export const METHODS = [
  'consent',
  'consensus',
  'majority',
  'ranked',
  'score',
  'allocation',
  'advice',
  'time',
] as const satisfies readonly MethodName[];
/** Methods that answer yes or no: only these can carry an action. */
export const ACTION_METHODS = [
  'consent',
  'consensus',
  'majority',
  'advice',
] as const satisfies readonly ActionMethod[];

export const STATUSES = [
  'open',
  'passed',
  'rejected',
  'expired',
] as const satisfies readonly ProposalStatus[];
export const HIDE_RESULTS = [
  'never',
  'until_vote',
  'until_close',
] as const satisfies readonly HideResults[];
export const THRESHOLD_BASES = ['eligible', 'cast'] as const satisfies readonly ThresholdBasis[];

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
] as const satisfies readonly ActionType[];

export const MAX_SCORE = 5;
export const ALLOCATION_BUDGET = 10;
export const MAX_ALLOCATION_BUDGET = 1000;

export type TallyOf<M extends MethodName> = Extract<Tally, { method: M }>;

export type ActionError = { error: { code: string; message: string } };

export const actionError = (r: ActionResult | null | undefined): ActionError['error'] | null => {
  const e = (r as { error?: unknown } | null | undefined)?.error;
  return e && typeof e === 'object' && typeof (e as { message?: unknown }).message === 'string'
    ? (e as ActionError['error'])
    : null;
};

type ProposalBody = operations['createProposal']['requestBody']['content']['application/json'];
/** What POST /communes/{c}/proposals takes; the form builds an action's params loosely and the server checks them. */
export type ProposalInput = Omit<ProposalBody, 'action'> & {
  action?: { type: ActionType; params: Record<string, unknown> };
};

/** A governance rule, with the proposal that last changed it. */
export type Rule = Schema<'GovernanceRule'>;
export type GovernanceView = Schema<'Governance'>;

export type Delegation = Schema<'Delegation'>;
export type DelegationChange = Schema<'DelegationChange'>;

const base = (commune: string) => `/communes/${seg(commune)}`;

export const decisionPaths = {
  proposals: (commune: string, status?: ProposalStatus | null) =>
    `${base(commune)}/proposals${query({ status })}`,
  proposal: (id: string) => `/proposals/${seg(id)}`,
  ballots: (id: string) => `/proposals/${seg(id)}/votes`,
  governance: (commune: string) => `${base(commune)}/governance`,
  delegations: (commune: string) => `${base(commune)}/delegations`,
};

export const decisionsApi = {
  propose: (commune: string, p: ProposalInput): Promise<ApiResult<Proposal>> =>
    api.post<Proposal>(`${base(commune)}/proposals`, p),
  vote: (id: string, v: Vote): Promise<ApiResult<Proposal>> =>
    api.post<Proposal>(`/proposals/${seg(id)}/votes`, v),
  close: (id: string): Promise<ApiResult<Proposal>> =>
    api.post<Proposal>(`/proposals/${seg(id)}/close`),
  decide: (id: string, decision: 'passed' | 'rejected'): Promise<ApiResult<Proposal>> =>
    api.post<Proposal>(`/proposals/${seg(id)}/decide`, { decision }),
  recordOutcome: (id: string, outcome: string): Promise<ApiResult<Proposal>> =>
    api.post<Proposal>(`/proposals/${seg(id)}/outcome`, { outcome }),
  delegate: (
    commune: string,
    to: string | null,
    topic: string | null,
  ): Promise<ApiResult<DelegationChange>> =>
    api.put(`${base(commune)}/delegation`, topic ? { to, topic } : { to }),
};
