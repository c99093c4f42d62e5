import { createHash, randomBytes } from 'node:crypto';
import type { Deps } from '../deps.ts';
import { isUniqueViolation } from '../db/database.ts';
import { isUuid, newId } from '../shared/ids.ts';
import { toPage, type Page } from '../shared/pagination.ts';
import { ok, type AppError, type Result } from '../shared/result.ts';
import { transact, type Executor } from '../db/transaction.ts';
import type { EventPublisher } from '../events/events.service.ts';
import { refusal, type CommuneGate } from './access.ts';
import { communesFail, type CommunesErrorCode } from './communes.errors.ts';
import {
  inviteExpiry,
  isHiddenFrom,
  joinOutcome,
  leavesStewardless,
  type ApplicationInput,
  type CommuneAccess,
  type JoinStatus,
  type Member,
  type PendingApplication,
  type Role,
} from './communes.ts';
import { membershipRepository } from './membership.repository.ts';
import { membershipView } from './membership.view.ts';
import { permit } from './permit.ts';

// Only a hash is stored: a leaked table does not hand out ways in.
const hashCode = (code: string): string => createHash('sha256').update(code).digest('base64url');

const full = () => communesFail('commune_full', 'The commune has no free place');
const alreadyMember = () =>
  communesFail('already_member', 'You are already a member of this commune');
const inviteInvalid = () =>
  communesFail('invite_invalid', 'The invite code is unknown, used or expired', {
    field: 'inviteCode',
  });
const notPending = () =>
  communesFail('application_not_pending', 'This application has already been decided');
const applicationNotFound = () => communesFail('not_found', 'Application not found');

type Failure = AppError<CommunesErrorCode>;

export type Decision = { id: string; status: 'approved' | 'rejected' };

