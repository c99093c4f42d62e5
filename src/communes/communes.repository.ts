import { sql, type CompiledQuery, type Selectable } from 'kysely';
import type { Dialect } from '../db/database.ts';
import type { CommuneTable } from '../db/schema.ts';
import type {
  Amendment,
  Category,
  Commune,
  Disclosure,
  JoinPolicy,
  Role,
  Visibility,
} from './communes.ts';
import type { Executor } from '../db/transaction.ts';

type CommuneRow = Selectable<CommuneTable>;

const toCommune = (r: CommuneRow): Commune => ({
  id: r.id,
  handle: r.handle,
  name: r.name,
  vision: r.vision,
  category: r.category as Category,
  tags: JSON.parse(r.tags) as string[],
  joinPolicy: r.join_policy as JoinPolicy,
  visibility: r.visibility as Visibility,
  maxMembers: Number(r.max_members),
  memberCount: Number(r.member_count),
  agreements: JSON.parse(r.agreements) as string[],
  createdAt: r.created_at,
  openBooks: Number(r.open_books) === 1,
  openBallots: Number(r.open_ballots) === 1,
});

export type NewCommune = Omit<Commune, 'memberCount'> & { createdBy: string };

export type ListFilter = {
  viewerId: string | null;
  q?: string | undefined;
  tag?: string | undefined;
  category?: Category | undefined;
  after?: { name: string; handle: string } | undefined;
  limit: number;
  /** Handles to leave out (the viewer's commune filters; at most a few hundred). */
  hidden?: readonly string[] | undefined;
  /** Only these handles (a list sorted by affinity: at most a few hundred). */
  only?: readonly string[] | undefined;
};

// LIKE treats % and _ as wildcards; a search for "100%" means the characters.
const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (m) => `\\${m}`);

type AccessRow = {
  id: string;
  handle: string;
  visibility: Visibility;
  role: Role | null;
  open_books: number;
  open_ballots: number;
};
// Every request into a commune (a transfer, a vote…) asks this; compiled once per dialect,
// it reads the commune and the caller's role in one indexed query.
const accessQueries = new Map<Dialect, CompiledQuery<AccessRow>>();

