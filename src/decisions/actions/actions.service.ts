import type { RosterEntry } from '../../communes/communes.ts';
import type { Deps } from '../../deps.ts';
import { PURSE } from '../../ledger/ledger.ts';
import { err, ok, type ErrorDetails, type Result } from '../../shared/result.ts';
import { normaliseChange, type Governance } from '../governance.ts';
import type { GovernanceService } from '../governance.service.ts';
import type { ProposalRecord } from '../proposals.ts';
import type { DecisionPorts } from '../ports.ts';
import type { ActionInput, StoredAction } from './actions.ts';
import { allianceConsentsRepository } from './alliances.repository.ts';
import type { Executor } from '../../db/transaction.ts';
import { decisionsFail, type DecisionsErrorCode } from '../decisions.errors.ts';
import { termsProblem, type TermsProblem } from '../../network/alliances.ts';

export type PreparedAction = { action: StoredAction; subjectId: string | null };

const field = (name: string) => `action.params.${name}`;
const invalid = (code: DecisionsErrorCode, message: string, name: string) =>
  decisionsFail(code, message, { field: field(name) });
const notMember = (handle: string, name: string) =>
  invalid('not_a_member', `@${handle} is not a member of this commune`, name);

/**
 * The ledger refuses a departure with a debt in the leaver's own words, its balance in
 * details; a removal is read by the voters, so it names the member instead.
 */
function owesMessage(member: string, details: ErrorDetails | undefined): string {
  const balance = typeof details?.balance === 'number' ? details.balance : 'negative';
  return `@${member}'s balance is ${balance}; it must be settled (paid back) or written off before removal`;
}

type Params = Record<string, unknown>;

const TERMS_PROBLEMS: Record<TermsProblem, string> = {
  invalid_rate: 'The rate must be a number between 0.000001 and 1,000,000',
  invalid_trade_limit: 'The trade limit must be a whole number from 1 to 1,000,000,000,000',
  mirrored_limit_out_of_range:
    "The trade limit times the rate (the limit in the partner's currency) must be at least 1",
};
const TERMS_FIELD: Record<TermsProblem, string> = {
  invalid_rate: 'rate',
  invalid_trade_limit: 'tradeLimit',
  mirrored_limit_out_of_range: 'tradeLimit',
};
const str = (p: Params, k: string) => p[k] as string;

