import { sql } from 'kysely';
import type { Dialect } from '../db/database.ts';
import type { ItemFileTable } from '../db/schema.inventory.ts';
import type { Executor } from '../db/transaction.ts';

export type ItemFileRow = ItemFileTable;

/** The item_files rows, and the locks that keep them in step with the stored bytes. */
export function filesRepository(db: Executor, dialect: Dialect) {
  return {
    /**
     * Locks the item until the transaction ends (PostgreSQL; SQLite writers are serial), so
     * uploads to one item count its files one after another and see a deletion that
     * committed meanwhile. Whether it is deleted, or undefined when there is no such item.
     */
    async lockItem(itemId: string): Promise<{ deleted: boolean } | undefined> {
      let q = db.selectFrom('items').select('deleted_at').where('id', '=', itemId);
      if (dialect === 'postgres') q = q.forUpdate();
      const r = await q.executeTakeFirst();
      return r && { deleted: r.deleted_at !== null };
    },

    /**
     * Serialises, per file, the upload that stores it and the clean-up that may remove it
     * (PostgreSQL; SQLite writers are serial already). Held until the transaction ends.
     */
    async lockBlob(sha256: string): Promise<void> {
      if (dialect === 'postgres')
        await sql`select pg_advisory_xact_lock(hashtext(${'item_file:' + sha256}))`.execute(db);
    },

    /** The item's files, oldest first. */
    list: (itemId: string): Promise<ItemFileRow[]> =>
      db
        .selectFrom('item_files')
        .selectAll()
        .where('item_id', '=', itemId)
        .orderBy('added_at')
        .orderBy('sha256')
        .execute(),

    find: (itemId: string, sha256: string): Promise<ItemFileRow | undefined> =>
      db
        .selectFrom('item_files')
        .selectAll()
        .where('item_id', '=', itemId)
        .where('sha256', '=', sha256)
        .executeTakeFirst(),

    async count(itemId: string): Promise<number> {
      const r = await db
        .selectFrom('item_files')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('item_id', '=', itemId)
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },

    async add(row: ItemFileRow): Promise<void> {
      await db.insertInto('item_files').values(row).execute();
    },

    /** Removes the item's file rows; returns the hashes they named. */
    async removeForItem(itemId: string): Promise<string[]> {
      const rows = await db
        .deleteFrom('item_files')
        .where('item_id', '=', itemId)
        .returning('sha256')
        .execute();
      return rows.map((r) => r.sha256);
    },

    /** Whether any item still carries this file. */
    async isReferenced(sha256: string): Promise<boolean> {
      const r = await db
        .selectFrom('item_files')
        .select('item_id')
        .where('sha256', '=', sha256)
        .limit(1)
        .executeTakeFirst();
      return r !== undefined;
    },
  };
}
export type FilesRepository = ReturnType<typeof filesRepository>;
