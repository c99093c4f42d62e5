import { sql, type RawBuilder } from 'kysely';
import type { Db, Dialect } from '../db/database.ts';
import { PUBLIC_ROWIDS } from '../db/migrations/0020_search_scope.ts';
import { compileFilters, type FilterSet } from '../discussions/filters.ts';
import { itemVisibleSql } from '../inventory/items.view.ts';
import {
  MARK_CLOSE,
  MARK_OPEN,
  type After,
  type DocType,
  type FacetCount,
  type Facets,
  type Narrowing,
} from './search.ts';

// A read view (docs/adr/0016-search.md): it joins the search documents (migration 0012) with
// communes, memberships, accounts, threads and the reader's filters, so that who may see what
// is decided inside the one query that ranks and pages. A page is then never short and never
// holds what its reader may not see. Read-only: the triggers of migration 0012 write.

export type HitRow = {
  doc: number | string;
  type: DocType;
  ref_id: string;
  title: string;
  commune: string;
  author: string;
  kind: string | null;
  tags: string | null;
  thread_id: string | null;
  created_at: string;
  score: number;
};

/** Where a reader stands: what the one query needs to decide what they may see. */
export type Reader = {
  viewerId: string | null;
  /** Communes the reader belongs to. */
  communes: readonly string[];
  /** Communes allied with any of those (their `allies` items are readable). */
  allied: readonly string[];
  /**
   * Communes whose documents the match is narrowed to, besides those anyone may find: the
   * reader's and their allies'. Narrowing only: the rule in readable() decides.
   */
  scopes: readonly string[];
  filters: FilterSet;
};

/**
 * The one permission rule of search, as SQL over d (search_docs), c (communes) and m (the
 * reader's membership of c, or null). Items: inventory's own rule (itemVisibleSql, which a
 * property test holds to visibility.ts maySeeItem), and, because search is a list, nothing
 * from a commune the reader cannot find: private and unlisted communes are found by their
 * members only (an ally reads their `allies` items by link, as shared, not listed). Threads and comments follow their commune.
 */
export function readable(reader: Reader): RawBuilder<boolean> {
  const item = itemVisibleSql(
    {
      visibility: 'd.visibility',
      communeId: 'd.commune_id',
      communeVisibility: 'c.visibility',
      member: 'm.account_id',
    },
    reader.allied,
  );
  return sql<boolean>`((c.visibility = 'public' or m.account_id is not null)
    and (d.type <> 'item' or ${item}))`;
}

/**
 * Nothing the reader's own filters hide (src/discussions/filters.ts, the same rules in SQL):
 * a commune, a person, a thread (and its comments), or a word anywhere in title or body,
 * compared case-folded like foldCase(). Written out from the reader's filters, so a reader
 * without any pays nothing; `a` (accounts) is joined when people are filtered.
 */
function unfiltered(dialect: Dialect, f: FilterSet): RawBuilder<boolean>[] {
  const list = (values: Iterable<string>) => sql.join([...values].map((v) => sql`${v}`));
  const contains = (column: string, word: string) =>
    dialect === 'sqlite'
      ? sql<boolean>`instr(fold_case(${sql.ref(column)}), ${word}) > 0`
      : sql<boolean>`strpos(lower(normalize(${sql.ref(column)}, NFC)), ${word}) > 0`;
  const out: RawBuilder<boolean>[] = [];
  if (f.communes.size > 0) out.push(sql<boolean>`c.handle not in (${list(f.communes)})`);
  if (f.people.size > 0)
    out.push(sql<boolean>`lower(coalesce(a.handle, d.author_handle)) not in (${list(f.people)})`);
  if (f.threads.size > 0)
    out.push(sql<boolean>`(d.thread_id is null or d.thread_id not in (${list(f.threads)}))`);
  for (const w of f.words)
    out.push(sql<boolean>`not (${contains('d.title', w)} or ${contains('d.body', w)})`);
  return out;
}

function narrowed(dialect: Dialect, n: Narrowing): RawBuilder<boolean>[] {
  const out: RawBuilder<boolean>[] = [];
  if (n.type) out.push(sql<boolean>`d.type = ${n.type}`);
  if (n.kind) out.push(sql<boolean>`d.kind = ${n.kind}`);
  if (n.commune) out.push(sql<boolean>`c.handle = ${n.commune}`);
  if (n.tag)
    out.push(
      dialect === 'sqlite'
        ? sql<boolean>`exists (select 1 from json_each(d.tags) t where t.value = ${n.tag})`
        : sql<boolean>`jsonb_exists(cast(d.tags as jsonb), ${n.tag})`,
    );
  return out;
}

