import { api, query, seg, type ApiResult } from './client.ts';

/** Shapes of the decisions API (src/decisions/proposals.ts, tally.ts, methods/*.ts). Extra fields are ignored. */

export const METHODS = ['consent', 'consensus', 'majority', 'ranked', 'score', 'allocation', 'advice', 'time'] as const;
export type MethodName = (typeof METHODS)[number];
/** Methods that answer yes or no: only these can carry an action. */
export const ACTION_METHODS = ['consent', 'consensus', 'majority', 'advice'] as const;
export type ActionMethod = (typeof ACTION_METHODS)[number];

export const STATUSES = ['open', 'passed', 'rejected', 'expired'] as const;
export type ProposalStatus = (typeof STATUSES)[number];
export const HIDE_RESULTS = ['never', 'until_vote', 'until_close'] as const;
export type HideResults = (typeof HIDE_RESULTS)[number];

export const ACTION_TYPES = ['admit_member', 'remove_member', 'spend', 'set_credit_limit', 'set_currency', 'amend_charter', 'form_alliance', 'end_alliance', 'change_governance'] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

export const MAX_SCORE = 5;
export const ALLOCATION_BUDGET = 10;
export const MAX_ALLOCATION_BUDGET = 1000;

export type Outcome = 'passed' | 'rejected' | 'undecided';
export type OutcomeReason = 'open' | 'quorum_not_met' | 'objected' | 'blocked' | 'threshold_not_met' | 'tied' | 'no_votes' | 'awaiting_author' | 'author_decided';

export type OptionWeight = { option: string; weight: number };

type TallyCommon = {
  outcome: Outcome;
  reason: OutcomeReason | null;
  closed: boolean;
  eligible: number;
  castWeight: number;
  ballotCount: number;
  quorum: number;
  quorumMet: boolean;
  threshold: number | null;
  /** How many votes each ballot carried (1 + delegated); voter null on anonymous proposals. */
  carried: { voter: string | null; weight: number }[];
};
type Choice = { winners: string[]; winner: string | null };

export type IrvRound = { counts: OptionWeight[]; exhausted: number; eliminated: string | null };

export type Tally =
  | (TallyCommon & { method: 'consent'; counts: { consent: number; object: number } })
  | (TallyCommon & { method: 'consensus'; counts: { agree: number; abstain: number; disagree: number; block: number }; agreeShare: number })
  | (TallyCommon & Choice & { method: 'majority'; counts: OptionWeight[]; motion: boolean })
  | (TallyCommon &
      Choice & {
        method: 'ranked';
        options: string[];
        /** pairwise[i][j]: votes preferring option i to option j. */
        pairwise: number[][];
        /** strongestPaths[i][j]: Schulze's strongest path from i to j. */
        strongestPaths: number[][];
        order: string[];
        instantRunoff: { winner: string | null; rounds: IrvRound[] };
      })
  | (TallyCommon & Choice & { method: 'score'; counts: (OptionWeight & { average: number })[] })
  | (TallyCommon & Choice & { method: 'allocation'; budget: number; counts: OptionWeight[] })
  | (TallyCommon & { method: 'advice'; counts: { support: number; concern: number } })
  | (TallyCommon & Choice & { method: 'time'; counts: OptionWeight[] });

export type TallyOf<M extends MethodName> = Extract<Tally, { method: M }>;

export type ActionError = { error: { code: string; message: string } };
export type ActionResult = Record<string, unknown> | ActionError;
export type ActionView = { type: ActionType; params: Record<string, unknown>; executed: boolean; result: ActionResult | null };

export const actionError = (r: ActionResult | null | undefined): ActionError['error'] | null => {
  const e = (r as { error?: unknown } | null | undefined)?.error;
  return e && typeof e === 'object' && typeof (e as { message?: unknown }).message === 'string' ? (e as ActionError['error']) : null;
};

/** What the viewer did: their own ballot (never on anonymous ones) and where their vote goes otherwise. */
export type ViewerVote = { voted: boolean; vote: Record<string, unknown> | null; castAt: string | null; delegatedTo: string | null };

export type Proposal = {
  id: string;
  commune: string;
  author: string | null;
  title: string;
  body: string;
  method: MethodName;
  options: string[];
  quorum: number;
  threshold: number | null;
  budget: number | null;
  anonymous: boolean;
  hideResults: HideResults;
  topic: string | null;
  opensAt: string;
  closesAt: string;
  status: ProposalStatus;
  action: ActionView | null;
  /** Null while hideResults hides it from the viewer. */
  tally: Tally | null;
  tallyHidden: boolean;
  /** advice: what the author decided. */
  authorDecision: 'passed' | 'rejected' | null;
  /** What came of it, stated after the close. */
  outcome: string | null;
  outcomeBy: string | null;
  outcomeAt: string | null;
  createdAt: string;
  closedAt: string | null;
  /** Members only; null for everyone else. */
  viewerVote: ViewerVote | null;
};

/** A ballot as listed once results show: no voter on anonymous proposals. */
export type BallotView = { voter: string | null; vote: Record<string, unknown>; reason: string | null; castAt: string | null };

export type ProposalInput = {
  title: string;
  body: string;
  method?: MethodName;
  options?: string[];
  closesAt?: string;
  quorum?: number;
  threshold?: number;
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

export type Rule = { method: ActionMethod; threshold: number | null; quorum: number; durationHours: number; proposal?: string | null; updatedAt?: string | null };
export type GovernanceView = { rules: Record<ActionType, Rule> };

export type Delegation = { from: string; to: string; topic: string | null; createdAt?: string };

const base = (commune: string) => `/communes/${seg(commune)}`;

export const decisionPaths = {
  proposals: (commune: string, status?: ProposalStatus | null) => `${base(commune)}/proposals${query({ status })}`,
  proposal: (id: string) => `/proposals/${seg(id)}`,
  ballots: (id: string) => `/proposals/${seg(id)}/votes`,
  governance: (commune: string) => `${base(commune)}/governance`,
  delegations: (commune: string) => `${base(commune)}/delegations`,
};

export const decisionsApi = {
  propose: (commune: string, p: ProposalInput): Promise<ApiResult<Proposal>> => api.post<Proposal>(`${base(commune)}/proposals`, p),
  vote: (id: string, v: Vote): Promise<ApiResult<Proposal>> => api.post<Proposal>(`/proposals/${seg(id)}/votes`, v),
  close: (id: string): Promise<ApiResult<Proposal>> => api.post<Proposal>(`/proposals/${seg(id)}/close`),
  decide: (id: string, decision: 'passed' | 'rejected'): Promise<ApiResult<Proposal>> => api.post<Proposal>(`/proposals/${seg(id)}/decide`, { decision }),
  recordOutcome: (id: string, outcome: string): Promise<ApiResult<Proposal>> => api.post<Proposal>(`/proposals/${seg(id)}/outcome`, { outcome }),
  delegate: (commune: string, to: string | null, topic: string | null): Promise<ApiResult<{ from: string; to: string | null; topic: string | null }>> => api.put(`${base(commune)}/delegation`, topic ? { to, topic } : { to }),
};