/** Joining, applications, invites and leaving; every way in goes through admit(). */
export function membershipService(deps: Deps, events: EventPublisher, gate: CommuneGate) {
  const members = (ex: Executor = deps.db) => membershipRepository(ex);
  const view = (ex: Executor = deps.db) => membershipView(ex, deps.dialect);
  const now = () => deps.clock.now().toISOString();

  /** Records a membership whose place is already claimed (see admit); the ledger opens the account on member_joined. */
  async function enrol(
    tx: Executor,
    communeId: string,
    accountId: string,
    role: Role,
    at: string,
  ): Promise<Result<void>> {
    const repo = members(tx);
    await repo.insertMembership({ communeId, accountId, role, joinedAt: at });
    await repo.settlePending(communeId, accountId, at);
    return events.publish(tx, { type: 'member_joined', communeId, accountId, role });
  }

  /**
   * Takes a free place and records the membership, inside the caller's transaction.
   * Every path locks the commune row first (claimPlace), so concurrent paths cannot deadlock.
   */
  async function admit(
    tx: Executor,
    communeId: string,
    accountId: string,
    role: Role,
    at: string,
  ): Promise<Result<void, Failure | AppError>> {
    if (!(await members(tx).claimPlace(communeId))) return full();
    return enrol(tx, communeId, accountId, role, at);
  }

  // Two joins by one person race to the memberships primary key; the loser is already a member.
  async function unlessAlreadyMember<T>(
    communeId: string,
    accountId: string,
    work: () => Promise<Result<T, Failure | AppError>>,
  ): Promise<Result<T, Failure | AppError>> {
    try {
      return await work();
    } catch (e) {
      if (isUniqueViolation(e) && (await members().roleOf(communeId, accountId)) !== null)
        return alreadyMember();
      throw e;
    }
  }

  /** Decides a pending application; approving admits, within the caller's transaction if given. */
  async function decide(
    communeId: string,
    applicationId: string,
    status: Decision['status'],
    decidedBy: string | null,
    tx?: Executor,
  ): Promise<Result<Decision, Failure | AppError>> {
    const a = isUuid(applicationId) ? await members(tx).findApplication(applicationId) : undefined;
    if (!a || a.communeId !== communeId) return applicationNotFound();
    if (a.status !== 'pending') return notPending();
    const at = now();
    return unlessAlreadyMember(communeId, a.accountId, () =>
      transact(deps, tx, async (t) => {
        const approving = status === 'approved';
        if (approving && !(await members(t).claimPlace(communeId))) return full();
        if (!(await members(t).decideApplication(a.id, status, decidedBy, at))) return notPending();
        if (approving) {
          const enrolled = await enrol(t, communeId, a.accountId, 'member', at);
          if (!enrolled.ok) return enrolled;
        }
        return ok({ id: a.id, status });
      }),
    );
  }

  /**
   * Takes a member out (leaving, or removed by a decision) inside the caller's transaction.
   * Releasing the place first queues concurrent departures on the commune row, so when the
   * last steward goes the one who counts the stewards left sees every earlier departure.
   * A commune with members is never left without a steward: the longest-standing member
   * becomes one in the same transaction (nothing else can name a steward). A member_left
   * subscriber may refuse (the ledger, while a balance is outstanding): the caller rolls back.
   */
  async function depart(
    tx: Executor,
    communeId: string,
    accountId: string,
  ): Promise<Result<void, AppError> | 'not_member'> {
    const repo = members(tx);
    await repo.releasePlace(communeId);
    const role = await repo.roleOf(communeId, accountId);
    if (role === null) return 'not_member';
    await repo.deleteMembership(communeId, accountId);
    const allowed = await events.publish(tx, { type: 'member_left', communeId, accountId });
    if (!allowed.ok) return allowed;
    if (role === 'steward') {
      const left = await repo.countOthers(communeId, accountId);
      if (leavesStewardless(left.stewards, left.members)) {
        const eldest = await view(tx).eldest(communeId);
        if (eldest) await repo.setRole(communeId, eldest.accountId, 'steward');
        const promoted = eldest?.handle;
        deps.logger.info(
          { communeId, promoted },
          'last steward left; the longest-standing member is steward now',
        );
      }
    }
    return ok(undefined);
  }

  return {
    admit,

    /** Members with their account ids, for the decisions context. */
    roster: (communeId: string, tx?: Executor) => view(tx).roster(communeId),

    applicationOf: (communeId: string, applicationId: string, tx?: Executor) =>
      isUuid(applicationId)
        ? view(tx).applicationDetails(communeId, applicationId)
        : Promise.resolve(undefined),

    /** A rejected or expired admission proposal turns its application down, so the person may apply again. */
    rejectApplication: (
      communeId: string,
      applicationId: string,
      decidedBy: string | null,
      tx?: Executor,
    ) => decide(communeId, applicationId, 'rejected', decidedBy, tx),

    /** A passed remove_member proposal; refused only when the ledger says no. Removing the last steward passes the role on (see depart). */
    removeMember: (
      communeId: string,
      accountId: string,
      tx?: Executor,
    ): Promise<Result<void, AppError>> =>
      transact(deps, tx, async (t) => {
        const gone = await depart(t, communeId, accountId);
        return gone === 'not_member'
          ? communesFail('not_a_member', 'They are no longer a member of this commune')
          : gone;
      }),

    /** The decisions context's admit_member action reuses this with its own transaction. */
    admitApplication: (
      communeId: string,
      applicationId: string,
      decidedBy: string | null,
      tx?: Executor,
    ) => decide(communeId, applicationId, 'approved', decidedBy, tx),

    async apply(
      handle: string,
      viewerId: string | null,
      input: ApplicationInput,
    ): Promise<Result<{ id: string; status: JoinStatus }, Failure | AppError>> {
      const found = await gate.lookup(handle, viewerId);
      if (!found) return refusal('hidden');
      const { commune, role } = found;
      const at = now();
      const codeHash = input.inviteCode === undefined ? undefined : hashCode(input.inviteCode);
      const invite =
        codeHash === undefined
          ? undefined
          : await members().findUsableInvite(codeHash, commune.id, at);
      // A valid invite is the one thing that lets an outsider see a private commune.
      const refused = permit('signed_in', {
        visibility: commune.visibility,
        role,
        signedIn: viewerId !== null,
        holdsInvite: invite !== undefined,
      });
      if (refused) return refusal(refused);
      if (viewerId === null) return refusal('not_signed_in');
      if (role !== null) return alreadyMember();
      // An open commune asks for no code, so a stray or stale one is ignored there.
      if (codeHash !== undefined && !invite && commune.joinPolicy !== 'open')
        return inviteInvalid();
      const outcome = joinOutcome(commune.joinPolicy, invite !== undefined);
      if (outcome === 'invite_required')
        return communesFail(
          'invite_invalid',
          'This commune admits by invitation only; send a valid inviteCode',
          { field: 'inviteCode' },
        );
      if (commune.memberCount >= commune.maxMembers) return full();

      // Codes are single use: spent by the admission or application they led to, in its
      // transaction. Losing one to a race refuses only where the code was needed.
      const needsInvite = commune.joinPolicy === 'invite' || isHiddenFrom(commune.visibility, role);
      const spendInvite = async (tx: Executor): Promise<boolean> =>
        !invite ||
        (await members(tx).consumeInvite(invite.codeHash, commune.id, viewerId, at)) ||
        !needsInvite;

      const application = {
        id: newId(),
        communeId: commune.id,
        accountId: viewerId,
        message: input.message ?? '',
        createdAt: at,
      };
      if (outcome === 'pending') {
        // Invited or not, an application is the members' decision: decisions opens its
        // admit_member proposal on application_submitted, in this transaction.
        try {
          const filed = await transact(deps, undefined, async (tx) => {
            if (!(await spendInvite(tx))) return inviteInvalid();
            await members(tx).insertApplication({
              ...application,
              status: 'pending',
              decidedBy: null,
            });
            return events.publish(tx, {
              type: 'application_submitted',
              communeId: commune.id,
              applicationId: application.id,
              accountId: viewerId,
            });
          });
          if (!filed.ok) return filed;
        } catch (e) {
          if (isUniqueViolation(e))
            return communesFail(
              'application_pending',
              'Your application is already waiting for a decision',
            );
          throw e;
        }
        return ok({ id: application.id, status: 'pending' });
      }
      return unlessAlreadyMember(commune.id, viewerId, () =>
        transact(deps, undefined, async (tx) => {
          if (!(await spendInvite(tx))) return inviteInvalid();
          const admitted = await admit(tx, commune.id, viewerId, 'member', at);
          if (!admitted.ok) return admitted;
          // In an invite-only commune the member who invited is the one who admitted.
          await members(tx).insertApplication({
            ...application,
            status: 'approved',
            decidedBy: commune.joinPolicy === 'invite' ? (invite?.createdBy ?? null) : null,
          });
          return ok({ id: application.id, status: 'member' as const });
        }),
      );
    },

    /** Pending applications of a commune the caller entered as a member. */
    async pendingApplications(
      access: CommuneAccess,
      page: { limit: number; before?: string | undefined },
    ): Promise<Result<Page<PendingApplication>, Failure>> {
      if (page.before !== undefined && !isUuid(page.before))
        return communesFail('invalid_cursor', 'before: not a cursor this list gave out', {
          field: 'before',
        });
      const rows = await view().pendingApplications(access.communeId, page.limit, page.before);
      return ok(toPage(rows, page.limit, (a) => a.id));
    },

    /** A single-use invite code from a member. */
    async invite(
      access: CommuneAccess,
      memberId: string,
    ): Promise<Result<{ code: string; expiresAt: string }, Failure>> {
      const at = deps.clock.now();
      const code = randomBytes(18).toString('base64url');
      const expiresAt = inviteExpiry(at).toISOString();
      await members().insertInvite({
        codeHash: hashCode(code),
        communeId: access.communeId,
        createdBy: memberId,
        createdAt: at.toISOString(),
        expiresAt,
      });
      return ok({ code, expiresAt });
    },

    members: async (access: CommuneAccess): Promise<Result<Member[], Failure>> =>
      ok(await view().members(access.communeId)),

    /** The signed-in caller leaves; an outsider of a visible commune gets not_member (404). */
    async leave(access: CommuneAccess, accountId: string): Promise<Result<void, AppError>> {
      const notMember = () => communesFail('not_member', 'You are not a member of this commune');
      if (access.role === null) return notMember();
      return transact(deps, undefined, async (tx) => {
        const gone = await depart(tx, access.communeId, accountId);
        return gone === 'not_member' ? notMember() : gone;
      });
    },

    membershipsOf: (accountId: string) => members().membershipsOf(accountId),
  };
}
export type MembershipService = ReturnType<typeof membershipService>;
