import { accessErrors } from '../communes/communes.errors.ts';
import { failer, type CodeOf } from '../shared/result.ts';

/** Every error the decisions context answers with (proposals, votes, delegations, shortcuts). */
export const decisionsErrors = {
  ...accessErrors,
  // proposal settings (settings.ts, methods/)
  method_required: 'invalid_input',
  unknown_method: 'invalid_input',
  options_missing: 'invalid_input',
  options_not_allowed: 'invalid_input',
  options_duplicated: 'invalid_input',
  option_invalid: 'invalid_input',
  too_many_options: 'invalid_input',
  invalid_quorum: 'invalid_input',
  invalid_threshold: 'invalid_input',
  threshold_not_used: 'invalid_input',
  invalid_budget: 'invalid_input',
  budget_not_used: 'invalid_input',
  closes_at_required: 'invalid_input',
  closes_at_past: 'invalid_input',
  closes_at_too_far: 'invalid_input',
  opens_after_close: 'invalid_input',
  governance_mismatch: 'rule_violation',
  // actions, checked when proposed (actions.service.ts)
  not_a_member: 'rule_violation',
  application_not_found: 'not_found',
  application_not_pending: 'conflict',
  commune_not_found: 'not_found',
  purse_to_purse: 'rule_violation',
  limit_required: 'rule_violation',
  self_alliance: 'rule_violation',
  no_alliance: 'rule_violation',
  unknown_commune: 'rule_violation',
  invalid_rate: 'rule_violation',
  invalid_trade_limit: 'rule_violation',
  mirrored_limit_out_of_range: 'rule_violation',
  already_allied: 'rule_violation',
  alliance_already_requested: 'rule_violation',
  // a proposal's life
  proposal_not_found: 'not_found',
  proposal_closed: 'conflict',
  // Its author edits a proposal until the first vote (ADR 0023).
  proposal_has_votes: 'conflict',
  author_or_steward: 'forbidden',
  author_only: 'forbidden',
  subject_cannot_close: 'forbidden',
  author_decides: 'rule_violation',
  not_advice: 'rule_violation',
  not_settled: 'rule_violation',
  still_open: 'rule_violation',
  // votes
  voting_not_open: 'rule_violation',
  voting_ended: 'rule_violation',
  subject_cannot_vote: 'rule_violation',
  already_voted: 'conflict',
  results_hidden: 'forbidden',
  // delegations
  self_delegation: 'rule_violation',
  delegate_not_member: 'rule_violation',
  too_many_delegations: 'rule_violation',
  // the steward shortcuts a decision replaced
  decision_required: 'rule_violation',
} as const;
export type DecisionsErrorCode = CodeOf<typeof decisionsErrors>;

export const decisionsFail = failer(decisionsErrors);
