import type { CommuneAccess } from '../communes/communes.ts';
import type { Deps } from '../deps.ts';
import { transact, type Executor } from '../db/transaction.ts';
import type { EventPublisher } from '../events/events.service.ts';
import { decodeCursor, encodeCursor } from '../shared/cursor.ts';
import { newId } from '../shared/ids.ts';
import { renderMarkdown } from '../shared/markdown.ts';
import { toPage, type Page } from '../shared/pagination.ts';
import { ok, type Result } from '../shared/result.ts';
import type { ItemListQuery } from './inventory.schemas.ts';
import { inventoryFail } from './inventory.errors.ts';
import { itemNotFound, mayEdit, type ItemAccess } from './items.access.ts';
import { itemsRepository } from './items.repository.ts';
import {
  applyEdit,
  checkContent,
  contentOf,
  type ItemContent,
  type ItemEdit,
  type ItemInput,
} from './items.ts';
import { itemsView, type ItemRow } from './items.view.ts';
import { visibleLevels } from './visibility.ts';

/** An item as the API gives it to one caller. */
export type ItemOut = Omit<
  ItemRow,
  'communeId' | 'communeVisibility' | 'authorId' | 'viewerRole'
> & { canEdit: boolean };

export const toItemOut = (row: ItemRow, viewerId: string | null): ItemOut => ({
  id: row.id,
  version: row.version,
  kind: row.kind,
  title: row.title,
  body: row.body,
  html: row.html,
  tags: row.tags,
  visibility: row.visibility,
  license: row.license,
  url: row.url,
  estimate: row.estimate,
  author: row.author,
  commune: row.commune,
  forkedFrom: row.forkedFrom,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
  deletedAt: row.deletedAt,
  canEdit: row.deletedAt === null && mayEdit(row, viewerId),
});

export const contentOfRow = (r: ItemRow): ItemContent => ({
  kind: r.kind,
  title: r.title,
  body: r.body,
  tags: r.tags,
  visibility: r.visibility,
  license: r.license,
  url: r.url,
  estimate: r.estimate,
});

export const cursorOfItem = (r: ItemOut): string => encodeCursor([r.createdAt, r.id]);

/** Decodes a list cursor of cursorOfItem, or a 400 naming `before`. */
export function afterCursor(before: string | undefined) {
  if (before === undefined) return ok(undefined);
  const parts = decodeCursor(before, 2);
  return parts
    ? ok({ createdAt: parts[0], id: parts[1] })
    : inventoryFail('invalid_cursor', 'before: not a cursor this list gave out', {
        field: 'before',
      });
}

