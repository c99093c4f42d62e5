import type { Executor } from '../db/transaction.ts';

// What live updates look up across contexts, read only: which commune a followed thing
// belongs to, which proposal a thread discusses, commune handles, an applicant's own
// open admission proposals, and new notifications (whose they are).
export function liveView(db: Executor) {
  return {
    async thread(id: string): Promise<{ communeId: string } | undefined> {
      const r = await db
        .selectFrom('threads')
        .select('commune_id')
        .where('id', '=', id)
        .executeTakeFirst();
      return r && { communeId: r.commune_id };
    },

    async proposal(id: string): Promise<{ communeId: string } | undefined> {
      const r = await db
        .selectFrom('proposals')
        .select('commune_id')
        .where('id', '=', id)
        .executeTakeFirst();
      return r && { communeId: r.commune_id };
    },

    /** The proposal each thread discusses (threads of none are left out). */
    async proposalsOfThreads(ids: string[]): Promise<Map<string, string>> {
      if (ids.length === 0) return new Map();
      const rows = await db
        .selectFrom('threads')
        .select(['id', 'proposal_id'])
        .where('id', 'in', ids)
        .where('proposal_id', 'is not', null)
        .execute();
      return new Map(rows.map((r) => [r.id, r.proposal_id!]));
    },

    async handles(communeIds: string[]): Promise<Map<string, string>> {
      if (communeIds.length === 0) return new Map();
      const rows = await db
        .selectFrom('communes')
        .select(['id', 'handle'])
        .where('id', 'in', communeIds)
        .execute();
      return new Map(rows.map((r) => [r.id, r.handle]));
    },

    /** New notifications by id (committed ones only: a rolled-back id finds nothing). */
    async notifications(ids: string[]) {
      if (ids.length === 0) return [];
      const rows = await db
        .selectFrom('notifications')
        .select(['id', 'recipient_id', 'kind', 'commune_id'])
        .where('id', 'in', ids)
        .execute();
      return rows.map((r) => ({
        id: r.id,
        recipientId: r.recipient_id,
        kind: r.kind,
        communeId: r.commune_id,
      }));
    },

    async communesOf(accountId: string): Promise<string[]> {
      const rows = await db
        .selectFrom('memberships')
        .select('commune_id')
        .where('account_id', '=', accountId)
        .execute();
      return rows.map((r) => r.commune_id);
    },

    /** The open admission proposals of the caller's own applications, with their commune. */
    async ownAdmissions(accountId: string): Promise<{ id: string; communeId: string }[]> {
      const rows = await db
        .selectFrom('proposals')
        .select(['id', 'commune_id'])
        .where('subject_id', '=', accountId)
        .where('action_type', '=', 'admit_member')
        .where('status', '=', 'open')
        .execute();
      return rows.map((r) => ({ id: r.id, communeId: r.commune_id }));
    },
  };
}
