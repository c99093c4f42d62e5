// Read views of items: the one place inventory queries join accounts, communes and
// memberships (for handles, the commune's visibility and where the caller stands).
import { sql, type ExpressionBuilder, type RawBuilder } from 'kysely';
import type { Role, Visibility as CommuneVisibility } from '../communes/communes.ts';
import type { Dialect } from '../db/database.ts';
import type { ItemKind, ItemVisibility } from '../db/schema.inventory.ts';
import type { Database } from '../db/schema.ts';
import type { Executor } from '../db/transaction.ts';
import type { ItemContent } from './items.ts';

export type Person = { handle: string; displayName: string };

/** An item as stored, with the names its attribution needs and the caller's role. */
export type ItemRow = ItemContent & {
  id: string;
  communeId: string;
  commune: string;
  communeVisibility: CommuneVisibility;
  authorId: string;
  author: Person;
  html: string;
  version: number;
  forkedFrom: { item: string; version: number; commune: string; author: Person } | null;
  deletedAt: string | null;
  createdAt: string;
  updatedAt: string;
  /** The caller's role in the item's commune; null outside or anonymous. */
  viewerRole: Role | null;
};

export type VersionRow = ItemContent & {
  item: string;
  version: number;
  editedBy: Person;
  editedAt: string;
};

type Joined = {
  i: Database['items'];
  a: Database['accounts'];
  c: Database['communes'];
  fa: Database['accounts'];
  fc: Database['communes'];
  m: Database['memberships'];
};

const toNumber = (v: number | string | null): number | null => (v === null ? null : Number(v));

/** Kysely's row of itemsQuery, typed loosely: the mapping below is the one place it is read. */
type RawItem = Record<string, unknown>;
const toItemRow = (r: RawItem): ItemRow => ({
  id: r.id as string,
  communeId: r.commune_id as string,
  commune: r.commune_handle as string,
  communeVisibility: r.commune_visibility as CommuneVisibility,
  authorId: r.author_id as string,
  author: { handle: r.author_handle as string, displayName: r.author_name as string },
  kind: r.kind as ItemKind,
  title: r.title as string,
  body: r.body as string,
  html: r.html as string,
  tags: JSON.parse(r.tags as string) as string[],
  visibility: r.visibility as ItemVisibility,
  license: r.license as string,
  url: r.url as string | null,
  estimate: toNumber(r.estimate as number | string | null),
  version: Number(r.version),
  forkedFrom:
    r.forked_from_item === null
      ? null
      : {
          item: r.forked_from_item as string,
          version: Number(r.forked_from_version),
          commune: r.fork_commune_handle as string,
          author: {
            handle: r.fork_author_handle as string,
            displayName: r.fork_author_name as string,
          },
        },
  deletedAt: r.deleted_at as string | null,
  createdAt: r.created_at as string,
  updatedAt: r.updated_at as string,
  viewerRole: (r.viewer_role as Role | null) ?? null,
});

/** Columns of a query that itemVisibleSql reads. */
export type VisibilityColumns = {
  /** The item's visibility. */
  visibility: string;
  communeId: string;
  /** The item's commune's visibility. */
  communeVisibility: string;
  /** Any column that is non-null exactly when the caller is a member of the item's commune. */
  member: string;
};

/**
 * visibility.ts maySeeItem written as SQL, for queries over items of many communes (forks;
 * search may use it too). `alliedWith`: the communes allied with any of the caller's. A
 * property test (items.view.test.ts) holds it to maySeeItem.
 */
export function itemVisibleSql(
  col: VisibilityColumns,
  alliedWith: readonly string[],
): RawBuilder<boolean> {
  const ref = sql.ref;
  const allies =
    alliedWith.length === 0
      ? sql<boolean>`false`
      : sql<boolean>`(${ref(col.visibility)} <> 'commune' and ${ref(col.communeId)} in (${sql.join(
          alliedWith.map((id) => sql`${id}`),
        )}))`;
  return sql<boolean>`(${ref(col.member)} is not null
    or (${ref(col.visibility)} = 'public' and ${ref(col.communeVisibility)} <> 'private')
    or ${allies})`;
}

export type ListFilter = {
  communeId: string;
  viewerId: string | null;
  /** The visibilities the caller sees in this commune (visibility.ts visibleLevels). */
  levels: readonly ItemVisibility[];
  kind?: ItemKind | undefined;
  tag?: string | undefined;
  after?: { createdAt: string; id: string } | undefined;
  limit: number;
};

export type ForksFilter = {
  itemId: string;
  viewerId: string | null;
  /** Communes whose `allies` items the caller sees (allied with one of the caller's). */
  alliedWith: readonly string[];
  after?: { createdAt: string; id: string } | undefined;
  limit: number;
};

