import type { CommunesService } from '../communes/communes.service.ts';
import type { Deps } from '../deps.ts';
import { transact } from '../db/transaction.ts';
import { toPage, type Page, type PageQuery } from '../shared/pagination.ts';
import { ok, type Result } from '../shared/result.ts';
import { inventoryFail } from './inventory.errors.ts';
import type { ItemAccess } from './items.access.ts';
import {
  afterCursor,
  contentOfRow,
  cursorOfItem,
  toItemOut,
  type ItemOut,
  type ItemsService,
} from './items.service.ts';
import { itemsView } from './items.view.ts';

/** Copies of an item in other communes, each keeping where it came from. */
export function forksService(
  deps: Deps,
  access: ItemAccess,
  items: Pick<ItemsService, 'insert'>,
  communes: Pick<CommunesService, 'permit'>,
) {
  const view = () => itemsView(deps.db, deps.dialect);

  return {
    /**
     * Copies the latest version into a commune the caller belongs to. The copy is the
     * caller's to edit; forkedFrom keeps the original's item, version, commune and author.
     */
    async fork(id: string, viewerId: string, communeHandle: string): Promise<Result<ItemOut>> {
      return transact(deps, undefined, async (tx) => {
        const found = await access.seen(id, viewerId, tx);
        if (!found.ok) return found;
        const original = found.value;
        if (original.deletedAt !== null)
          return inventoryFail('item_deleted', 'This item was deleted; it cannot be forked');
        const target = await communes.permit(communeHandle, viewerId, 'member', tx);
        if (!target.ok) return target;
        if (target.value.communeId === original.communeId)
          return inventoryFail(
            'fork_into_same_commune',
            'A fork goes into another commune; edit the item to change it here',
            { field: 'commune' },
          );
        const content = contentOfRow(original);
        // A private commune has no public items: the copy stays among its members.
        if (target.value.visibility === 'private' && content.visibility === 'public')
          content.visibility = 'commune';
        const made = await items.insert(tx, {
          communeId: target.value.communeId,
          authorId: viewerId,
          content,
          forkedFrom: {
            item: original.id,
            version: original.version,
            commune: original.communeId,
            author: original.authorId,
          },
        });
        if (!made.ok) return made;
        const row = await itemsView(tx, deps.dialect).item(made.value, viewerId);
        return row
          ? ok(toItemOut(row, viewerId))
          : inventoryFail('item_not_found', 'Item not found');
      });
    },

    /** The live forks of an item that the caller may see, newest first. */
    async list(id: string, viewerId: string | null, q: PageQuery): Promise<Result<Page<ItemOut>>> {
      const original = await access.seen(id, viewerId);
      if (!original.ok) return original;
      const after = afterCursor(q.before);
      if (!after.ok) return after;
      const rows = await view().forks({
        itemId: original.value.id,
        viewerId,
        alliedWith: await access.alliedWithViewer(viewerId),
        after: after.value,
        limit: q.limit,
      });
      return ok(
        toPage(
          rows.map((r) => toItemOut(r, viewerId)),
          q.limit,
          cursorOfItem,
        ),
      );
    },
  };
}
export type ForksService = ReturnType<typeof forksService>;