/** Commune rows and listings; the handle namespace is identity's (handles.repository.ts). */
export function communesRepository(db: Executor, dialect: Dialect) {
  // Byte order on both databases, so a page boundary means the same thing everywhere.
  const sortKey =
    dialect === 'postgres' ? sql`lower(communes.name) collate "C"` : sql`lower(communes.name)`;
  const hasTag = (tag: string) =>
    dialect === 'postgres'
      ? sql<boolean>`communes.tags::jsonb @> jsonb_build_array(cast(${tag} as text))`
      : sql<boolean>`exists (select 1 from json_each(communes.tags) where json_each.value = ${tag})`;

  return {
    async insert(c: NewCommune): Promise<void> {
      await db
        .insertInto('communes')
        .values({
          id: c.id,
          handle: c.handle,
          name: c.name,
          vision: c.vision,
          category: c.category,
          tags: JSON.stringify(c.tags),
          agreements: JSON.stringify(c.agreements),
          join_policy: c.joinPolicy,
          visibility: c.visibility,
          max_members: c.maxMembers,
          member_count: 0,
          created_by: c.createdBy,
          created_at: c.createdAt,
        })
        .execute();
    },

    async findByHandle(handle: string): Promise<Commune | undefined> {
      const r = await db
        .selectFrom('communes')
        .selectAll()
        .where('handle', '=', handle)
        .executeTakeFirst();
      return r && toCommune(r);
    },

    /** The commune's id, handle and visibility with the viewer's role (null for outsiders and anonymous callers). */
    async accessOf(handle: string, viewerId: string | null): Promise<AccessRow | undefined> {
      let q = accessQueries.get(dialect);
      if (!q) {
        q = db
          .selectFrom('communes')
          .leftJoin('memberships', (join) =>
            join
              .onRef('memberships.commune_id', '=', 'communes.id')
              .on('memberships.account_id', '=', ''),
          )
          .select([
            'communes.id',
            'communes.handle',
            'communes.visibility',
            'communes.open_books',
            'communes.open_ballots',
            'memberships.role',
          ])
          .where('communes.handle', '=', '')
          .compile() as CompiledQuery<AccessRow>;
        accessQueries.set(dialect, q);
      }
      const query: CompiledQuery<AccessRow> = { ...q, parameters: [viewerId, handle] };
      return (await db.executeQuery(query)).rows[0];
    },

    async findById(id: string): Promise<Commune | undefined> {
      const r = await db.selectFrom('communes').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toCommune(r);
    },

    /** Public communes plus the viewer's own, by name; each with the viewer's role. */
    async list(f: ListFilter): Promise<(Commune & { viewerRole: Role | null })[]> {
      let query = db
        .selectFrom('communes')
        .leftJoin('memberships', (join) =>
          join
            .onRef('memberships.commune_id', '=', 'communes.id')
            .on('memberships.account_id', '=', f.viewerId ?? ''),
        )
        .selectAll('communes')
        .select('memberships.role as viewer_role')
        .where((eb) =>
          eb.or([eb('communes.visibility', '=', 'public'), eb('memberships.role', 'is not', null)]),
        );
      if (f.hidden && f.hidden.length > 0)
        query = query.where('communes.handle', 'not in', [...f.hidden]);
      if (f.only) {
        if (f.only.length === 0) return [];
        query = query.where('communes.handle', 'in', [...f.only]);
      }
      if (f.category) query = query.where('communes.category', '=', f.category);
      if (f.tag) query = query.where(hasTag(f.tag));
      if (f.q) {
        const pattern = `%${escapeLike(f.q)}%`;
        const matches = (column: string) =>
          sql<boolean>`lower(${sql.ref(column)}) like lower(cast(${pattern} as text)) escape '\\'`;
        query = query.where((eb) =>
          eb.or([matches('communes.name'), matches('communes.handle'), matches('communes.vision')]),
        );
      }
      if (f.after)
        query = query.where(
          sql<boolean>`(${sortKey}, communes.handle) > (lower(cast(${f.after.name} as text)), ${f.after.handle})`,
        );
      const rows = await query
        .orderBy(sortKey)
        .orderBy('communes.handle')
        .limit(f.limit + 1)
        .execute();
      return rows.map((r) => ({ ...toCommune(r), viewerRole: r.viewer_role ?? null }));
    },

    /** Applies a charter change; false when maxMembers would fall below the members already in. */
    async amend(id: string, a: Amendment): Promise<boolean> {
      const changes = {
        ...(a.name !== undefined ? { name: a.name } : {}),
        ...(a.vision !== undefined ? { vision: a.vision } : {}),
        ...(a.category !== undefined ? { category: a.category } : {}),
        ...(a.tags !== undefined ? { tags: JSON.stringify(a.tags) } : {}),
        ...(a.agreements !== undefined ? { agreements: JSON.stringify(a.agreements) } : {}),
        ...(a.joinPolicy !== undefined ? { join_policy: a.joinPolicy } : {}),
        ...(a.visibility !== undefined ? { visibility: a.visibility } : {}),
        ...(a.maxMembers !== undefined ? { max_members: a.maxMembers } : {}),
      };
      if (Object.keys(changes).length === 0) return true;
      let update = db.updateTable('communes').set(changes).where('id', '=', id);
      if (a.maxMembers !== undefined) update = update.where('member_count', '<=', a.maxMembers);
      const r = await update.executeTakeFirst();
      return r.numUpdatedRows > 0n;
    },

    /** What a passed change_governance opened or closed; what it leaves out stays. */
    async setDisclosure(id: string, d: Partial<Disclosure>): Promise<void> {
      const changes = {
        ...(d.books !== undefined ? { open_books: d.books ? 1 : 0 } : {}),
        ...(d.ballots !== undefined ? { open_ballots: d.ballots ? 1 : 0 } : {}),
      };
      if (Object.keys(changes).length === 0) return;
      await db.updateTable('communes').set(changes).where('id', '=', id).execute();
    },
  };
}
export type CommunesRepository = ReturnType<typeof communesRepository>;