/** Checks an action against the commune when proposed, and carries it out when its proposal passes. */
export function actionsService(deps: Deps, ports: DecisionPorts, governance: GovernanceService) {
  const { communes, ledger, network } = ports;
  const now = () => deps.clock.now().toISOString();

  /** At proposal time: the params must make sense in this commune today (they are checked again when run). */
  async function prepare(
    communeId: string,
    input: ActionInput,
    roster: readonly RosterEntry[],
    viewerId: string,
  ): Promise<Result<PreparedAction>> {
    const member = (handle: string) => roster.find((m) => m.handle === handle);
    const as = (params: object, subjectId: string | null = null) =>
      ok({ action: { type: input.type, params: { ...params } }, subjectId });
    switch (input.type) {
      case 'admit_member': {
        const a = await communes.applicationOf(communeId, input.params.application);
        if (!a)
          return decisionsFail('application_not_found', 'No such application in this commune', {
            field: field('application'),
          });
        if (a.status !== 'pending')
          return invalid(
            'application_not_pending',
            'This application has already been decided',
            'application',
          );
        return as({ application: a.id, applicant: a.handle }, a.accountId);
      }
      case 'remove_member': {
        const m = member(input.params.member);
        return m ? as(input.params, m.id) : notMember(input.params.member, 'member');
      }
      case 'spend':
        if (input.params.to === PURSE)
          return invalid('purse_to_purse', 'The purse cannot pay itself', 'to');
        return member(input.params.to) ? as(input.params) : notMember(input.params.to, 'to');
      case 'set_credit_limit':
        if (input.params.member === 'default') {
          return input.params.limit === null
            ? invalid('limit_required', 'The default limit needs a number', 'limit')
            : as(input.params);
        }
        return member(input.params.member)
          ? as(input.params)
          : notMember(input.params.member, 'member');
      case 'set_currency':
      case 'amend_charter':
        return as(input.params);
      case 'form_alliance':
      case 'end_alliance': {
        // Unknown and private-to-the-proposer communes alike: nothing tells them apart.
        const partner = await communes.access(input.params.commune, viewerId);
        if (!partner.ok)
          return invalid('unknown_commune', `No commune @${input.params.commune}`, 'commune');
        const partnerId = partner.value.communeId;
        if (partnerId === communeId)
          return invalid('self_alliance', 'A commune cannot ally with itself', 'commune');
        if (input.type === 'form_alliance') {
          const problem = termsProblem(input.params);
          if (problem) return invalid(problem, TERMS_PROBLEMS[problem], TERMS_FIELD[problem]);
          const may = await network.mayAsk(communeId, partnerId);
          if (!may.ok)
            return invalid(may.error.code as DecisionsErrorCode, may.error.message, 'commune');
        }
        return as({ ...input.params, communeId: partnerId });
      }
      case 'change_governance': {
        const { rules: asked, openBooks, openBallots } = input.params;
        const rules = normaliseChange(input.params, await governance.rulesOf(communeId));
        if (!rules.ok) return rules;
        return as({
          ...(asked !== undefined ? { rules: rules.value } : {}),
          ...(openBooks !== undefined ? { openBooks } : {}),
          ...(openBallots !== undefined ? { openBallots } : {}),
        });
      }
    }
  }

  /**
   * Runs a passed proposal's action inside its closing transaction. An error Result means
   * the action could not run; the caller rolls back whatever it had written.
   */
  async function execute(
    tx: Executor,
    p: ProposalRecord,
  ): Promise<Result<Record<string, unknown>>> {
    const { type, params } = p.action!;
    const communeId = p.communeId;
    switch (type) {
      case 'admit_member': {
        const r = await communes.admitApplication(communeId, str(params, 'application'), null, tx);
        return r.ok ? ok({ admitted: params.applicant }) : r;
      }
      case 'remove_member': {
        const r = await communes.removeMember(communeId, p.subjectId!, tx);
        if (r.ok) return ok({ removed: params.member });
        return r.error.code === 'negative_balance'
          ? err({
              ...r.error,
              message: owesMessage(str(params, 'member'), r.error.details),
            })
          : r;
      }
      case 'spend': {
        // The proposal's id is the transfer's: one spend per proposal, whatever happens.
        const memo = str(params, 'memo') || p.title;
        const held = await ledger.reserveFromPurse(tx, {
          communeId,
          to: str(params, 'to'),
          amount: params.amount as number,
          memo,
          id: p.id,
        });
        if (!held.ok) return held;
        const posted = await ledger.postPending(tx, communeId, held.value.id);
        return posted.ok
          ? ok({ transfer: posted.value.id, amount: posted.value.amount, to: posted.value.to })
          : posted;
      }
      case 'set_credit_limit': {
        const r = await ledger.setCreditLimit(tx, {
          communeId,
          owner: str(params, 'member'),
          limit: params.limit as number | null,
          by: null,
        });
        return r.ok ? ok(r.value) : r;
      }
      case 'set_currency': {
        const r = await ledger.updateCurrency(communeId, params, null, tx);
        return r.ok ? ok({ currency: r.value }) : r;
      }
      case 'amend_charter': {
        const r = await communes.amendCharter(communeId, params, tx);
        return r.ok ? ok({ changed: Object.keys(params) }) : r;
      }
      case 'form_alliance':
      case 'end_alliance': {
        const consents = allianceConsentsRepository(tx);
        const partnerId = str(params, 'communeId');
        const latest = await consents.latest(communeId, partnerId);
        if (type === 'end_alliance' && latest?.kind !== 'form')
          return decisionsFail(
            'no_alliance',
            `This commune has not consented to an alliance with ${str(params, 'commune')}`,
          );
        const kind = type === 'form_alliance' ? 'form' : 'end';
        const form = type === 'form_alliance';
        const consentId = await consents.insert({
          communeId,
          partnerId,
          kind,
          proposalId: p.id,
          at: now(),
          tradeLimit: form ? (params.tradeLimit as number) : null,
          rate: form ? (params.rate as number) : null,
        });
        // The network context pairs the consents, in this transaction; it may refuse (allied already).
        const paired = await ports.events.publish(tx, {
          type: 'alliance_consented',
          communeId,
          partnerId,
          consentId,
          kind,
        });
        if (!paired.ok) return paired;
        // The consent row's id is internal: the result names the partner as the proposer did.
        return ok({ commune: params.commune, kind });
      }
      case 'change_governance': {
        const rules = (params.rules ?? {}) as Partial<Governance>;
        if (Object.keys(rules).length > 0) await governance.apply(tx, communeId, rules, p.id);
        const books = params.openBooks as boolean | undefined;
        const ballots = params.openBallots as boolean | undefined;
        if (books !== undefined || ballots !== undefined)
          await communes.setDisclosure(communeId, { books, ballots }, tx);
        const disclosed = ['openBooks', 'openBallots'].filter((k) => Object.hasOwn(params, k));
        return ok({ changed: [...Object.keys(rules), ...disclosed] });
      }
    }
  }

  /** A rejected or expired admission turns the application down, so the person may apply again. */
  async function notPassed(tx: Executor, p: ProposalRecord): Promise<void> {
    if (p.action?.type !== 'admit_member') return;
    // Already decided another way (an invite admitted them): nothing to turn down.
    await communes.rejectApplication(p.communeId, str(p.action.params, 'application'), null, tx);
  }

  return { prepare, execute, notPassed };
}
export type ActionsService = ReturnType<typeof actionsService>;
