import type {
  ActionType,
  HideResults,
  MethodName,
  OutcomeReason,
  ProposalStatus,
  ThresholdBasis,
} from '../api/decisions.ts';
import { communePath } from '../communes/labels.ts';

/** The web app's own paths for the decisions pages. */
export const decisionsPath = (commune: string) => `${communePath(commune)}/decisions`;
export const newProposalPath = (commune: string) => `${decisionsPath(commune)}/new`;
export const delegationPath = (commune: string) => `${communePath(commune)}/delegation`;
export const proposalPath = (id: string) => `/proposals/${encodeURIComponent(id)}`;

export const METHOD_LABELS: Record<MethodName, string> = {
  consent: 'Consent',
  consensus: 'Consensus',
  majority: 'Majority vote',
  ranked: 'Ranked choice',
  score: 'Score',
  allocation: 'Points to spend',
  advice: 'Advice',
  time: 'Find a time',
};

export const METHOD_HINTS: Record<MethodName, string> = {
  consent: 'Passes unless someone objects. An objection needs a reason.',
  consensus:
    'Members agree, abstain, disagree or block. Passes with no block and enough agreement.',
  majority: 'One choice each. Without options it is a yes/no motion.',
  ranked:
    'Members rank the options. The Schulze winner decides; the instant-runoff result is shown too.',
  score: 'Members score every option from 0 to 5; the highest total wins.',
  allocation: 'Members share out a budget of points among the options; the most points wins.',
  advice: 'Members give advice with a reason; after the close, you decide.',
  time: 'Members tick the time slots that work for them; the slot most can make wins.',
};

export const STATUS_LABELS: Record<ProposalStatus, string> = {
  open: 'Open',
  passed: 'Passed',
  rejected: 'Rejected',
  expired: 'Expired (no quorum)',
};

export const HIDE_RESULTS_LABELS: Record<HideResults, string> = {
  never: 'Show results while voting',
  until_vote: 'Hide results from each member until they vote',
  until_close: 'Hide results until the proposal closes',
};

export const REASON_WORDS: Record<OutcomeReason, string> = {
  open: 'voting goes on; the result can still change',
  quorum_not_met: 'too few votes were cast to meet the quorum',
  objected: 'someone objected',
  blocked: 'someone blocked',
  threshold_not_met: 'not enough support to reach the threshold',
  tied: 'the top options are tied',
  no_votes: 'nobody voted for any option',
  awaiting_author: 'the advice is in; the author decides',
  author_decided: 'the author decided after hearing the advice',
};

export const ACTION_LABELS: Record<ActionType, string> = {
  spend: 'Spend from the purse',
  set_credit_limit: 'Change a credit limit',
  admit_member: 'Admit an applicant',
  remove_member: 'Remove a member',
  amend_charter: 'Amend the charter',
  change_governance: 'Change how we decide',
  set_currency: 'Change the currency',
  form_alliance: 'Form an alliance',
  end_alliance: 'End an alliance',
};

/** The actions the proposal form offers. */
export const PICKABLE_ACTIONS = [
  'spend',
  'set_credit_limit',
  'admit_member',
  'remove_member',
  'amend_charter',
  'change_governance',
] as const satisfies readonly ActionType[];

/** 0.5 → "50%", 2/3 → "66.7%". */
export const percent = (share: number) => `${Number((share * 100).toFixed(1))}%`;

/** A time-slot option is stored as an ISO time; shown in the reader's own time zone. */
export function slotLabel(option: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T/.test(option)) return option;
  const d = new Date(option);
  if (Number.isNaN(d.getTime())) return option;
  return d.toLocaleString(undefined, {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** An option as people read it: time slots formatted, everything else as written. */
export const optionLabel = (method: MethodName, option: string) =>
  method === 'time' ? slotLabel(option) : option;

/**
 * How the threshold reads for a method: consensus needs "at least", majority "more than",
 * of all members or of the votes cast. A tally frozen before thresholds had a basis
 * counted votes cast, hence the default.
 */
export function thresholdWords(
  method: MethodName,
  threshold: number | null,
  basis: ThresholdBasis | null = 'cast',
): string | null {
  if (threshold === null) return null;
  const all = basis === 'eligible';
  if (method === 'consensus')
    return `at least ${percent(threshold)} of ${all ? 'all members' : 'those who take a side'} agree`;
  if (method === 'majority')
    return `the winning option needs more than ${percent(threshold)} of ${all ? 'all members' : 'the votes'}`;
  return percent(threshold);
}

export const THRESHOLD_BASIS_LABELS: Record<ThresholdBasis, string> = {
  eligible: 'All members (not voting counts against)',
  cast: 'Votes cast (abstentions and absent members left out)',
};

export const quorumWords = (quorum: number) =>
  quorum > 0 ? `${percent(quorum)} of members must vote` : 'no quorum';

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "2 days 3 hours", "5 minutes 10 seconds": the two largest units, so it reads calmly. */
export function durationWords(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const units: [number, string][] = [
    [Math.floor(s / 86_400), 'day'],
    [Math.floor((s % 86_400) / 3600), 'hour'],
    [Math.floor((s % 3600) / 60), 'minute'],
    [s % 60, 'second'],
  ];
  const first = units.findIndex(([n]) => n > 0);
  if (first === -1) return 'less than a second';
  return units
    .slice(first, first + 2)
    .filter(([n]) => n > 0)
    .map(([n, unit]) => `${n} ${unit}${n === 1 ? '' : 's'}`)
    .join(' ');
}
