// How a proposal is shown: the contract's fields, the tally only where hideResults allows.
import { presentedParams, type ActionView } from './actions/actions.ts';
import type { PresentedTally, ProposalRecord, ProposalStatus, ViewerVote } from './proposals.ts';
import type { MethodName, ThresholdBasis } from './method-shapes.ts';
import type { Settlement } from './tallying.ts';

export type ProposalView = {
  id: string;
  commune: string;
  title: string;
  body: string;
  author: string | null;
  status: ProposalStatus;
  method: MethodName;
  options: string[];
  closesAt: string;
  opensAt: string;
  quorum: number;
  threshold: number | null;
  /** What the threshold is a share of: 'cast' (votes cast, abstentions out) or 'eligible' (all eligible members); null without a threshold. */
  thresholdBasis: ThresholdBasis | null;
  budget: number | null;
  anonymous: boolean;
  hideResults: ProposalRecord['hideResults'];
  topic: string | null;
  /** Null while hideResults hides it. */
  tally: PresentedTally | null;
  tallyHidden: boolean;
  /** advice: what the author decided. */
  authorDecision: 'passed' | 'rejected' | null;
  /** What came of it, stated after the close. */
  outcome: string | null;
  outcomeBy: string | null;
  outcomeAt: string | null;
  action: ActionView | null;
  createdAt: string;
  closedAt: string | null;
  /** Members only; null for everyone else. */
  viewerVote: ViewerVote | null;
  /** While open and the tally shows: whether it may close before closesAt, and what it waits for. */
  settlement: Settlement | null;
};

export function proposalView(
  p: ProposalRecord,
  tally: PresentedTally | null,
  viewerVote: ViewerVote | null,
  settlement: Settlement | null = null,
): ProposalView {
  return {
    id: p.id,
    commune: p.communeHandle,
    title: p.title,
    body: p.body,
    author: p.authorHandle,
    status: p.status,
    method: p.method,
    options: p.options,
    closesAt: p.closesAt,
    opensAt: p.opensAt,
    quorum: p.quorum,
    threshold: p.threshold,
    thresholdBasis: p.thresholdBasis,
    budget: p.budget,
    anonymous: p.anonymous,
    hideResults: p.hideResults,
    topic: p.topic,
    tally,
    tallyHidden: tally === null,
    authorDecision: p.authorDecision,
    outcome: p.outcome,
    outcomeBy: p.outcomeBy,
    outcomeAt: p.outcomeAt,
    action:
      p.action === null
        ? null
        : {
            type: p.action.type,
            params: presentedParams(p.action),
            executed: p.actionExecuted,
            result: p.actionResult,
          },
    createdAt: p.createdAt,
    closedAt: p.closedAt,
    viewerVote,
    settlement,
  };
}
