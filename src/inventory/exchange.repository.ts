import type { Executor } from '../db/transaction.ts';

/** Thanks linked to items, and conversations opened from offers and needs: inventory tables. */
export function exchangeRepository(db: Executor) {
  return {
    /** Links a thanks transfer to its item; a retried thanks links nothing new. */
    async linkThanks(t: {
      transferId: string;
      itemId: string;
      giverId: string;
      at: string;
    }): Promise<void> {
      await db
        .insertInto('item_thanks')
        .values({
          transfer_id: t.transferId,
          item_id: t.itemId,
          giver_id: t.giverId,
          created_at: t.at,
        })
        .onConflict((oc) => oc.column('transfer_id').doNothing())
        .execute();
    },
    /** The item a transfer already thanks, if any. */
    async thankedItem(transferId: string): Promise<string | undefined> {
      const row = await db
        .selectFrom('item_thanks')
        .select('item_id')
        .where('transfer_id', '=', transferId)
        .executeTakeFirst();
      return row?.item_id;
    },
    /** How many people thanked an item, and how many times. */
    async thanksCount(itemId: string): Promise<{ people: number; times: number }> {
      const row = await db
        .selectFrom('item_thanks')
        .select((eb) => [
          eb.fn.count<string | number>('giver_id').distinct().as('people'),
          eb.fn.countAll<string | number>().as('times'),
        ])
        .where('item_id', '=', itemId)
        .executeTakeFirst();
      return { people: Number(row?.people ?? 0), times: Number(row?.times ?? 0) };
    },

    async conversation(itemId: string, personId: string): Promise<string | undefined> {
      const row = await db
        .selectFrom('item_conversations')
        .select('thread_id')
        .where('item_id', '=', itemId)
        .where('person_id', '=', personId)
        .executeTakeFirst();
      return row?.thread_id;
    },
    async linkConversation(c: {
      itemId: string;
      personId: string;
      threadId: string;
      at: string;
    }): Promise<void> {
      await db
        .insertInto('item_conversations')
        .values({
          item_id: c.itemId,
          person_id: c.personId,
          thread_id: c.threadId,
          created_at: c.at,
        })
        .execute();
    },
  };
}
