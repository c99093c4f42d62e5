import type { Role } from '../communes/communes.ts';
import type { Deps } from '../deps.ts';
import type { Account } from '../identity/identity.ts';
import { transact } from '../db/transaction.ts';
import { isUuid, newId } from '../shared/ids.ts';
import { toPage, type Page } from '../shared/pagination.ts';
import { ok, type Result } from '../shared/result.ts';
import { decisionsFail } from './decisions.errors.ts';
import type { ActionsService } from './actions/actions.service.ts';
import { namedThings, redactedAction } from './actions/redaction.ts';
import type { CloseOutcome, ClosingService, TalliesService } from './closing.service.ts';
import type { GovernanceService } from './governance.service.ts';
import { openProposal } from './opening.ts';
import { proposalView, type ProposalView } from './proposal-view.ts';
import {
  tallyVisible,
  votingEnded,
  type ProposalInput,
  type ProposalListQuery,
  type ProposalRecord,
  type ViewerVote,
} from './proposals.ts';
import { proposalsRepository } from './proposals.repository.ts';
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
const membersOnly = () => decisionsFail('members_only', 'Only members of this commune may do this');
const closedAlready = () => decisionsFail('proposal_closed', 'This proposal is already closed');
const subjectCannotClose = () =>
  decisionsFail('subject_cannot_close', 'The member a removal is about cannot close or decide it');