/** `match` is in the engine's own syntax: query.ts made it from the person's words. */
export type Scope = {
  match: string;
  reader: Reader;
  narrowing: Narrowing;
};

/** The scope token of a commune's documents (migration 0012). */
export const communeScope = (communeId: string): string => `c${communeId.replaceAll('-', '')}`;
export const PUBLIC_SCOPE = 'pub';

// Migration 0012's rank, written out: SQLite then sorts the few candidates itself, where
// `rank` has FTS5 sort each half on its own first.
const BM25 = sql`bm25(search_fts, 5.0, 1.0, 0.0)`;

const ftsWords = (match: string) => `{title body} : (${match})`;

/**
 * The matching documents narrowed to what the reader could see (migration 0020), with their
 * score (SCORE: lower is better), as a FROM clause naming them d.
 * SQLite: public documents are a rowid range of the index, the reader's communes a phrase of
 * the scope column (weight 0: scores are the same in both halves). PostgreSQL: one GIN lookup
 * of `words && scopes`.
 */
function candidates(dialect: Dialect, match: string, scopes: readonly string[]) {
  if (dialect === 'sqlite') {
    const tokens = scopes.map((id) => `"${communeScope(id)}"`).join(' OR ');
    const own =
      scopes.length === 0
        ? sql``
        : sql`union all select rowid as id, ${BM25} as score from search_fts
            where search_fts match ${`${ftsWords(match)} AND scope : (${tokens})`}
              and rowid < ${PUBLIC_ROWIDS}`;
    return sql`from (select rowid as id, ${BM25} as score from search_fts
        where search_fts match ${ftsWords(match)} and rowid >= ${PUBLIC_ROWIDS} ${own}) s
      join search_docs d on d.id = s.id`;
  }
  // Scope lexemes are hex and letters after '#'; quoted, tsquery takes them as they are.
  const within = [PUBLIC_SCOPE, ...scopes.map(communeScope)].map((t) => `'#${t}'`).join(' | ');
  return sql`from (select d.*, -ts_rank_cd(d.tsv, q.q) as score from search_docs d
      cross join websearch_to_tsquery('english', ${match}) q
      where d.tsv @@ (q.q && cast(${within} as tsquery)) and numnode(q.q) > 0) d`;
}

/** FROM and WHERE shared by the page and the facets: matching, readable, unfiltered documents. */
function matching(dialect: Dialect, { match, reader, narrowing }: Scope, extraJoin = sql``) {
  const member = reader.viewerId ?? '';
  const conditions = [
    readable(reader),
    ...narrowed(dialect, narrowing),
    ...unfiltered(dialect, reader.filters),
  ];
  const people = reader.filters.people.size > 0;
  return sql`${candidates(dialect, match, reader.scopes)}
    join communes c on c.id = d.commune_id
    left join memberships m on m.commune_id = d.commune_id and m.account_id = ${member}
    ${people ? sql`left join accounts a on a.id = d.author_id` : sql``}
    ${extraJoin}
    where ${sql.join(conditions, sql` and `)}`;
}

/** The candidates' score (see candidates()). */
const SCORE = { sqlite: sql`s.score`, postgres: sql`d.score` } as const;

