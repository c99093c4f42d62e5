import { sql, type RawBuilder } from 'kysely';
import type { Db, Dialect } from '../db/database.ts';
import { PUBLIC_ROWIDS } from '../db/migrations/0020_search_scope.ts';
import { compileFilters, type FilterSet } from '../discussions/filters.ts';
import { itemVisibleSql } from '../inventory/items.view.ts';
import { MARK_CLOSE, MARK_OPEN, type After, type DocType, type Narrowing } from './search.ts';

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
export const BM25 = sql`bm25(search_fts, 5.0, 1.0, 0.0)`;

export const ftsWords = (match: string) => `{title body} : (${match})`;

/**
 * SQLite's match narrowed to what the reader could see (migration 0020), in two halves whose
 * documents never overlap: public documents are a rowid range of the index, the reader's
 * communes a phrase of the scope column (weight 0: a document scores the same in both).
 */
export function sqliteHalves(match: string, scopes: readonly string[]): RawBuilder<boolean>[] {
  const halves = [sql<boolean>`search_fts match ${ftsWords(match)} and rowid >= ${PUBLIC_ROWIDS}`];
  if (scopes.length > 0) {
    const tokens = scopes.map((id) => `"${communeScope(id)}"`).join(' OR ');
    halves.push(
      sql<boolean>`search_fts match ${`${ftsWords(match)} AND scope : (${tokens})`}
        and rowid < ${PUBLIC_ROWIDS}`,
    );
  }
  return halves;
}

/**
 * The matching documents narrowed to what the reader could see, with their score (SCORE:
 * lower is better) when `scored`, as a FROM clause naming them d (and s on SQLite).
 * SQLite: the two halves above. PostgreSQL: one GIN lookup of `words && scopes`.
 */
export function candidates(
  dialect: Dialect,
  match: string,
  scopes: readonly string[],
  scored = true,
) {
  if (dialect === 'sqlite') {
    const score = scored ? sql`, ${BM25} as score` : sql``;
    const halves = sqliteHalves(match, scopes).map(
      (where) => sql`select rowid as id ${score} from search_fts where ${where}`,
    );
    return sql`from (${sql.join(halves, sql` union all `)}) s join search_docs d on d.id = s.id`;
  }
  // Scope lexemes are hex and letters after '#'; quoted, tsquery takes them as they are.
  const within = [PUBLIC_SCOPE, ...scopes.map(communeScope)].map((t) => `'#${t}'`).join(' | ');
  const score = scored ? sql`, -ts_rank_cd(d.tsv, q.q) as score` : sql``;
  return sql`from (select d.* ${score} from search_docs d
      cross join websearch_to_tsquery('english', ${match}) q
      where d.tsv @@ (q.q && cast(${within} as tsquery)) and numnode(q.q) > 0) d`;
}

/**
 * FROM and WHERE shared by the page and the facets: matching, readable, unfiltered documents.
 * `from` replaces the candidates (a FROM clause naming the documents d, and s on SQLite).
 */
export function matching(
  dialect: Dialect,
  { match, reader, narrowing }: Scope,
  extraJoin = sql``,
  from = candidates(dialect, match, reader.scopes),
) {
  const member = reader.viewerId ?? '';
  const conditions = [
    readable(reader),
    ...narrowed(dialect, narrowing),
    ...unfiltered(dialect, reader.filters),
  ];
  const people = reader.filters.people.size > 0;
  return sql`${from}
    join communes c on c.id = d.commune_id
    left join memberships m on m.commune_id = d.commune_id and m.account_id = ${member}
    ${people ? sql`left join accounts a on a.id = d.author_id` : sql``}
    ${extraJoin}
    where ${sql.join(conditions, sql` and `)}`;
}

// SQLite's ranked page without joining every match (docs/adr/0016-search.md, "Bounded
// candidates"). FTS5 scores each half of the match and keeps only its best K (a heap
// inside SQLite: nothing is joined, no row of search_docs is read); only those K are then held
// to the permission rule, filtered and joined. For a common word that is a few dozen rows
// looked up instead of thousands.

/** Candidates per half: this many per row wanted, and a few more. */
const PER_ROW = 2;
const EXTRA = 16;

type Candidate = { id: number; score: number };

/** SQLite's BINARY order of two ids (bytes of UTF-8), as the unbounded query sorts them. */
const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/**
 * The page exactly as the unbounded query gives it, or undefined when the bounded candidates
 * cannot prove it (too few of them readable): then the caller runs the unbounded query.
 * Why it is exact: a document left out of a half scores at least that half's worst kept score;
 * θ is the lowest such score over the halves that were cut. Every matching document scoring
 * below θ is a candidate, so when `limit` readable candidates score below θ, no document left
 * out can come before them.
 */
async function boundedPage(
  db: Db,
  scope: Scope,
  limit: number,
  after: After | undefined,
): Promise<HitRow[] | undefined> {
  const k = limit * PER_ROW + EXTRA;
  const from = after === undefined ? sql`` : sql`and score >= ${after.score}`;
  let theta = Infinity;
  const scores = new Map<number, number>();
  for (const half of sqliteHalves(scope.match, scope.reader.scopes)) {
    const { rows } = await sql<Candidate>`select id, score from (select rowid as id,
        ${BM25} as score from search_fts where ${half}) where 1 = 1 ${from}
      order by score limit ${k}`.execute(db);
    for (const r of rows) scores.set(Number(r.id), r.score);
    if (rows.length === k) theta = Math.min(theta, rows[rows.length - 1]!.score);
  }
  const ids = [...scores].filter(([, score]) => score < theta).map(([id]) => id);
  if (ids.length === 0) return theta === Infinity ? [] : undefined;
  const names = sql`left join accounts pa on pa.id = d.author_id
    left join threads t on t.id = d.thread_id`;
  const { rows } = await sql<Omit<HitRow, 'score'>>`select d.id as doc, d.type, d.ref_id,
      d.thread_id, d.kind, d.tags, d.created_at, c.handle as commune,
      coalesce(pa.handle, d.author_handle) as author,
      case when d.type = 'comment' then coalesce(t.title, '') else d.title end as title
    ${matching(
      'sqlite',
      scope,
      names,
      sql`from json_each(${JSON.stringify(ids)}) s
      join search_docs d on d.id = s.value`,
    )}`.execute(db);
  const page = rows
    .map((r) => ({ ...r, score: scores.get(Number(r.doc))! }))
    .filter(
      (r) =>
        after === undefined ||
        r.score > after.score ||
        (r.score === after.score && byBytes(r.ref_id, after.id) > 0),
    )
    .sort((a, b) => a.score - b.score || byBytes(a.ref_id, b.ref_id))
    .slice(0, limit);
  return page.length === limit || theta === Infinity ? page : undefined;
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
     * first; only its rows are joined for names and thread titles. SQLite tries the bounded
     * candidates first (boundedPage), which give the same page when they can prove it.
     */
    async page(scope: Scope, limit: number, after: After | undefined): Promise<HitRow[]> {
      if (dialect === 'sqlite') {
        const bounded = await boundedPage(db, scope, limit, after);
        if (bounded !== undefined) return bounded;
      }
      return this.unboundedPage(scope, limit, after);
    },

    /** page() over every readable match, ranked and cut inside one query. */
    async unboundedPage(scope: Scope, limit: number, after: After | undefined): Promise<HitRow[]> {
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
  };
}

const HEADLINE =
  `StartSel="${MARK_OPEN}", StopSel="${MARK_CLOSE}", MaxWords=30, MinWords=12, ` +
  `MaxFragments=2, FragmentDelimiter=" … "`;