/** A proposal and where the caller stands in its commune. */
export type Entered = { p: ProposalRecord; viewer: Account; role: Role };

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
  const view = () => proposalsView(deps.db, deps.dialect);
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

  /** The proposal as this caller may see it: a live tally while open, hidden where hideResults says. */
  async function present(
    p: ProposalRecord,
    viewerId: string | null,
    member: boolean,
    voters?: CommuneVoters,
  ): Promise<ProposalView> {
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
    const view = proposalView(p, tally, viewerVote, settled);
    return view.action && !(await mayShowAction(p, viewerId, member))
      ? { ...view, action: redactedAction(view.action) }
      : view;
  }

  async function get(id: string, viewerId: string | null): Promise<Result<ProposalView>> {
    const p = isUuid(id) ? await view().find(id.toLowerCase()) : undefined;
    if (!p) return proposalNotFound();
    const access = await communes.accessById(p.communeId, viewerId);
    if (!access.ok) return proposalNotFound();
    return ok(await present(p, viewerId, access.value.role !== null));
  }

  /** 404 (also for proposals of hidden communes), then 401, then members only. */
  async function enter(id: string, viewer: Account | null): Promise<Result<Entered>> {
    const p = isUuid(id) ? await view().find(id.toLowerCase()) : undefined;
    if (!p) return proposalNotFound();
    // The one access rule; a hidden commune's proposal is as unknown as a missing one.
    const access = await communes.permitById(p.communeId, viewer?.id ?? null, 'member');
    if (!access.ok) return access.error.code === 'not_found' ? proposalNotFound() : access;
    if (viewer === null || access.value.role === null) return membersOnly();
    return ok({ p, viewer, role: access.value.role });
  }

  const authorOrSteward = (e: Entered) => e.p.authorId === e.viewer.id || e.role === 'steward';
  /** The member a removal is about neither closes nor decides it. */
  const isSubject = (e: Entered) =>
    e.p.action?.type === 'remove_member' && e.p.subjectId === e.viewer.id;
  /** The author, or a steward once the author is gone. */
  async function speaksForAuthor(e: Entered): Promise<boolean> {
    if (e.p.authorId === e.viewer.id) return true;
    const authorGone =
      e.p.authorId === null ||
      !(await communes.roster(e.p.communeId)).some((m) => m.id === e.p.authorId);
    return authorGone && e.role === 'steward';
  }

  /** What a close that was refused still waits for, in words and in `details`. */
  async function notSettled(e: Entered): Promise<Result<never>> {
    const p = (await view().find(e.p.id))!;
    const voters = await tallies.votersOf(p.communeId);
    const ballots = await tallies.ballotsOf(p);
    const s = settlement(p, ballots, voters);
    const mine = ballots.anonymous
      ? ballots.receipts.includes(e.viewer.id)
      : ballots.votes.some((v) => v.voterId === e.viewer.id);
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

  async function finish(e: Entered, closed: Result<CloseOutcome>): Promise<Result<ProposalView>> {
    if (!closed.ok) return closed;
    if (closed.value === 'not_settled') return notSettled(e);
    if (closed.value === 'not_open') return closedAlready();
    return get(e.p.id, e.viewer.id);
  }

  return {
    get,
    enter,
    present,

    async create(
      handle: string,
      viewer: Account | null,
      input: ProposalInput,
    ): Promise<Result<ProposalView>> {
      const access = await communes.permit(handle, viewer?.id ?? null, 'member');
      if (!access.ok) return access;
      if (viewer === null || access.value.role === null) return membersOnly();
      const communeId = access.value.communeId;
      const at = deps.clock.now();
      const rule = input.action ? (await governance.rulesOf(communeId))[input.action.type] : null;
      const settings = proposalSettings(input, rule, at);
      if (!settings.ok) return settings;
      const prepared = input.action
        ? await actions.prepare(
            communeId,
            input.action,
            await communes.roster(communeId),
            viewer.id,
          )
        : ok(null);
      if (!prepared.ok) return prepared;
      const id = newId();
      await transact(deps, undefined, async (tx) => {
        await openProposal(deps, ports.events, tx, {
          id,
          communeId,
          authorId: viewer.id,
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
      return get(id, viewer.id);
    },

    /** The decision log: newest first, with tallies and executed actions. */
    async list(
      handle: string,
      viewerId: string | null,
      q: ProposalListQuery,
    ): Promise<Result<Page<ProposalView>>> {
      const access = await communes.access(handle, viewerId);
      if (!access.ok) return access;
      const page = toPage(await view().list(access.value.communeId, q), q.limit, (p) => p.id);
      const member = access.value.role !== null;
      const voters = page.items.some((p) => p.status === 'open')
        ? await tallies.votersOf(access.value.communeId)
        : undefined;
      const items: ProposalView[] = [];
      for (const p of page.items) items.push(await present(p, viewerId, member, voters));
      return ok({ items, next: page.next });
    },

    /**
     * Ends voting now (author or steward), but only once the result is settled; an advisory
     * poll (no action) its author may end at any time, and the tally says it closed early.
     */
    async close(id: string, viewer: Account | null): Promise<Result<ProposalView>> {
      const e = await enter(id, viewer);
      if (!e.ok) return e;
      const { p } = e.value;
      if (isSubject(e.value)) return subjectCannotClose();
      if (!authorOrSteward(e.value))
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
      const early = p.action === null && (await speaksForAuthor(e.value)) ? 'advisory' : undefined;
      return finish(e.value, await closing.close(p.id, early ? { early } : {}));
    },

    /** advice: the author decides, having heard the advice (a steward, when there is no author). */
    async decide(
      id: string,
      viewer: Account | null,
      decision: 'passed' | 'rejected',
    ): Promise<Result<ProposalView>> {
      const e = await enter(id, viewer);
      if (!e.ok) return e;
      const { p } = e.value;
      if (p.method !== 'advice')
        return decisionsFail('not_advice', 'Only advice proposals are decided by their author', {
          field: 'method',
        });
      if (isSubject(e.value)) return subjectCannotClose();
      if (!(await speaksForAuthor(e.value)))
        return decisionsFail('author_only', 'Only the author decides an advice proposal');
      if (p.status !== 'open') return closedAlready();
      const early = p.action === null ? ({ early: 'advisory' } as const) : {};
      return finish(e.value, await closing.close(p.id, { authorDecision: decision, ...early }));
    },

    /** What came of it, written after the close by the author or a steward. */
    async setOutcome(
      id: string,
      viewer: Account | null,
      outcome: string,
    ): Promise<Result<ProposalView>> {
      const e = await enter(id, viewer);
      if (!e.ok) return e;
      if (!authorOrSteward(e.value))
        return decisionsFail(
          'author_or_steward',
          'Only the author or a steward may state the outcome',
        );
      if (e.value.p.status === 'open')
        return decisionsFail('still_open', 'An outcome is stated after the proposal closes');
      await repo().setOutcome(e.value.p.id, outcome, e.value.viewer.id, now());
      return get(e.value.p.id, e.value.viewer.id);
    },
  };
}
export type ProposalsService = ReturnType<typeof proposalsService>;
