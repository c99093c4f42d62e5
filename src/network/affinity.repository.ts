// SQL on the affinity tables and the alliance graph (both the network context's own).
import { sql } from 'kysely';
import type { Dialect } from '../db/database.ts';
import type { Executor } from '../db/transaction.ts';
import type { StoredProfile, StoredReach, StoredTies, TieColumn } from './affinity.index.ts';

/** SQLite and PostgreSQL both take this many bound values per statement comfortably. */
const CHUNK = 500;
const chunks = <T>(list: readonly T[]): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += CHUNK) out.push(list.slice(i, i + CHUNK));
  return out;
};

/** The term whose row counts the documents (tokenize never yields an empty word). */
export const DOCUMENTS = '';

// Affinity handlers take this on PostgreSQL so that a recount reads what the one before wrote.
const AFFINITY_LOCK = 727_015;

const toProfile = (r: {
  commune_id: string;
  category: string;
  tags: string;
  terms: string;
}): StoredProfile => ({
  id: r.commune_id,
  category: r.category,
  tags: JSON.parse(r.tags) as string[],
  terms: new Map(Object.entries(JSON.parse(r.terms) as Record<string, number>)),
});

export function affinityRepository(db: Executor, dialect: Dialect) {
  return {
    async lock(): Promise<void> {
      if (dialect === 'postgres')
        await sql`select pg_advisory_xact_lock(${AFFINITY_LOCK})`.execute(db);
    },

    async profile(id: string): Promise<StoredProfile | undefined> {
      const r = await db
        .selectFrom('affinity_profiles')
        .selectAll()
        .where('commune_id', '=', id)
        .executeTakeFirst();
      return r && toProfile(r);
    },

    async profiles(ids: readonly string[]): Promise<StoredProfile[]> {
      const out: StoredProfile[] = [];
      for (const part of chunks([...new Set(ids)])) {
        const rows = await db
          .selectFrom('affinity_profiles')
          .selectAll()
          .where('commune_id', 'in', part)
          .execute();
        for (const r of rows) out.push(toProfile(r));
      }
      return out;
    },

    /** Category and tags only: enough for every part of the score but the text. */
    async outlines(
      ids: readonly string[],
    ): Promise<{ id: string; category: string; tags: string[] }[]> {
      const out: { id: string; category: string; tags: string[] }[] = [];
      for (const part of chunks([...new Set(ids)])) {
        const rows = await db
          .selectFrom('affinity_profiles')
          .select(['commune_id', 'category', 'tags'])
          .where('commune_id', 'in', part)
          .execute();
        for (const r of rows)
          out.push({
            id: r.commune_id,
            category: r.category,
            tags: JSON.parse(r.tags) as string[],
          });
      }
      return out;
    },

    async putProfile(p: StoredProfile): Promise<void> {
      const row = {
        commune_id: p.id,
        category: p.category,
        tags: JSON.stringify(p.tags),
        terms: JSON.stringify(Object.fromEntries(p.terms)),
      };
      await db
        .insertInto('affinity_profiles')
        .values(row)
        .onConflict((oc) =>
          oc.column('commune_id').doUpdateSet({
            category: row.category,
            tags: row.tags,
            terms: row.terms,
          }),
        )
        .execute();
    },

    /** Adds each delta to a term's document count; rows that reach zero go. */
    async adjustTerms(delta: ReadonlyMap<string, number>): Promise<void> {
      const changes = [...delta].filter(([, d]) => d !== 0);
      for (const part of chunks(changes)) {
        await db
          .insertInto('affinity_terms')
          .values(part.map(([term, d]) => ({ term, documents: d })))
          .onConflict((oc) =>
            oc.column('term').doUpdateSet({
              documents: sql`affinity_terms.documents + excluded.documents`,
            }),
          )
          .execute();
        await db
          .deleteFrom('affinity_terms')
          .where(
            'term',
            'in',
            part.map(([t]) => t),
          )
          .where('documents', '<=', 0)
          .execute();
      }
    },

    /** Document counts of the given terms (absent: 0) and the number of documents. */
    async termStats(
      terms: readonly string[],
    ): Promise<{ documents: number; frequency: Map<string, number> }> {
      const frequency = new Map<string, number>();
      for (const part of chunks([...new Set([DOCUMENTS, ...terms])])) {
        const rows = await db
          .selectFrom('affinity_terms')
          .select(['term', 'documents'])
          .where('term', 'in', part)
          .execute();
        for (const r of rows) frequency.set(r.term, Number(r.documents));
      }
      const documents = frequency.get(DOCUMENTS) ?? 0;
      frequency.delete(DOCUMENTS);
      return { documents, frequency };
    },

    async setTags(communeId: string, tags: readonly string[]): Promise<void> {
      await db.deleteFrom('affinity_tags').where('commune_id', '=', communeId).execute();
      if (tags.length > 0)
        await db
          .insertInto('affinity_tags')
          .values(tags.map((tag) => ({ tag, commune_id: communeId })))
          .execute();
    },

    /** Communes carrying any of the tags, the asker left out. */
    async tagPartners(tags: readonly string[], except: string): Promise<string[]> {
      if (tags.length === 0) return [];
      const rows = await db
        .selectFrom('affinity_tags')
        .select('commune_id')
        .distinct()
        .where('tag', 'in', [...tags])
        .where('commune_id', '!=', except)
        .execute();
      return rows.map((r) => r.commune_id);
    },

    /** Sets one tie between two communes, in both directions; a row of zeros goes. */
    async setTie(a: string, b: string, column: TieColumn, value: number): Promise<void> {
      for (const [x, y] of [
        [a, b],
        [b, a],
      ] as const) {
        await db
          .insertInto('affinity_ties')
          .values({
            commune_id: x,
            other_id: y,
            shared_members: 0,
            forks: 0,
            thanks: 0,
            clearing: 0,
            [column]: value,
          })
          .onConflict((oc) =>
            oc.columns(['commune_id', 'other_id']).doUpdateSet({ [column]: value }),
          )
          .execute();
      }
      await db
        .deleteFrom('affinity_ties')
        .where((eb) =>
          eb.or([
            eb.and([eb('commune_id', '=', a), eb('other_id', '=', b)]),
            eb.and([eb('commune_id', '=', b), eb('other_id', '=', a)]),
          ]),
        )
        .where('shared_members', '=', 0)
        .where('forks', '=', 0)
        .where('thanks', '=', 0)
        .where('clearing', '=', 0)
        .execute();
    },

    async ties(communeId: string): Promise<StoredTies[]> {
      const rows = await db
        .selectFrom('affinity_ties')
        .selectAll()
        .where('commune_id', '=', communeId)
        .execute();
      return rows.map((r) => ({
        a: r.commune_id,
        b: r.other_id,
        sharedMembers: Number(r.shared_members),
        forks: Number(r.forks),
        thanks: Number(r.thanks),
        clearing: Number(r.clearing),
      }));
    },

    async reach(communeId: string): Promise<StoredReach[]> {
      const rows = await db
        .selectFrom('affinity_reach')
        .selectAll()
        .where('commune_id', '=', communeId)
        .execute();
      return rows.map((r) => ({ a: r.commune_id, b: r.other_id, degree: r.degree, via: r.via }));
    },

    /** Communes whose stored reach includes any of these. */
    async reaching(ids: readonly string[]): Promise<string[]> {
      if (ids.length === 0) return [];
      const rows = await db
        .selectFrom('affinity_reach')
        .select('commune_id')
        .where('other_id', 'in', [...ids])
        .execute();
      return rows.map((r) => r.commune_id);
    },

    /** Replaces the stored reach of every commune given, in a few statements. */
    async replaceReaches(reaches: ReadonlyMap<string, readonly StoredReach[]>): Promise<void> {
      for (const part of chunks([...reaches.keys()]))
        await db.deleteFrom('affinity_reach').where('commune_id', 'in', part).execute();
      for (const part of chunks([...reaches.values()].flat()))
        await db
          .insertInto('affinity_reach')
          .values(
            part.map((r) => ({ commune_id: r.a, other_id: r.b, degree: r.degree, via: r.via })),
          )
          .execute();
    },

    async replaceReach(communeId: string, rows: readonly StoredReach[]): Promise<void> {
      await db.deleteFrom('affinity_reach').where('commune_id', '=', communeId).execute();
      for (const part of chunks(rows))
        await db
          .insertInto('affinity_reach')
          .values(
            part.map((r) => ({ commune_id: r.a, other_id: r.b, degree: r.degree, via: r.via })),
          )
          .execute();
    },

    /** Active allies of each commune asked, sorted, so every BFS walks them in one order. */
    async neighbours(ids: readonly string[]): Promise<Map<string, string[]>> {
      const out = new Map<string, string[]>(ids.map((id) => [id, []]));
      for (const part of chunks([...new Set(ids)])) {
        const rows = await db
          .selectFrom('alliances')
          .select(['commune_a', 'commune_b'])
          .where('status', '=', 'active')
          .where((eb) => eb.or([eb('commune_a', 'in', part), eb('commune_b', 'in', part)]))
          .execute();
        for (const r of rows) {
          if (r.commune_a === r.commune_b) continue;
          out.get(r.commune_a)?.push(r.commune_b);
          out.get(r.commune_b)?.push(r.commune_a);
        }
      }
      for (const [id, list] of out) out.set(id, [...new Set(list)].sort());
      return out;
    },

    /** Every active alliance (a full rebuild). */
    async allAlliances(): Promise<[string, string][]> {
      const rows = await db
        .selectFrom('alliances')
        .select(['commune_a', 'commune_b'])
        .where('status', '=', 'active')
        .execute();
      return rows.map((r) => [r.commune_a, r.commune_b]);
    },

    /** Every stored row, for a rebuild and for the tests that compare it with one. */
    async dump() {
      const [profiles, terms, tags, ties, reach] = await Promise.all([
        db.selectFrom('affinity_profiles').selectAll().execute(),
        db.selectFrom('affinity_terms').selectAll().execute(),
        db.selectFrom('affinity_tags').selectAll().execute(),
        db.selectFrom('affinity_ties').selectAll().execute(),
        db.selectFrom('affinity_reach').selectAll().execute(),
      ]);
      return { profiles, terms, tags, ties, reach };
    },

    async clear(): Promise<void> {
      for (const t of [
        'affinity_profiles',
        'affinity_terms',
        'affinity_tags',
        'affinity_ties',
        'affinity_reach',
      ] as const)
        await db.deleteFrom(t).execute();
    },
  };
}
export type AffinityRepository = ReturnType<typeof affinityRepository>;
