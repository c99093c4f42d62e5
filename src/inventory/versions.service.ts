import type { Deps } from '../deps.ts';
import { decodeCursor, encodeCursor } from '../shared/cursor.ts';
import { renderMarkdown } from '../shared/markdown.ts';
import { toPage, type Page, type PageQuery } from '../shared/pagination.ts';
import { ok, type Result } from '../shared/result.ts';
import { inventoryFail } from './inventory.errors.ts';
import type { ItemAccess } from './items.access.ts';
import { itemsView, type VersionRow } from './items.view.ts';
import { diffContent, type DiffPart, type FieldChange } from './versions.ts';

export type VersionSummary = Pick<VersionRow, 'version' | 'title' | 'editedBy' | 'editedAt'>;
export type VersionOut = VersionRow & { html: string };
export type DiffOut = {
  item: string;
  from: number;
  to: number;
  title: DiffPart[];
  body: DiffPart[];
  fields: FieldChange[];
};

const versionNotFound = (n: number) =>
  inventoryFail('version_not_found', `This item has no version ${n}`);

/** The append-only history of an item, to those who may see the item. */
export function versionsService(deps: Deps, access: ItemAccess) {
  const view = () => itemsView(deps.db, deps.dialect);

  return {
    /** Who made each version and when, newest first. */
    async list(
      id: string,
      viewerId: string | null,
      q: PageQuery,
    ): Promise<Result<Page<VersionSummary>>> {
      const item = await access.seen(id, viewerId);
      if (!item.ok) return item;
      let before: number | undefined;
      if (q.before !== undefined) {
        const parts = decodeCursor(q.before, 1);
        before = parts ? Number(parts[0]) : NaN;
        if (!Number.isSafeInteger(before))
          return inventoryFail('invalid_cursor', 'before: not a cursor this list gave out', {
            field: 'before',
          });
      }
      const rows = await view().versions(item.value.id, before, q.limit);
      const summaries = rows.map(({ version, title, editedBy, editedAt }) => ({
        version,
        title,
        editedBy,
        editedAt,
      }));
      return ok(toPage(summaries, q.limit, (v) => encodeCursor([String(v.version)])));
    },

    async one(id: string, viewerId: string | null, n: number): Promise<Result<VersionOut>> {
      const item = await access.seen(id, viewerId);
      if (!item.ok) return item;
      const v = await view().version(item.value.id, n);
      return v ? ok({ ...v, html: renderMarkdown(v.body) }) : versionNotFound(n);
    },

    /** The changes from one version to another (either order), field by field. */
    async diff(
      id: string,
      viewerId: string | null,
      from: number,
      to: number,
    ): Promise<Result<DiffOut>> {
      const item = await access.seen(id, viewerId);
      if (!item.ok) return item;
      const [a, b] = [
        await view().version(item.value.id, from),
        await view().version(item.value.id, to),
      ];
      if (!a) return versionNotFound(from);
      if (!b) return versionNotFound(to);
      return ok({ item: item.value.id, from, to, ...diffContent(a, b) });
    },
  };
}
export type VersionsService = ReturnType<typeof versionsService>;
