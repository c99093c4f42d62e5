// "What needs me": a read view (ADR 0013) over communes, decisions and the network for one
// signed-in person. Unread mentions, replies and payments come from their notifications.
import { sql } from 'kysely';
import type { Executor } from '../db/transaction.ts';

const LIMIT = 50;

export function homeView(db: Executor) {
  const myCommunes = (accountId: string) =>
    db.selectFrom('memberships').select('commune_id').where('account_id', '=', accountId);

  return {
    /** Pending applications to the caller's communes, oldest first, with their admission proposal. */
    async applicationsToDecide(accountId: string) {
      const rows = await db
        .selectFrom('applications as a')
        .innerJoin('communes as c', 'c.id', 'a.commune_id')
        .innerJoin('accounts as p', 'p.id', 'a.account_id')
        .select([
          'a.id',
          'a.created_at',
          'c.handle as commune',
          'p.handle',
          'p.display_name',
          'a.account_id',
        ])
        .where('a.status', '=', 'pending')
        .where('a.commune_id', 'in', myCommunes(accountId))
        .where('a.account_id', '!=', accountId)
        .orderBy('a.created_at')
        .limit(LIMIT)
        .execute();
      const out = [];
      for (const r of rows)
        out.push({
          id: r.id,
          commune: r.commune,
          applicant: { handle: r.handle, displayName: r.display_name },
          createdAt: r.created_at,
          proposal: await this.admissionOf(r.id),
        });
      return out;
    },

    /** The admission proposal an application opened (its action names the application). */
    async admissionOf(applicationId: string) {
      const p = await db
        .selectFrom('proposals')
        .select(['id', 'status', 'closes_at'])
        .where('action_type', '=', 'admit_member')
        .where(
          'action_params',
          'like',
          `%"application":"${applicationId.replace(/[^0-9a-f-]/gi, '')}"%`,
        )
        .orderBy('created_at', 'desc')
        .executeTakeFirst();
      if (!p) return null;
      const votes = await db
        .selectFrom('votes')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('proposal_id', '=', p.id)
        .executeTakeFirstOrThrow();
      return { id: p.id, status: p.status, closesAt: p.closes_at, votes: Number(votes.n) };
    },

    /** Open proposals in the caller's communes they have not voted on, closing soonest first. */
    async proposalsToVote(accountId: string) {
      return (
        await db
          .selectFrom('proposals as p')
          .innerJoin('communes as c', 'c.id', 'p.commune_id')
          .select(['p.id', 'p.title', 'p.closes_at', 'c.handle as commune'])
          .where('p.status', '=', 'open')
          .where('p.commune_id', 'in', myCommunes(accountId))
          .where((eb) =>
            eb.not(
              eb.exists(
                eb
                  .selectFrom('votes as v')
                  .select('v.voter_id')
                  .whereRef('v.proposal_id', '=', 'p.id')
                  .where('v.voter_id', '=', accountId),
              ),
            ),
          )
          .where((eb) =>
            eb.not(
              eb.exists(
                eb
                  .selectFrom('ballot_receipts as b')
                  .select('b.voter_id')
                  .whereRef('b.proposal_id', '=', 'p.id')
                  .where('b.voter_id', '=', accountId),
              ),
            ),
          )
          .orderBy('p.closes_at')
          .orderBy('p.id')
          .limit(LIMIT)
          .execute()
      ).map((r) => ({ id: r.id, title: r.title, commune: r.commune, closesAt: r.closes_at }));
    },

    /** Alliances other communes asked of the caller's communes, still waiting. */
    async allianceRequests(accountId: string) {
      return (
        await db
          .selectFrom('alliances as al')
          .innerJoin('communes as a', 'a.id', 'al.commune_a')
          .innerJoin('communes as b', 'b.id', 'al.commune_b')
          .select(['al.id', 'al.requested_at', 'a.handle as from', 'a.name', 'b.handle as to'])
          .where('al.status', '=', 'requested')
          .where('al.commune_b', 'in', myCommunes(accountId))
          .orderBy('al.requested_at')
          .limit(LIMIT)
          .execute()
      ).map((r) => ({
        id: r.id,
        from: { handle: r.from, name: r.name },
        to: r.to,
        requestedAt: r.requested_at,
      }));
    },

    /** The caller's own applications, newest first, with their admission proposal's progress. */
    async ownApplications(accountId: string) {
      const rows = await db
        .selectFrom('applications as a')
        .innerJoin('communes as c', 'c.id', 'a.commune_id')
        .select([
          'a.id',
          'a.status',
          'a.created_at',
          'a.decided_at',
          'c.handle',
          'c.name',
          sql<number>`(select count(*) from memberships m where m.commune_id = c.id)`.as('members'),
        ])
        .where('a.account_id', '=', accountId)
        .orderBy('a.created_at', 'desc')
        .limit(LIMIT)
        .execute();
      const out = [];
      for (const r of rows) {
        const proposal = await this.admissionOf(r.id);
        out.push({
          id: r.id,
          commune: { handle: r.handle, name: r.name },
          status: r.status,
          createdAt: r.created_at,
          decidedAt: r.decided_at,
          proposal: proposal && { ...proposal, eligible: Number(r.members) },
        });
      }
      return out;
    },
  };
}
