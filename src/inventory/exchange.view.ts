// Read view of the conversations opened from an item: joins accounts (identity) and
// threads (discussions) for the names and titles a list shows. Read-only.
import type { Executor } from '../db/transaction.ts';

export type Conversation = {
  thread: { id: string; title: string };
  person: { handle: string; displayName: string };
  createdAt: string;
};

/** At most this many conversations are listed per item: a commune has at most 150 people. */
export const MAX_CONVERSATIONS = 200;

export function exchangeView(db: Executor) {
  return {
    /** Every conversation of an item for its author (personId null), else the caller's own. */
    async conversations(itemId: string, personId: string | null): Promise<Conversation[]> {
      let q = db
        .selectFrom('item_conversations as ic')
        .innerJoin('accounts as a', 'a.id', 'ic.person_id')
        .innerJoin('threads as t', 't.id', 'ic.thread_id')
        .select(['ic.thread_id', 't.title', 'a.handle', 'a.display_name', 'ic.created_at'])
        .where('ic.item_id', '=', itemId);
      if (personId !== null) q = q.where('ic.person_id', '=', personId);
      const rows = await q.orderBy('ic.created_at', 'desc').limit(MAX_CONVERSATIONS).execute();
      return rows.map((r) => ({
        thread: { id: r.thread_id, title: r.title },
        person: { handle: r.handle, displayName: r.display_name },
        createdAt: r.created_at,
      }));
    },
  };
}
