import type { Permitted } from '../communes/access.ts';
import type { Role } from '../communes/communes.ts';
import type { Need } from '../communes/permit.ts';
import type { Deps } from '../deps.ts';
import { transact } from '../db/transaction.ts';
import { isUuid, newId } from '../shared/ids.ts';
import { toPage, type Page } from '../shared/pagination.ts';
import { ok, type AppError, type Result } from '../shared/result.ts';
import { decisionsFail } from './decisions.errors.ts';
import type { ActionsService } from './actions/actions.service.ts';
import { namedThings, redactedAction } from './actions/redaction.ts';
import type { CloseOutcome, ClosingService, TalliesService } from './closing.service.ts';
import type { GovernanceService } from './governance.service.ts';
import { withoutVoters } from './method-shapes.ts';
import { openProposal } from './opening.ts';
import { proposalView, type ProposalView } from './proposal-view.ts';
import {
  tallyVisible,
  votingEnded,
  type ProposalEdit,
  type ProposalInput,
  type ProposalListQuery,
  type ProposalRecord,
  type ViewerVote,
} from './proposals.ts';
import { proposalsRepository } from './proposals.repository.ts';
import { votesRepository } from './votes.repository.ts';
import { proposalsView } from './proposals.view.ts';
import type { DecisionPorts } from './ports.ts';
import { proposalSettings } from './settings.ts';
import { settlementMessage } from './settlement-message.ts';
import {
  delegateOf,
  liveTally,
  presentTally,
  settlement,
  tallyOf,
  type CommuneVoters,
} from './tallying.ts';

export const proposalNotFound = () => decisionsFail('proposal_not_found', 'Proposal not found');
const closedAlready = () => decisionsFail('proposal_closed', 'This proposal is already closed');
const subjectCannotClose = () =>
  decisionsFail('subject_cannot_close', 'The member a removal is about cannot close or decide it');

/** A proposal the caller may enter for a need, and its commune as the access rule found it. */
export type Entered = { p: ProposalRecord; commune: Permitted };
/** A proposal entered as a member: who the caller is there. */
export type AsMember = { p: ProposalRecord; viewerId: string; role: Role };

/** Narrows an Entered for 'member': permit() let in a signed-in member, or refused. */
export function asMember(e: Entered): AsMember {
  const { viewerId, role } = e.commune;
  if (viewerId === null || role === null) throw new Error('entered for member without a role');
  return { p: e.p, viewerId, role };
}