export function searchView(db: Db, dialect: Dialect) {
  return {
    /** Where this reader stands: their communes, their allies and their filters. */
    async readerOf(viewerId: string | null): Promise<Reader> {
      if (viewerId === null)
        return { viewerId, communes: [], allied: [], scopes: [], filters: compileFilters([]) };
      const [rows, filters] = await Promise.all([
        db
          .selectFrom('memberships')
          .select('commune_id')
          .where('account_id', '=', viewerId)
          .execute(),
        db
          .selectFrom('filters')
          .select(['kind', 'value'])
          .where('account_id', '=', viewerId)
          .execute(),
      ]);
      const communes = rows.map((r) => r.commune_id);
      const alliances =
        communes.length === 0
          ? []
          : await db
              .selectFrom('alliances')
              .select(['commune_a', 'commune_b'])
              .where('status', '=', 'active')
              .where((w) => w.or([w('commune_a', 'in', communes), w('commune_b', 'in', communes)]))
              .execute();
      const mine = new Set(communes);
      const allied = [...new Set(alliances.flatMap((a) => [a.commune_a, a.commune_b]))].filter(
        (id) => !mine.has(id),
      );
      return {
        viewerId,
        communes,
        allied,
        scopes: [...communes, ...allied],
        filters: compileFilters(filters),
      };
    },

    /**
     * Best first (lowest score), ties by id; `limit` rows after `after`. The page is cut
     * first; only its rows are joined for names and thread titles.
     */
    async page(scope: Scope, limit: number, after: After | undefined): Promise<HitRow[]> {
      const cut =
        after === undefined
          ? sql`1 = 1`
          : dialect === 'sqlite'
            ? sql`(h.score > ${after.score} or (h.score = ${after.score} and h.ref_id > ${after.id}))`
            : sql`(h.score > cast(${after.score} as real)
                or (h.score = cast(${after.score} as real) and h.ref_id > ${after.id}))`;
      const { rows } = await sql<HitRow>`select p.doc, p.type, p.ref_id, p.thread_id, p.kind,
          p.tags, p.created_at, pc.handle as commune,
          coalesce(pa.handle, p.author_handle) as author, p.score,
          case when p.type = 'comment' then coalesce(t.title, '') else p.own_title end as title
        from (select h.* from (select d.id as doc, d.type, d.ref_id, d.thread_id, d.kind,
              d.tags, d.created_at, d.commune_id, d.author_id, d.author_handle,
              d.title as own_title, ${SCORE[dialect]} as score
            ${matching(dialect, scope)}) h
          where ${cut}
          order by h.score, h.ref_id
          limit ${limit}) p
        join communes pc on pc.id = p.commune_id
        left join accounts pa on pa.id = p.author_id
        left join threads t on t.id = p.thread_id
        order by p.score, p.ref_id`.execute(db);
      return rows.map((r) => ({ ...r, score: Number(r.score) }));
    },

    /** Raw snippets of the documents' bodies around the matched words, marked with \x02 … \x03. */
    async snippets(match: string, docs: (number | string)[]): Promise<Map<string, string>> {
      if (docs.length === 0) return new Map();
      const ids = sql.join(docs.map((d) => sql`${d}`));
      const { rows } =
        dialect === 'sqlite'
          ? await sql<{ doc: number; snippet: string }>`select s.rowid as doc,
              snippet(search_fts, 1, char(2), char(3), '…', 24) as snippet
              from search_fts s where search_fts match ${ftsWords(match)} and s.rowid in (${ids})`.execute(
              db,
            )
          : await sql<{ doc: string; snippet: string }>`select d.id as doc,
              ts_headline('english', d.body, q, ${HEADLINE}) as snippet
              from search_docs d cross join websearch_to_tsquery('english', ${match}) q
              where d.id in (${ids})`.execute(db);
      return new Map(rows.map((r) => [String(r.doc), r.snippet]));
    },

    /** How the matches the reader may see spread over types, kinds, tags and communes. */
    async facets(scope: Scope, top: number): Promise<Facets> {
      const tagsOf =
        dialect === 'sqlite'
          ? sql`join json_each(d.tags) j`
          : sql`cross join lateral jsonb_array_elements_text(cast(d.tags as jsonb)) j(value)`;
      const [groups, tags] = await Promise.all([
        sql<{ type: string; kind: string | null; commune: string; n: number | string }>`
          select d.type, d.kind, c.handle as commune, count(*) as n ${matching(dialect, scope)}
          group by d.type, d.kind, c.handle`.execute(db),
        sql<{ value: string; n: number | string }>`select j.value as value, count(*) as n
          ${matching(dialect, scope, tagsOf)}
          group by j.value order by count(*) desc, j.value limit ${top}`.execute(db),
      ]);
      const sum = (key: (r: (typeof groups.rows)[number]) => string | null) => {
        const counts = new Map<string, number>();
        for (const r of groups.rows) {
          const k = key(r);
          if (k !== null) counts.set(k, (counts.get(k) ?? 0) + Number(r.n));
        }
        return best(counts, top);
      };
      return {
        type: sum((r) => r.type),
        kind: sum((r) => r.kind),
        tag: tags.rows.map((r) => ({ value: r.value, count: Number(r.n) })),
        commune: sum((r) => r.commune),
      };
    },
  };
}

const best = (counts: Map<string, number>, top: number): FacetCount[] =>
  [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1))
    .slice(0, top);

const HEADLINE =
  `StartSel="${MARK_OPEN}", StopSel="${MARK_CLOSE}", MaxWords=30, MinWords=12, ` +
  `MaxFragments=2, FragmentDelimiter=" … "`;
