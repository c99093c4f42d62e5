import {
  actionError,
  type ActionView,
  type Proposal,
  type Tally,
  type TallyOf,
} from '../api/decisions.ts';
import type { Currency } from '../api/ledger.ts';
import { formatMoney } from '../ledger/money.ts';
import { ACTION_LABELS, REASON_WORDS, optionLabel, percent, plural } from './labels.ts';

const fmt = (n: number) => String(Number(n.toFixed(2)));

/** Each option or position with its count, in words: "consent 2, object 1". */
export function countsText(t: Tally): string {
  switch (t.method) {
    case 'consent':
      return `consent ${t.counts.consent}, object ${t.counts.object}`;
    case 'consensus':
      return `agree ${t.counts.agree}, abstain ${t.counts.abstain}, disagree ${t.counts.disagree}, block ${t.counts.block}`;
    case 'advice':
      return `support ${t.counts.support}, concern ${t.counts.concern}`;
    case 'majority':
    case 'allocation':
    case 'time':
      return t.counts.map((c) => `${optionLabel(t.method, c.option)} ${fmt(c.weight)}`).join(', ');
    case 'score':
      return t.counts
        .map((c) => `${c.option} ${fmt(c.weight)} (average ${fmt(c.average)})`)
        .join(', ');
    case 'ranked': {
      // Ties share a place ("1. A = B, 3. C"); tallies frozen before tiers existed have none.
      let place = 1;
      return schulzeTiers(t)
        .map((tier) => {
          const text = `${place}. ${tier.join(' = ')}`;
          place += tier.length;
          return text;
        })
        .join(', ');
    }
  }
}

/** The Schulze ranking in tiers, best first; a tier is a tie. */
export const schulzeTiers = (t: TallyOf<'ranked'>): string[][] =>
  (t as Partial<TallyOf<'ranked'>>).tiers ?? t.order.map((o) => [o]);

const winnerOf = (t: Tally): string | null => ('winner' in t ? t.winner : null);

/** The result in one line: "Passed: Yes won", "Rejected: someone objected", "Undecided so far". */
export function headline(t: Tally): string {
  const winner = winnerOf(t);
  if (t.outcome === 'undecided') {
    if (t.reason === 'awaiting_author') return 'Waiting for the author to decide';
    return winner ? `Undecided so far; ${optionLabel(t.method, winner)} leads` : 'Undecided so far';
  }
  const why = t.reason && t.reason !== 'author_decided' ? `: ${REASON_WORDS[t.reason]}` : '';
  if (t.outcome === 'passed') {
    if (t.method === 'majority' && t.motion) return 'Passed';
    return winner ? `Passed: ${optionLabel(t.method, winner)} won` : 'Passed';
  }
  return `Rejected${why}`;
}

/** "3 of 3 votes cast (quorum 50%: met)". */
export function turnout(t: Tally): string {
  const q =
    t.quorum > 0 ? ` (quorum ${percent(t.quorum)}: ${t.quorumMet ? 'met' : 'not met yet'})` : '';
  return `${t.castWeight} of ${plural(t.eligible, 'vote')} cast${q}`;
}

/** A short line for the decision log. */
export const tallySummary = (t: Tally) => `${headline(t)}. ${countsText(t)}. ${turnout(t)}.`;

const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

