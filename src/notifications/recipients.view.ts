// Who an event concerns, and what to tell them: a read view (ADR 0013) over other contexts'
// tables, run inside the subscriber's transaction. Nothing here writes.
import type { Executor } from '../db/transaction.ts';

export type Commune = { id: string; handle: string; name: string; visibility: string };

/**
 * One view serves one delivery transaction: a commune and its currency are read once
 * however many of its events the batch holds.
 */
export function recipientsView(db: Executor) {
  const communes = new Map<string, Promise<Commune | undefined>>();
  const currencies = new Map<string, Promise<string>>();
  const once = <T>(memo: Map<string, Promise<T>>, key: string, read: () => Promise<T>) => {
    let p = memo.get(key);
    if (!p) memo.set(key, (p = read()));
    return p;
  };
  return {
    commune(id: string): Promise<Commune | undefined> {
      return once(communes, id, () =>
        db
          .selectFrom('communes')
          .select(['id', 'handle', 'name', 'visibility'])
          .where('id', '=', id)
          .executeTakeFirst(),
      );
    },

    async memberIds(communeId: string): Promise<string[]> {
      const rows = await db
        .selectFrom('memberships')
        .select('account_id')
        .where('commune_id', '=', communeId)
        .orderBy('account_id')
        .execute();
      return rows.map((r) => r.account_id);
    },

    async handleOf(accountId: string | null): Promise<string | null> {
      if (accountId === null) return null;
      const r = await db
        .selectFrom('accounts')
        .select('handle')
        .where('id', '=', accountId)
        .executeTakeFirst();
      return r?.handle ?? null;
    },

    async accountsByHandle(handles: string[]): Promise<{ id: string; handle: string }[]> {
      if (handles.length === 0) return [];
      return db
        .selectFrom('accounts')
        .select(['id', 'handle'])
        .where('handle', 'in', handles)
        .execute();
    },

    async application(id: string) {
      return db
        .selectFrom('applications')
        .innerJoin('accounts', 'accounts.id', 'applications.account_id')
        .select(['applications.account_id', 'applications.status', 'accounts.handle'])
        .where('applications.id', '=', id)
        .executeTakeFirst();
    },

    async proposal(id: string) {
      return db
        .selectFrom('proposals')
        .select([
          'id',
          'commune_id',
          'author_id',
          'title',
          'status',
          'closes_at',
          'action_type',
          'subject_id',
        ])
        .where('id', '=', id)
        .executeTakeFirst();
    },

    /** Members who have neither voted nor cast an anonymous ballot on the proposal. */
    async notVoted(proposalId: string, communeId: string): Promise<string[]> {
      const rows = await db
        .selectFrom('memberships')
        .select('account_id')
        .where('commune_id', '=', communeId)
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('votes')
                .select('voter_id')
                .where('votes.proposal_id', '=', proposalId)
                .whereRef('votes.voter_id', '=', 'memberships.account_id'),
            ),
          ),
        )
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('ballot_receipts')
                .select('voter_id')
                .where('ballot_receipts.proposal_id', '=', proposalId)
                .whereRef('ballot_receipts.voter_id', '=', 'memberships.account_id'),
            ),
          ),
        )
        .orderBy('account_id')
        .execute();
      return rows.map((r) => r.account_id);
    },

    /** A posted transfer: who received it (a member account's owner), from whom, for which item. */
    async transfer(id: string, communeId: string) {
      // The item it thanks for, if any, joined in: one read per transfer.
      const row = await db
        .selectFrom('ledger_transfers as t')
        .innerJoin('ledger_accounts as to', 'to.id', 't.to_account_id')
        .innerJoin('ledger_accounts as from', 'from.id', 't.from_account_id')
        .leftJoin('item_thanks as th', 'th.transfer_id', 't.id')
        .leftJoin('items', 'items.id', 'th.item_id')
        .select([
          't.code',
          't.amount',
          't.created_by',
          'to.kind as to_kind',
          'to.owner_id as to_owner',
          'from.owner_handle as from_handle',
          'items.id as item_id',
          'items.title as item_title',
        ])
        .where('t.id', '=', id)
        .where('t.commune_id', '=', communeId)
        .executeTakeFirst();
      if (!row) return undefined;
      const { item_id, item_title, ...t } = row;
      const thanked =
        item_id !== null && item_title !== null ? { id: item_id, title: item_title } : null;
      const currency = await once(currencies, communeId, async () => {
        const c = await db
          .selectFrom('ledger_currencies')
          .select('code')
          .where('commune_id', '=', communeId)
          .executeTakeFirst();
        return c?.code ?? '';
      });
      return { ...t, item: thanked ?? null, currency };
    },

    async thread(id: string) {
      return db
        .selectFrom('threads')
        .select(['id', 'commune_id', 'author_id', 'title', 'body'])
        .where('id', '=', id)
        .executeTakeFirst();
    },

    async comment(id: string) {
      const c = await db
        .selectFrom('comments')
        .innerJoin('threads', 'threads.id', 'comments.thread_id')
        .select([
          'comments.id',
          'comments.thread_id',
          'comments.author_id',
          'comments.author_handle',
          'comments.body',
          'comments.in_reply_to',
          'threads.author_id as thread_author',
          'threads.title',
        ])
        .where('comments.id', '=', id)
        .executeTakeFirst();
      if (!c) return undefined;
      const parent =
        c.in_reply_to === null
          ? undefined
          : await db
              .selectFrom('comments')
              .select('author_id')
              .where('id', '=', c.in_reply_to)
              .executeTakeFirst();
      return { ...c, parentAuthor: parent?.author_id ?? null };
    },

    /** Each person's filters, as rows to compile. */
    async filtersOf(accountIds: string[]) {
      if (accountIds.length === 0) return [];
      return db
        .selectFrom('filters')
        .select(['account_id', 'kind', 'value'])
        .where('account_id', 'in', accountIds)
        .execute();
    },
  };
}
export type RecipientsView = ReturnType<typeof recipientsView>;

/** Commune handles by id and ids by handle, for settings and lists. */
export function communeNames(db: Executor) {
  return {
    async communeHandles(ids: string[]): Promise<Map<string, string>> {
      if (ids.length === 0) return new Map();
      const rows = await db
        .selectFrom('communes')
        .select(['id', 'handle'])
        .where('id', 'in', [...new Set(ids)])
        .execute();
      return new Map(rows.map((r) => [r.id, r.handle]));
    },
    async communeIds(handles: string[]): Promise<Map<string, string>> {
      if (handles.length === 0) return new Map();
      const rows = await db
        .selectFrom('communes')
        .select(['id', 'handle'])
        .where('handle', 'in', handles)
        .execute();
      return new Map(rows.map((r) => [r.handle, r.id]));
    },
  };
}
