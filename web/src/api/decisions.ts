// The server's own types, imported as types only: erased from the bundle, they cost nothing
// at run time and keep the app's view of the API in step with the server.
import type { ActionResult, ActionView } from '../../../src/decisions/actions/actions.ts';
import type { ActionMethod, ActionType } from '../../../src/decisions/governance.ts';
import type { IrvRound } from '../../../src/decisions/methods/irv.ts';
import type { Tally } from '../../../src/decisions/methods/index.ts';
import type { ProposalView } from '../../../src/decisions/proposal-view.ts';
import type { HideResults, ProposalStatus, ViewerVote } from '../../../src/decisions/proposals.ts';
import type {
  MethodName,
  OptionWeight,
  Outcome,
  OutcomeReason,
  ThresholdBasis,
} from '../../../src/decisions/method-shapes.ts';
import type { BallotView } from '../../../src/decisions/votes.service.ts';
import { api, query, seg, type ApiResult } from './client.ts';
import type { Schema } from './types.ts';

export type {
  ActionMethod,
  ActionResult,
  ActionType,
  ActionView,
  BallotView,
  HideResults,
  IrvRound,
  MethodName,
  OptionWeight,
  Outcome,
  OutcomeReason,
  ProposalStatus,
  Tally,
  ThresholdBasis,
  ViewerVote,
};

// The values below are needed at run time, so they are repeated here rather than imported:
// the server modules that hold them also pull in zod. Types come from the server (above).

export const METHODS = [
  'consent',
  'consensus',
  'majority',
  'ranked',
  'score',
  'allocation',
  'advice',
  'time',
] as const;
/** Methods that answer yes or no: only these can carry an action. */
export const ACTION_METHODS = ['consent', 'consensus', 'majority', 'advice'] as const;

export const STATUSES = ['open', 'passed', 'rejected', 'expired'] as const;
export const HIDE_RESULTS = ['never', 'until_vote', 'until_close'] as const;
export const THRESHOLD_BASES = ['eligible', 'cast'] as const;

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
] as const;

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

/** A proposal as the API shows it (GET /proposals/{id}, the lists, and every write). */
export type Proposal = ProposalView;

export type ProposalInput = {
  title: string;
  body: string;
  method?: MethodName;
  options?: string[];
  closesAt?: string;
  quorum?: number;
  threshold?: number;
  thresholdBasis?: ThresholdBasis;
  budget?: number;
  anonymous: boolean;
  hideResults: HideResults;
  topic?: string | null;
  action?: { type: ActionType; params: Record<string, unknown> };
};

export type Vote =
  | { position: string; reason?: string }
  | { choice: string; reason?: string }
  | { ranking: string[]; reason?: string }
  | { scores: Record<string, number>; reason?: string }
  | { allocation: Record<string, number>; reason?: string }
  | { available: string[]; reason?: string };

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