/** What the action will do, in words: "Pay 5 hours from the purse to @bob: Seeds". */
export function describeAction(
  a: Pick<ActionView, 'type' | 'params'>,
  currency: Currency | null,
): string {
  const p = a.params;
  // The server redacts what names a commune or applicant this reader may not see.
  if (p.hidden === true)
    return `${ACTION_LABELS[a.type] ?? a.type} (details hidden: it names something you may not see)`;
  const money = (v: unknown) =>
    typeof v === 'number'
      ? currency
        ? formatMoney(v, currency)
        : `${v} (smallest units)`
      : str(v);
  switch (a.type) {
    case 'spend':
      return `Pay ${money(p.amount)} from the purse to @${str(p.to)}${p.memo ? `: ${str(p.memo)}` : ''}`;
    case 'set_credit_limit':
      if (p.member === 'default') return `Set the default credit limit to ${money(p.limit)}`;
      return p.limit === null
        ? `Put @${str(p.member)} back on the default credit limit`
        : `Set the credit limit of @${str(p.member)} to ${money(p.limit)}`;
    case 'form_alliance':
      return `Ally with @${str(p.commune)}: trade limit ${money(p.tradeLimit)} either way, ${str(p.rate)} of its currency for one of ours`;
    case 'end_alliance':
      return `End the alliance with @${str(p.commune)}: no new trade starts`;
    case 'admit_member':
      return typeof p.applicant === 'string'
        ? `Admit @${p.applicant}`
        : `Admit the applicant (application ${str(p.application)})`;
    case 'remove_member':
      return `Remove @${str(p.member)} from the commune`;
    case 'amend_charter':
      return `Amend the charter: ${Object.keys(p).join(', ')}`;
    case 'change_governance': {
      const rules = (p.rules ?? {}) as Record<string, { method?: string }>;
      const parts = Object.entries(rules).map(
        ([type, r]) =>
          `${ACTION_LABELS[type as keyof typeof ACTION_LABELS] ?? type} by ${r.method ?? '?'}`,
      );
      if (typeof p.openBooks === 'boolean')
        parts.push(p.openBooks ? 'open the books to outsiders' : 'keep the books to members');
      if (typeof p.openBallots === 'boolean')
        parts.push(
          p.openBallots ? 'show outsiders who voted what' : 'keep named ballots to members',
        );
      return `Change how we decide: ${parts.join('; ')}`;
    }
    default:
      return ACTION_LABELS[a.type] ?? a.type;
  }
}

/** What an executed action reported, in words: "paid 5 hours to @bob". */
function resultWords(a: ActionView, currency: Currency | null): string | null {
  const r = a.result as Record<string, unknown> | null;
  if (!r || r.hidden === true) return null;
  if (typeof r.amount === 'number' && typeof r.to === 'string')
    return `paid ${currency ? formatMoney(r.amount, currency) : r.amount} to @${r.to}`;
  if (typeof r.admitted === 'string') return `admitted @${r.admitted}`;
  if (typeof r.removed === 'string') return `removed @${r.removed}`;
  if (Array.isArray(r.changed)) return `changed ${r.changed.map(String).join(', ')}`;
  if (typeof r.owner === 'string' && typeof r.creditLimit === 'number')
    return `${r.owner === 'default' ? 'the default' : `@${r.owner}`} may now go down to ${currency ? formatMoney(-r.creditLimit, currency) : -r.creditLimit}`;
  return null;
}

/** What became of the action: executed (and what it did), failed (and why), or not run. */
export function actionStatus(
  p: Pick<Proposal, 'status' | 'action'>,
  currency: Currency | null = null,
): { tone: 'success' | 'warning' | 'info'; text: string } | null {
  const a = p.action;
  if (!a) return null;
  const e = actionError(a.result);
  if (e) return { tone: 'warning', text: `Action failed: ${e.message}` };
  if (a.executed) {
    const did = resultWords(a, currency);
    return { tone: 'success', text: did ? `Action executed: ${did}` : 'Action executed' };
  }
  if (p.status === 'open') return { tone: 'info', text: 'Runs if the proposal passes' };
  return { tone: 'info', text: 'Action not run: the proposal did not pass' };
}

const memberCount = (n: number) => (n === 1 ? '1 member' : `${n} members`);

/** What an unsettled proposal still waits for, from its `settlement`. */
export function notSettledWords(s: NonNullable<Proposal['settlement']>): string {
  if (s.notVoted === 0) return 'Not settled yet: the votes cast could still change the result.';
  const through = s.delegated > 0 ? ` (${s.delegated} now through a delegate)` : '';
  return `Not settled yet: ${memberCount(s.notVoted)} can still vote${through}.`;
}