/** Items: writing, editing (one version each time), deleting (a tombstone), reading. */
export function itemsService(deps: Deps, access: ItemAccess, events: EventPublisher) {
  const view = (ex: Executor = deps.db) => itemsView(ex, deps.dialect);
  const items = (ex: Executor) => itemsRepository(ex);
  const now = () => deps.clock.now().toISOString();

  /** Writes a new item (and its version 1) in the caller's transaction; fork uses it too. */
  async function insert(
    tx: Executor,
    n: Omit<Parameters<ReturnType<typeof itemsRepository>['insert']>[0], 'id' | 'html' | 'at'>,
  ): Promise<Result<string>> {
    const id = newId();
    await items(tx).insert({ ...n, id, html: renderMarkdown(n.content.body), at: now() });
    const told = await events.publish(tx, {
      type: 'item_saved',
      communeId: n.communeId,
      itemId: id,
      version: 1,
    });
    return told.ok ? ok(id) : told;
  }

  /** The item as the caller sees it, read again after a write. */
  async function reread(tx: Executor, id: string, viewerId: string): Promise<Result<ItemOut>> {
    const row = await view(tx).item(id, viewerId);
    return row ? ok(toItemOut(row, viewerId)) : itemNotFound();
  }

  /** The item if the caller may change it: seen by the rule, then its author or a steward. */
  async function editable(tx: Executor, id: string, viewerId: string): Promise<Result<ItemRow>> {
    const row = await access.seen(id, viewerId, tx);
    if (!row.ok) return row;
    if (!mayEdit(row.value, viewerId))
      return inventoryFail('not_item_editor', 'Only its author or a steward may change this item');
    return row;
  }

  return {
    insert,

    /** A member writes an item in their commune (inCommune('member') let them in). */
    async create(
      commune: CommuneAccess,
      authorId: string,
      input: ItemInput,
    ): Promise<Result<ItemOut>> {
      const content = checkContent(contentOf(input), commune.visibility === 'private');
      if (!content.ok) return content;
      return transact(deps, undefined, async (tx) => {
        const id = await insert(tx, {
          communeId: commune.communeId,
          authorId,
          content: content.value,
          forkedFrom: null,
        });
        return id.ok ? reread(tx, id.value, authorId) : id;
      });
    },

    async get(id: string, viewerId: string | null): Promise<Result<ItemOut>> {
      const row = await access.seen(id, viewerId);
      return row.ok ? ok(toItemOut(row.value, viewerId)) : row;
    },

    /** A commune's live items the caller may see, newest first; filtered in the query. */
    async list(
      commune: CommuneAccess,
      viewerId: string | null,
      q: ItemListQuery,
    ): Promise<Result<Page<ItemOut>>> {
      const after = afterCursor(q.before);
      if (!after.ok) return after;
      const viewer = await access.viewerIn(commune.communeId, viewerId, commune.role !== null);
      const rows = await view().list({
        communeId: commune.communeId,
        viewerId,
        levels: visibleLevels(commune.visibility, viewer),
        kind: q.kind,
        tag: q.tag,
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

    /**
     * A new version from the one the edit started from. A stale base (another edit landed
     * first) is 409 edit_conflict carrying the current item, never a silent overwrite.
     */
    async edit(id: string, viewerId: string, e: ItemEdit): Promise<Result<ItemOut>> {
      return transact(deps, undefined, async (tx) => {
        const found = await editable(tx, id, viewerId);
        if (!found.ok) return found;
        const row = found.value;
        if (row.deletedAt !== null)
          return inventoryFail('item_deleted', 'This item was deleted; it cannot change');
        const conflict = (current: ItemRow) =>
          inventoryFail(
            'edit_conflict',
            `This edit started from version ${e.baseVersion}; the item is at version ${current.version}`,
            { field: 'baseVersion', details: { current: toItemOut(current, viewerId) } },
          );
        if (e.baseVersion !== row.version) return conflict(row);
        const content = checkContent(
          applyEdit(contentOfRow(row), e),
          row.communeVisibility === 'private',
        );
        if (!content.ok) return content;
        const at = now();
        const html = renderMarkdown(content.value.body);
        if (!(await items(tx).edit(row.id, e.baseVersion, content.value, html, viewerId, at))) {
          // Another edit from the same base committed while this one waited for the row.
          const current = await view(tx).item(row.id, viewerId);
          if (!current) return itemNotFound();
          return current.deletedAt === null
            ? conflict(current)
            : inventoryFail('item_deleted', 'This item was deleted; it cannot change');
        }
        const told = await events.publish(tx, {
          type: 'item_saved',
          communeId: row.communeId,
          itemId: row.id,
          version: e.baseVersion + 1,
        });
        return told.ok ? reread(tx, row.id, viewerId) : told;
      });
    },

    /** Leaves a tombstone (title and attribution stay); deleting it again changes nothing. */
    async remove(id: string, viewerId: string): Promise<Result<void>> {
      return transact(deps, undefined, async (tx) => {
        const found = await editable(tx, id, viewerId);
        if (!found.ok) return found;
        const files = await items(tx).tombstone(found.value.id, now());
        if (files === undefined) return ok(undefined);
        const told = await events.publish(tx, {
          type: 'item_deleted',
          communeId: found.value.communeId,
          itemId: found.value.id,
          files,
        });
        return told.ok ? ok(undefined) : told;
      });
    },
  };
}
export type ItemsService = ReturnType<typeof itemsService>;