export function proposalsService(
  deps: Deps,
  ports: DecisionPorts,
  parts: {
    tallies: TalliesService;
    closing: ClosingService;
    actions: ActionsService;
    governance: GovernanceService;
  },
) {
  const { communes } = ports;
  const { tallies, closing, actions, governance } = parts;
  const repo = () => proposalsRepository(deps.db);
  /** Reads go through the read view (it joins communes and accounts). */
  const reads = () => proposalsView(deps.db, deps.dialect);
  const now = () => deps.clock.now().toISOString();

  /** Whether the caller may see what the action names (another commune, an applicant). */
  async function mayShowAction(
    p: ProposalRecord,
    viewerId: string | null,
    member: boolean,
  ): Promise<boolean> {
    if (p.action === null) return true;
    const named = namedThings(p.action);
    if (named.membersOnlyAccount && !member && (viewerId === null || viewerId !== p.subjectId))
      return false;
    if (named.commune === null) return true;
    const access = named.commune.id
      ? await communes.accessById(named.commune.id, viewerId)
      : await communes.access(named.commune.handle, viewerId);
    return access.ok;
  }

  /**
   * The proposal as this caller may see it: a live tally while open, hidden where hideResults
   * says; who cast each ballot only to members, unless the commune opened its ballots.
   */
  async function present(
    p: ProposalRecord,
    commune: Pick<Permitted, 'viewerId' | 'role' | 'open'>,
    voters?: CommuneVoters,
  ): Promise<ProposalView> {
    const { viewerId } = commune;
    const member = commune.role !== null;
    const at = now();
    const open = p.status === 'open';
    const ballots = open || member ? await tallies.ballotsOf(p) : null;
    const live = open ? (voters ?? (await tallies.votersOf(p.communeId))) : null;
    let viewerVote: ViewerVote | null = null;
    if (member && viewerId !== null && ballots) {
      if (ballots.anonymous) {
        viewerVote = {
          voted: ballots.receipts.includes(viewerId),
          vote: null,
          castAt: null,
          delegatedTo: null,
        };
      } else {
        const mine = ballots.votes.find((v) => v.voterId === viewerId);
        const delegatedTo =
          !mine && live && !votingEnded(p, at) ? delegateOf(p, ballots, live, viewerId) : null;
        viewerVote = {
          voted: mine !== undefined,
          vote: (mine?.vote as Record<string, unknown>) ?? null,
          castAt: mine?.castAt ?? null,
          delegatedTo,
        };
      }
    }
    const visible = tallyVisible(p, at, viewerVote?.voted ?? false);
    const tally = !visible
      ? null
      : live && ballots
        ? presentTally(
            votingEnded(p, at) ? tallyOf(p, ballots, live, true) : liveTally(p, ballots, live),
            live,
          )
        : p.tally;
    const settled =
      visible && live && ballots && !votingEnded(p, at) ? settlement(p, ballots, live) : null;
    const named = member || commune.open.ballots;
    const view = proposalView(
      p,
      tally && !named ? withoutVoters(tally) : tally,
      viewerVote,
      settled,
    );
    return view.action && !(await mayShowAction(p, viewerId, member))
      ? { ...view, action: redactedAction(view.action) }
      : view;
  }

  async function get(id: string, viewerId: string | null): Promise<Result<ProposalView>> {
    const e = await enter(id, viewerId, 'visitor');
    return e.ok ? ok(await view(e.value)) : e;
  }

  /** The proposal as the caller who entered it may see it. */
  const view = (e: Entered): Promise<ProposalView> => present(e.p, e.commune);

  /**
   * The one access rule for routes naming a proposal: its commune's, where a hidden commune's
   * proposal is as unknown as a missing one (404), then 401, then the role.
   */
  async function enter(
    id: string,
    viewerId: string | null,
    need: Need,
  ): Promise<Result<Entered, AppError>> {
    const p = isUuid(id) ? await reads().find(id.toLowerCase()) : undefined;
    if (!p) return proposalNotFound();
    const access = await communes.permitById(p.communeId, viewerId, need);
    if (!access.ok) return access.error.code === 'not_found' ? proposalNotFound() : access;
    return ok({ p, commune: access.value });
  }

  const authorOrSteward = (e: AsMember) => e.p.authorId === e.viewerId || e.role === 'steward';
  /** The member a removal is about neither closes nor decides it. */
  const isSubject = (e: AsMember) =>
    e.p.action?.type === 'remove_member' && e.p.subjectId === e.viewerId;
  /** The author, or a steward once the author is gone. */
  async function speaksForAuthor(e: AsMember): Promise<boolean> {
    if (e.p.authorId === e.viewerId) return true;
    const authorGone =
      e.p.authorId === null ||
      !(await communes.roster(e.p.communeId)).some((m) => m.id === e.p.authorId);
    return authorGone && e.role === 'steward';
  }

  /** What a close that was refused still waits for, in words and in `details`. */
  async function notSettled(e: AsMember): Promise<Result<never>> {
    const p = (await reads().find(e.p.id))!;
    const voters = await tallies.votersOf(p.communeId);
    const ballots = await tallies.ballotsOf(p);
    const s = settlement(p, ballots, voters);
    const mine = ballots.anonymous
      ? ballots.receipts.includes(e.viewerId)
      : ballots.votes.some((v) => v.voterId === e.viewerId);
    // Whether the outcome could still move says something of the tally: only where it shows.
    const shown = tallyVisible(p, now(), mine);
    const details = {
      notVoted: s.notVoted,
      delegated: s.delegated,
      awaitingAuthor: s.awaitingAuthor,
      ...(shown
        ? { outcomeCanChange: s.outcomeCanChange, quorumCanChange: s.quorumCanChange }
        : {}),
      closesAt: p.closesAt,
    };
    return decisionsFail('not_settled', settlementMessage(s), { details: details });
  }

  async function finish(e: AsMember, closed: Result<CloseOutcome>): Promise<Result<ProposalView>> {
    if (!closed.ok) return closed;
    if (closed.value === 'not_settled') return notSettled(e);
    if (closed.value === 'not_open') return closedAlready();
    return get(e.p.id, e.viewerId);
  }

  return {
    get,
    enter,
    view,
    present,

    /** In a commune the caller entered as a member (inCommune('member')). */
    async create(
      commune: Permitted,
      authorId: string,
      input: ProposalInput,
    ): Promise<Result<ProposalView>> {
      const communeId = commune.communeId;
      const at = deps.clock.now();
      const rule = input.action ? (await governance.rulesOf(communeId))[input.action.type] : null;
      const settings = proposalSettings(input, rule, at);
      if (!settings.ok) return settings;
      const prepared = input.action
        ? await actions.prepare(communeId, input.action, await communes.roster(communeId), authorId)
        : ok(null);
      if (!prepared.ok) return prepared;
      const id = newId();
      await transact(deps, undefined, async (tx) => {
        await openProposal(deps, ports.events, tx, {
          id,
          communeId,
          authorId,
          title: input.title,
          body: input.body,
          ...settings.value,
          anonymous: input.anonymous,
          hideResults: input.hideResults,
          topic: input.topic ?? null,
          action: prepared.value?.action ?? null,
          subjectId: prepared.value?.subjectId ?? null,
          createdAt: at.toISOString(),
        });
        return ok(undefined);
      });
      return get(id, authorId);
    },

    /** The decision log: newest first, with tallies and executed actions. */
    async list(commune: Permitted, q: ProposalListQuery): Promise<Page<ProposalView>> {
      const page = toPage(await reads().list(commune.communeId, q), q.limit, (p) => p.id);
      const voters = page.items.some((p) => p.status === 'open')
        ? await tallies.votersOf(commune.communeId)
        : undefined;
      const items: ProposalView[] = [];
      for (const p of page.items) items.push(await present(p, commune, voters));
      return { items, next: page.next };
    },

    /**
     * Ends voting now (author or steward), but only once the result is settled; an advisory
     * poll (no action) its author may end at any time, and the tally says it closed early.
     */
    async close(e: AsMember): Promise<Result<ProposalView>> {
      const { p } = e;
      if (isSubject(e)) return subjectCannotClose();
      if (!authorOrSteward(e))
        return decisionsFail(
          'author_or_steward',
          'Only the author or a steward may close a proposal early',
        );
      if (p.status !== 'open') return closedAlready();
      if (p.method === 'advice')
        return decisionsFail(
          'author_decides',
          'An advice proposal ends when its author decides: POST /api/v1/proposals/{id}/decide',
          { field: 'method' },
        );
      const early = p.action === null && (await speaksForAuthor(e)) ? 'advisory' : undefined;
      return finish(e, await closing.close(p.id, early ? { early } : {}));
    },

    /** advice: the author decides, having heard the advice (a steward, when there is no author). */
    async decide(e: AsMember, decision: 'passed' | 'rejected'): Promise<Result<ProposalView>> {
      const { p } = e;
      if (p.method !== 'advice')
        return decisionsFail('not_advice', 'Only advice proposals are decided by their author', {
          field: 'method',
        });
      if (isSubject(e)) return subjectCannotClose();
      if (!(await speaksForAuthor(e)))
        return decisionsFail('author_only', 'Only the author decides an advice proposal');
      if (p.status !== 'open') return closedAlready();
      const early = p.action === null ? ({ early: 'advisory' } as const) : {};
      return finish(e, await closing.close(p.id, { authorDecision: decision, ...early }));
    },

    /** The author rewords the title or body, while nobody has voted (ADR 0023). */
    async edit(e: AsMember, input: ProposalEdit): Promise<Result<ProposalView>> {
      const { p } = e;
      if (p.authorId !== e.viewerId)
        return decisionsFail('author_only', 'Only the author may edit a proposal');
      const edited = await transact(deps, undefined, async (tx) => {
        if (!(await proposalsRepository(tx).lockOpen(p.id))) return closedAlready();
        if (await votesRepository(tx).any(p.id))
          return decisionsFail(
            'proposal_has_votes',
            'Someone has voted: a proposal is not edited after its first vote',
          );
        await proposalsRepository(tx).setText(p.id, input.title ?? p.title, input.body ?? p.body);
        return ports.events.publish(tx, {
          type: 'proposal_edited',
          communeId: p.communeId,
          proposalId: p.id,
        });
      });
      return edited.ok ? get(p.id, e.viewerId) : edited;
    },

    /** What came of it, written after the close by the author or a steward. */
    async setOutcome(e: AsMember, outcome: string): Promise<Result<ProposalView>> {
      if (!authorOrSteward(e))
        return decisionsFail(
          'author_or_steward',
          'Only the author or a steward may state the outcome',
        );
      if (e.p.status === 'open')
        return decisionsFail('still_open', 'An outcome is stated after the proposal closes');
      await repo().setOutcome(e.p.id, outcome, e.viewerId, now());
      return get(e.p.id, e.viewerId);
    },
  };
}
export type ProposalsService = ReturnType<typeof proposalsService>;
