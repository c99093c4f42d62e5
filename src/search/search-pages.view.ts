import { sql, type RawBuilder } from 'kysely';
import type { Db, Dialect } from '../db/database.ts';
import type { After } from './search.ts';
import {
  BM25,
  candidates,
  matching,
  sqliteHalves,
  type HitRow,
  type Scope,
} from './search-sql.view.ts';

// A page of ranked hits: best first (lowest score), ties by id, `limit` rows after `after`.
// rankedPage ranks every readable match in one query; the bounded pages first rank the
// matches alone, keep the best K, and hold only those to the permission rule
// (docs/adr/0032-search-bounded-candidates.md, 0035 for PostgreSQL).

/** The candidates' score (see candidates()). */
const SCORE = { sqlite: sql`s.score`, postgres: sql`d.score` } as const;

/** Candidates per half: this many per row wanted, and a few more. */
const PER_ROW = 2;
const EXTRA = 16;

/**
 * Every readable match ranked and cut inside one query. The page is cut first; only its rows
 * are joined for names and thread titles. `from` replaces the candidates (see matching()).
 */
export const rankedPage = async (
  db: Db,
  dialect: Dialect,
  scope: Scope,
  limit: number,
  after: After | undefined,
  from?: RawBuilder<unknown>,
): Promise<HitRow[]> => (await rankedRows(db, dialect, scope, limit, after, { from })).map(hitOf);

/** What a bounded page adds to rankedPage's query: a WITH before it, a column on each row. */
type Around = {
  with?: RawBuilder<unknown>;
  from?: RawBuilder<unknown>;
  column?: RawBuilder<unknown>;
};
type Counted = HitRow & { counted?: number | string };

const hitOf = ({ counted: _, ...r }: Counted): HitRow => r;

async function rankedRows(
  db: Db,
  dialect: Dialect,
  scope: Scope,
  limit: number,
  after: After | undefined,
  around: Around,
): Promise<Counted[]> {
  const cut =
    after === undefined
      ? sql`1 = 1`
      : dialect === 'sqlite'
        ? sql`(h.score > ${after.score} or (h.score = ${after.score} and h.ref_id > ${after.id}))`
        : sql`(h.score > cast(${after.score} as real)
            or (h.score = cast(${after.score} as real) and h.ref_id > ${after.id}))`;
  const { rows } = await sql<Counted>`${around.with ?? sql``}
    select p.doc, p.type, p.ref_id, p.thread_id, p.kind,
      p.tags, p.created_at, pc.handle as commune,
      coalesce(pa.handle, p.author_handle) as author, p.score,
      case when p.type = 'comment' then coalesce(t.title, '') else p.own_title end as title
      ${around.column === undefined ? sql`` : sql`, ${around.column} as counted`}
    from (select h.* from (select d.id as doc, d.type, d.ref_id, d.thread_id, d.kind,
          d.tags, d.created_at, d.commune_id, d.author_id, d.author_handle,
          d.title as own_title, ${SCORE[dialect]} as score
        ${matching(dialect, scope, sql``, around.from)}) h
      where ${cut}
      order by h.score, h.ref_id
      limit ${limit}) p
    join communes pc on pc.id = p.commune_id
    left join accounts pa on pa.id = p.author_id
    left join threads t on t.id = p.thread_id
    order by p.score, p.ref_id`.execute(db);
  return rows.map((r) => ({ ...r, score: Number(r.score) }));
}

// SQLite's ranked page without joining every match (docs/adr/0032, "Bounded
// candidates"). FTS5 scores each half of the match and keeps only its best K (a heap
// inside SQLite: nothing is joined, no row of search_docs is read); only those K are then held
// to the permission rule, filtered and joined. For a common word that is a few dozen rows
// looked up instead of thousands.

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
export async function sqliteBoundedPage(
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

/**
 * PostgreSQL's page from bounded candidates, exactly as rankedPage gives it, or undefined
 * when they cannot prove it. The GIN lookup of the match (narrowed to what the reader could
 * see, as in candidates()) is ranked alone, in the page's own order (score, then id) after
 * the cursor, `limit K`: no join, no permission rule, a top-K sort. Those K are then the
 * first K matches in that order (equal scores included), so the first `limit` readable ones
 * among them, which rankedPage finds holding only them to the whole rule, are the page; when
 * fewer than `limit` are readable and K came back, the page may go on past them: undefined.
 */
export async function postgresBoundedPage(
  db: Db,
  scope: Scope,
  limit: number,
  after: After | undefined,
): Promise<HitRow[] | undefined> {
  const k = limit * PER_ROW + EXTRA;
  const cut =
    after === undefined
      ? sql``
      : sql`and (d.score > cast(${after.score} as real)
          or (d.score = cast(${after.score} as real) and d.ref_id > ${after.id}))`;
  // One statement: the K candidates (materialized: ranked once), then the page among them.
  const rows = await rankedRows(db, 'postgres', scope, limit, after, {
    with: sql`with top as materialized (select d.id
      ${candidates('postgres', scope.match, scope.reader.scopes)}
      where 1 = 1 ${cut}
      order by d.score, d.ref_id limit ${k})`,
    from: sql`from (select d.*, -ts_rank_cd(d.tsv, q.q) as score from search_docs d
        cross join websearch_to_tsquery('english', ${scope.match}) q
        where d.id in (select id from top)) d`,
    column: sql`(select count(*) from top)`,
  });
  // No row: no match at all, or none of the K readable; the unbounded query tells which.
  if (rows.length === 0) return undefined;
  const page = rows.map(hitOf);
  return page.length === limit || Number(rows[0]!.counted) < k ? page : undefined;
}
