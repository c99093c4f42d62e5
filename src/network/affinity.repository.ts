// SQL on the affinity tables and the alliance graph (both the network context's own).
import { sql } from 'kysely';
import type { Dialect } from '../db/database.ts';
import type { Executor } from '../db/transaction.ts';
import type { StoredReach, StoredTies, TieColumn, VectorProfile } from './affinity.index.ts';

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

/** A profile's term counts as packed little-endian (term id, count) pairs, base64. */
export const packTerms = (terms: ReadonlyMap<number, number>): string => {
  const pairs = new Uint32Array(terms.size * 2);
  let i = 0;
  for (const [id, count] of [...terms].sort(([x], [y]) => x - y)) {
    pairs[i++] = id;
    pairs[i++] = count;
  }
  return Buffer.from(pairs.buffer).toString('base64');
};

export const unpackTerms = (text: string): { termIds: Uint32Array; counts: Uint32Array } => {
  const bytes = Buffer.from(text, 'base64');
  const n = bytes.length >>> 3;
  const termIds = new Uint32Array(n);
  const counts = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    termIds[i] = bytes.readUInt32LE(i * 8);
    counts[i] = bytes.readUInt32LE(i * 8 + 4);
  }
  return { termIds, counts };
};

const toProfile = (r: {
  commune_id: string;
  handle: string;
  category: string;
  tags: string;
  terms: string;
}): VectorProfile => ({
  id: r.commune_id,
  handle: r.handle,
  category: r.category,
  tags: JSON.parse(r.tags) as string[],
  ...unpackTerms(r.terms),
});

/** A term's row as a reader caches it. */
export type TermRow = { id: number; term: string; documents: number; seq: number };

