import type { Deps } from '../deps.ts';
import type { EventPublisher } from '../events/events.service.ts';
import type { Job } from '../jobs/jobs.ts';
import { transact, type Executor } from '../db/transaction.ts';
import { ok, type Result } from '../shared/result.ts';
import type { ActionResult } from './actions/actions.ts';
import type { ActionsService } from './actions/actions.service.ts';
import { delegationsRepository } from './delegations.repository.ts';
import { statusOf, votingEnded, type ProposalRecord } from './proposals.ts';
import { inSavepoint, proposalsRepository } from './proposals.repository.ts';
import { proposalsView } from './proposals.view.ts';
import type { DecisionPorts } from './ports.ts';
import { presentTally, settlement, tallyOf, type CommuneVoters } from './tallying.ts';
import { votesRepository } from './votes.repository.ts';
import { votesView, type NamedVote } from './votes.view.ts';

/** Ballots as loaded: named ones keep their voter and time. */
export type LoadedBallots =
  | { anonymous: false; votes: NamedVote[] }
  | { anonymous: true; votes: unknown[]; receipts: string[] };

export type CloseOutcome = 'closed' | 'awaiting_author' | 'not_open' | 'not_settled';

export type CloseOptions = {
  /** advice: what the author decided. */
  authorDecision?: 'passed' | 'rejected';
  /** 'advisory': a proposal without an action may close before its result is settled. */
  early?: 'advisory';
};

/** Loads what a tally needs: members and delegations of a commune, ballots of a proposal. */
export function talliesService(deps: Deps, ports: DecisionPorts) {
  return {
    async votersOf(communeId: string, tx?: Executor): Promise<CommuneVoters> {
      const [members, delegations] = [
        await ports.communes.roster(communeId, tx),
        await delegationsRepository(tx ?? deps.db).ofCommune(communeId),
      ];
      return { members, delegations };
    },
    async ballotsOf(
      p: Pick<ProposalRecord, 'id' | 'anonymous'>,
      tx?: Executor,
    ): Promise<LoadedBallots> {
      const votes = votesRepository(tx ?? deps.db);
      if (p.anonymous)
        return {
          anonymous: true,
          votes: await votes.anonymous(p.id),
          receipts: await votes.receipts(p.id),
        };
      return { anonymous: false, votes: await votesView(tx ?? deps.db, deps.dialect).named(p.id) };
    },
  };
}
export type TalliesService = ReturnType<typeof talliesService>;

const crashed = {
  error: {
    code: 'action_failed',
    message: 'The action failed because of an error on our side; nothing of it was applied',
  },
};

/**
 * Closing: the tally is frozen, the status set, and a passed proposal's action run, all in
 * one transaction. An action that cannot run is undone on its own (a savepoint) and the
 * proposal still passes, with executed=false and the reason. proposal_closed is published
 * in that same transaction.
 */
export function closingService(
  deps: Deps,
  tallies: TalliesService,
  actions: ActionsService,
  events: EventPublisher,
) {
  async function runAction(
    tx: Executor,
    p: ProposalRecord,
  ): Promise<{ executed: boolean; result: ActionResult }> {
    try {
      const r = await inSavepoint(
        tx,
        () => actions.execute(tx, p),
        (r) => !r.ok,
      );
      return r.ok
        ? { executed: true, result: r.value }
        : { executed: false, result: { error: { code: r.error.code, message: r.error.message } } };
    } catch (e) {
      deps.logger.error(
        { err: e, proposal: p.id, action: p.action?.type },
        'a decision action threw',
      );
      return { executed: false, result: crashed };
    }
  }

  /**
   * Closes inside the caller's transaction; safe to call twice (the second finds it closed).
   * Before closesAt it closes only a settled result, unless `early` allows an advisory poll's
   * author to end it now (the tally then says closedEarly). Checked under the proposal's lock,
   * so no vote slips in between the check and the close.
   */
  async function closeIn(tx: Executor, id: string, opts: CloseOptions = {}): Promise<CloseOutcome> {
    const repo = proposalsRepository(tx);
    if (!(await repo.lockOpen(id))) return 'not_open';
    const found = (await proposalsView(tx, deps.dialect).find(id))!;
    const p = opts.authorDecision ? { ...found, authorDecision: opts.authorDecision } : found;
    const voters = await tallies.votersOf(p.communeId, tx);
    const ballots = await tallies.ballotsOf(p, tx);
    let closedEarly = false;
    if (
      !votingEnded(p, deps.clock.now().toISOString()) &&
      !settlement(p, ballots, voters).settled
    ) {
      if (!(opts.early === 'advisory' && p.action === null)) return 'not_settled';
      closedEarly = true;
    }
    if (opts.authorDecision) await repo.setAuthorDecision(id, opts.authorDecision);
    const tally = tallyOf(p, ballots, voters, true);
    const status = statusOf(tally);
    // Advice with quorum met waits for its author; votes are over (closesAt has passed).
    if (status === null) return 'awaiting_author';
    let executed = false;
    let result: ActionResult | null = null;
    if (p.action && status === 'passed') ({ executed, result } = await runAction(tx, p));
    else if (p.action) await actions.notPassed(tx, p);
    const presented = presentTally(tally, voters);
    await repo.close(id, {
      status,
      tally: closedEarly ? { ...presented, closedEarly: true } : presented,
      closedAt: deps.clock.now().toISOString(),
      actionExecuted: executed,
      actionResult: result,
    });
    const told = await events.publish(tx, {
      type: 'proposal_closed',
      communeId: p.communeId,
      proposalId: id,
      status,
    });
    if (!told.ok) throw new Error(`a proposal_closed subscriber refused: ${told.error.code}`);
    return 'closed';
  }

  return {
    closeIn,
    close: (id: string, opts: CloseOptions = {}): Promise<Result<CloseOutcome>> =>
      transact(deps, undefined, async (tx) => ok(await closeIn(tx, id, opts))),
    /** The job queue's handler: closes a proposal whose closing time has come. */
    async closeDue(job: Job): Promise<void> {
      await transact(deps, undefined, async (tx) => ok(await closeIn(tx, job.key)));
    },
  };
}
export type ClosingService = ReturnType<typeof closingService>;
