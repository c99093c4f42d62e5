import { sql, type RawBuilder } from 'kysely';
import type { Dialect } from '../db/database.ts';
import { PUBLIC_ROWIDS } from '../db/migrations/0020_search_scope.ts';
import type { FilterSet } from '../discussions/filters.ts';
import { itemVisibleSql } from '../inventory/items.view.ts';
import type { DocType, Narrowing } from './search.ts';

// The SQL search is made of (docs/adr/0016-search.md): who may see what, the reader's filters
// and the match, decided inside the query that ranks and pages, so that a page is never short
// and never holds what its reader may not see. Read-only: the triggers of migration 0012 write.

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
