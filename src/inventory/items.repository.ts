import type { Executor } from '../db/transaction.ts';
import type { ItemContent } from './items.ts';

export type NewItem = {
  id: string;
  communeId: string;
  authorId: string;
  content: ItemContent;
  html: string;
  forkedFrom: { item: string; version: number; commune: string; author: string } | null;
  at: string;
};

const contentColumns = (c: ItemContent) => ({
  kind: c.kind,
  title: c.title,
  body: c.body,
  tags: JSON.stringify(c.tags),
  visibility: c.visibility,
  license: c.license,
  url: c.url,
  estimate: c.estimate,
});

/** Items and their append-only versions: writes on the inventory's own tables. */
export function itemsRepository(db: Executor) {
  async function addVersion(
    itemId: string,
    version: number,
    c: ItemContent,
    editorId: string,
    at: string,
  ): Promise<void> {
    await db
      .insertInto('item_versions')
      .values({
        item_id: itemId,
        version,
        ...contentColumns(c),
        edited_by: editorId,
        edited_at: at,
      })
      .execute();
  }

  return {
    /** A new item and its version 1. */
    async insert(n: NewItem): Promise<void> {
      await db
        .insertInto('items')
        .values({
          id: n.id,
          commune_id: n.communeId,
          author_id: n.authorId,
          ...contentColumns(n.content),
          html: n.html,
          version: 1,
          forked_from_item: n.forkedFrom?.item ?? null,
          forked_from_version: n.forkedFrom?.version ?? null,
          forked_from_commune: n.forkedFrom?.commune ?? null,
          forked_from_author: n.forkedFrom?.author ?? null,
          deleted_at: null,
          created_at: n.at,
          updated_at: n.at,
        })
        .execute();
      await addVersion(n.id, 1, n.content, n.authorId, n.at);
    },

    /**
     * Makes version base + 1, only if base is still the latest: of two edits from one base,
     * the second finds no row to update (PostgreSQL re-checks the condition after the first
     * commits; SQLite runs writers one at a time). False when it lost or the item is gone.
     */
    async edit(
      itemId: string,
      base: number,
      c: ItemContent,
      html: string,
      editorId: string,
      at: string,
    ): Promise<boolean> {
      const r = await db
        .updateTable('items')
        .set({ ...contentColumns(c), html, version: base + 1, updated_at: at })
        .where('id', '=', itemId)
        .where('version', '=', base)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) return false;
      await addVersion(itemId, base + 1, c, editorId, at);
      return true;
    },

    /**
     * Leaves a tombstone: the title and attribution stay, the content of every version and
     * the item's file rows go. Returns the sha256 of the files it carried (to free unused
     * blobs), or undefined when it was deleted already.
     */
    async tombstone(itemId: string, at: string): Promise<string[] | undefined> {
      const r = await db
        .updateTable('items')
        .set({ body: '', html: '', url: null, estimate: null, deleted_at: at, updated_at: at })
        .where('id', '=', itemId)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) return undefined;
      await db
        .updateTable('item_versions')
        .set({ body: '', url: null, estimate: null })
        .where('item_id', '=', itemId)
        .execute();
      const files = await db
        .deleteFrom('item_files')
        .where('item_id', '=', itemId)
        .returning('sha256')
        .execute();
      return files.map((f) => f.sha256);
    },
  };
}