export function affinityRepository(db: Executor, dialect: Dialect) {
  /** Adds `by` to a counter and answers its new value (a new counter starts at 0). */
  const bump = async (key: 'seq' | 'term_id' | 'epoch', by: number): Promise<number> => {
    const r = await db
      .insertInto('affinity_meta')
      .values({ key, value: by })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: sql`affinity_meta.value + ${by}` }))
      .returning('value')
      .executeTakeFirstOrThrow();
    return Number(r.value);
  };

  return {
    async lock(): Promise<void> {
      if (dialect === 'postgres')
        await sql`select pg_advisory_xact_lock(${AFFINITY_LOCK})`.execute(db);
    },

    /** A new sequence number: every term or profile written in one event shares it. */
    nextSeq: () => bump('seq', 1),

    /** A rebuild makes every row anew: readers that kept rows start over. */
    nextEpoch: () => bump('epoch', 1),

    /** The last sequence number handed out, and the rebuild count (0 before any). */
    async counters(): Promise<{ seq: number; epoch: number }> {
      const rows = await db
        .selectFrom('affinity_meta')
        .select(['key', 'value'])
        .where('key', 'in', ['seq', 'epoch'])
        .execute();
      const of = (k: string) => Number(rows.find((r) => r.key === k)?.value ?? 0);
      return { seq: of('seq'), epoch: of('epoch') };
    },

    /** Profiles written after `seq` (all of them from -1), for a reader's copy. */
    async profilesSince(seq: number): Promise<VectorProfile[]> {
      const rows = await db
        .selectFrom('affinity_profiles')
        .select(['commune_id', 'handle', 'category', 'tags', 'terms'])
        .where('seq', '>', seq)
        .execute();
      return rows.map(toProfile);
    },

    /** `n` new term ids, never handed out before (ids are not reused, so caches stay right). */
    async newTermIds(n: number): Promise<number[]> {
      if (n === 0) return [];
      const last = await bump('term_id', n);
      return Array.from({ length: n }, (_, i) => last - n + 1 + i);
    },

    /** The format the stored rows were built in (undefined: never built, or before 0024). */
    async format(): Promise<number | undefined> {
      const r = await db
        .selectFrom('affinity_meta')
        .select('value')
        .where('key', '=', 'format')
        .executeTakeFirst();
      return r === undefined ? undefined : Number(r.value);
    },

    async setFormat(format: number): Promise<void> {
      await db
        .insertInto('affinity_meta')
        .values({ key: 'format', value: format })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: format }))
        .execute();
    },

    async profile(id: string): Promise<VectorProfile | undefined> {
      const r = await db
        .selectFrom('affinity_profiles')
        .select(['commune_id', 'handle', 'category', 'tags', 'terms'])
        .where('commune_id', '=', id)
        .executeTakeFirst();
      return r && toProfile(r);
    },

    async putProfiles(
      list: readonly {
        id: string;
        handle: string;
        category: string;
        tags: readonly string[];
        terms: string;
      }[],
      seq: number,
    ): Promise<void> {
      for (const part of chunks(list)) {
        if (part.length === 0) continue;
        await db
          .insertInto('affinity_profiles')
          .values(
            part.map((p) => ({
              commune_id: p.id,
              handle: p.handle,
              category: p.category,
              tags: JSON.stringify(p.tags),
              terms: p.terms,
              seq,
            })),
          )
          .onConflict((oc) =>
            oc.column('commune_id').doUpdateSet((eb) => ({
              handle: eb.ref('excluded.handle'),
              category: eb.ref('excluded.category'),
              tags: eb.ref('excluded.tags'),
              terms: eb.ref('excluded.terms'),
              seq: eb.ref('excluded.seq'),
            })),
          )
          .execute();
      }
    },

    /** The ids of the terms that have a row. */
    async termIds(terms: readonly string[]): Promise<Map<string, number>> {
      const out = new Map<string, number>();
      for (const part of chunks([...new Set(terms)])) {
        if (part.length === 0) continue;
        const rows = await db
          .selectFrom('affinity_terms')
          .select(['term', 'id'])
          .where('term', 'in', part)
          .execute();
        for (const r of rows) out.set(r.term, Number(r.id));
      }
      return out;
    },

    /** One more document for each term (a row is made with its id when new). */
    async addDocuments(terms: readonly (readonly [string, number])[], seq: number) {
      for (const part of chunks(terms))
        if (part.length > 0)
          await db
            .insertInto('affinity_terms')
            .values(part.map(([term, id]) => ({ term, id, documents: 1, seq })))
            .onConflict((oc) =>
              oc.column('term').doUpdateSet({
                documents: sql`affinity_terms.documents + 1`,
                seq,
              }),
            )
            .execute();
    },

    /** One document fewer for each term id; rows that reach zero go. */
    async removeDocuments(ids: readonly number[], seq: number) {
      for (const part of chunks(ids)) {
        if (part.length === 0) continue;
        await db
          .updateTable('affinity_terms')
          .set({ documents: sql`documents - 1`, seq })
          .where('id', 'in', part)
          .execute();
        await db
          .deleteFrom('affinity_terms')
          .where('id', 'in', part)
          .where('documents', '<=', 0)
          .execute();
      }
    },

    /** Rows written whole (a rebuild). */
    async insertTerms(rows: readonly TermRow[]) {
      for (const part of chunks(rows))
        if (part.length > 0)
          await db
            .insertInto('affinity_terms')
            .values([...part])
            .execute();
    },

    /** Term rows changed after `seq`, for a reader's cache; with ids: only those. */
    async termsSince(seq: number, ids?: readonly number[]): Promise<TermRow[]> {
      const out: TermRow[] = [];
      const lists = ids === undefined ? [undefined] : chunks([...new Set(ids)]);
      for (const part of lists) {
        let q = db
          .selectFrom('affinity_terms')
          .select(['id', 'term', 'documents', 'seq'])
          .where('seq', '>', seq);
        if (part !== undefined) q = q.where('id', 'in', part);
        for (const r of await q.execute())
          out.push({
            id: Number(r.id),
            term: r.term,
            documents: Number(r.documents),
            seq: Number(r.seq),
          });
      }
      return out;
    },

    async setTags(communeId: string, tags: readonly string[]): Promise<void> {
      await db.deleteFrom('affinity_tags').where('commune_id', '=', communeId).execute();
      if (tags.length > 0)
        await db
          .insertInto('affinity_tags')
          .values(tags.map((tag) => ({ tag, commune_id: communeId })))
          .execute();
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

    /** Tie rows written whole (a rebuild): both directions given. */
    async insertTies(rows: readonly StoredTies[]) {
      for (const part of chunks(rows))
        if (part.length > 0)
          await db
            .insertInto('affinity_ties')
            .values(
              part.map((t) => ({
                commune_id: t.a,
                other_id: t.b,
                shared_members: t.sharedMembers,
                forks: t.forks,
                thanks: t.thanks,
                clearing: t.clearing,
              })),
            )
            .execute();
    },

    async insertTags(rows: readonly (readonly [string, string])[]) {
      for (const part of chunks(rows))
        if (part.length > 0)
          await db
            .insertInto('affinity_tags')
            .values(part.map(([tag, commune_id]) => ({ tag, commune_id })))
            .execute();
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