export function itemsView(db: Executor, dialect: Dialect) {
  const hasTag = (tag: string) =>
    dialect === 'postgres'
      ? sql<boolean>`i.tags::jsonb @> jsonb_build_array(cast(${tag} as text))`
      : sql<boolean>`exists (select 1 from json_each(i.tags) where json_each.value = ${tag})`;

  const itemsQuery = (viewerId: string | null) =>
    db
      .selectFrom('items as i')
      .innerJoin('accounts as a', 'a.id', 'i.author_id')
      .innerJoin('communes as c', 'c.id', 'i.commune_id')
      .leftJoin('accounts as fa', 'fa.id', 'i.forked_from_author')
      .leftJoin('communes as fc', 'fc.id', 'i.forked_from_commune')
      .leftJoin('memberships as m', (join) =>
        join.onRef('m.commune_id', '=', 'i.commune_id').on('m.account_id', '=', viewerId ?? ''),
      )
      .selectAll('i')
      .select([
        'a.handle as author_handle',
        'a.display_name as author_name',
        'c.handle as commune_handle',
        'c.visibility as commune_visibility',
        'fa.handle as fork_author_handle',
        'fa.display_name as fork_author_name',
        'fc.handle as fork_commune_handle',
        'm.role as viewer_role',
      ]);

  const before =
    (after: { createdAt: string; id: string }) => (eb: ExpressionBuilder<Joined, 'i'>) =>
      eb.or([
        eb('i.created_at', '<', after.createdAt),
        eb.and([eb('i.created_at', '=', after.createdAt), eb('i.id', '<', after.id)]),
      ]);

  return {
    async item(id: string, viewerId: string | null): Promise<ItemRow | undefined> {
      const r = await itemsQuery(viewerId).where('i.id', '=', id).executeTakeFirst();
      return r && toItemRow(r);
    },

    /** A commune's live items at the given visibilities, newest first (limit + 1 rows). */
    async list(f: ListFilter): Promise<ItemRow[]> {
      if (f.levels.length === 0) return [];
      let q = itemsQuery(f.viewerId)
        .where('i.commune_id', '=', f.communeId)
        .where('i.deleted_at', 'is', null)
        .where('i.visibility', 'in', [...f.levels]);
      if (f.kind) q = q.where('i.kind', '=', f.kind);
      if (f.tag) q = q.where(hasTag(f.tag));
      if (f.after) q = q.where(before(f.after) as never);
      const rows = await q
        .orderBy('i.created_at', 'desc')
        .orderBy('i.id', 'desc')
        .limit(f.limit + 1)
        .execute();
      return rows.map(toItemRow);
    },

    /**
     * Live forks of an item the caller may see, newest first (limit + 1 rows). The condition
     * is visibility.ts maySeeItem written in SQL, across the forks' communes; a property test
     * holds the two to the same answers.
     */
    async forks(f: ForksFilter): Promise<ItemRow[]> {
      let q = itemsQuery(f.viewerId)
        .where('i.forked_from_item', '=', f.itemId)
        .where('i.deleted_at', 'is', null)
        .where(
          itemVisibleSql(
            {
              visibility: 'i.visibility',
              communeId: 'i.commune_id',
              communeVisibility: 'c.visibility',
              member: 'm.role',
            },
            f.alliedWith,
          ),
        );
      if (f.after) q = q.where(before(f.after) as never);
      const rows = await q
        .orderBy('i.created_at', 'desc')
        .orderBy('i.id', 'desc')
        .limit(f.limit + 1)
        .execute();
      return rows.map(toItemRow);
    },

    /** Whether the person belongs to any of these communes (allies' access). */
    async memberOfAny(accountId: string, communeIds: readonly string[]): Promise<boolean> {
      if (communeIds.length === 0) return false;
      const r = await db
        .selectFrom('memberships')
        .select('commune_id')
        .where('account_id', '=', accountId)
        .where('commune_id', 'in', [...communeIds])
        .limit(1)
        .executeTakeFirst();
      return r !== undefined;
    },

    /** Those of these communes the person belongs to, by handle (thanks from an ally). */
    async memberCommunes(
      accountId: string,
      communeIds: readonly string[],
    ): Promise<{ id: string; handle: string }[]> {
      if (communeIds.length === 0) return [];
      return db
        .selectFrom('memberships as m')
        .innerJoin('communes as c', 'c.id', 'm.commune_id')
        .select(['c.id', 'c.handle'])
        .where('m.account_id', '=', accountId)
        .where('m.commune_id', 'in', [...communeIds])
        .orderBy('c.handle')
        .execute();
    },

    /** Ids of the communes a person belongs to. */
    async communesOf(accountId: string): Promise<string[]> {
      const rows = await db
        .selectFrom('memberships')
        .select('commune_id')
        .where('account_id', '=', accountId)
        .execute();
      return rows.map((r) => r.commune_id);
    },

    /** Versions newest first, from below `before` (limit + 1 rows). */
    async versions(
      itemId: string,
      before: number | undefined,
      limit: number,
    ): Promise<VersionRow[]> {
      let q = versionsQuery().where('v.item_id', '=', itemId);
      if (before !== undefined) q = q.where('v.version', '<', before);
      const rows = await q
        .orderBy('v.version', 'desc')
        .limit(limit + 1)
        .execute();
      return rows.map(toVersionRow);
    },

    async version(itemId: string, n: number): Promise<VersionRow | undefined> {
      const r = await versionsQuery()
        .where('v.item_id', '=', itemId)
        .where('v.version', '=', n)
        .executeTakeFirst();
      return r && toVersionRow(r);
    },
  };

  function versionsQuery() {
    return db
      .selectFrom('item_versions as v')
      .innerJoin('accounts as a', 'a.id', 'v.edited_by')
      .selectAll('v')
      .select(['a.handle as editor_handle', 'a.display_name as editor_name']);
  }
}
export type ItemsView = ReturnType<typeof itemsView>;

const toVersionRow = (r: RawItem): VersionRow => ({
  item: r.item_id as string,
  version: Number(r.version),
  kind: r.kind as ItemKind,
  title: r.title as string,
  body: r.body as string,
  tags: JSON.parse(r.tags as string) as string[],
  visibility: r.visibility as ItemVisibility,
  license: r.license as string,
  url: r.url as string | null,
  estimate: toNumber(r.estimate as number | string | null),
  editedBy: { handle: r.editor_handle as string, displayName: r.editor_name as string },
  editedAt: r.edited_at as string,
});
