import { sql, type RawBuilder } from 'kysely';
import type { Db, Dialect } from '../db/database.ts';
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

const visible = sql`(c.visibility = 'public' or m.account_id is not null)`;

/**
 * Who may see an item of visibility `allies`: members of the commune and of communes in an
 * active alliance with it (src/network, table alliances).
 */
export const alliesAudience = (member: string): RawBuilder<boolean> =>
  sql<boolean>`(m.account_id is not null or exists (select 1 from alliances al
    join memberships am on am.account_id = ${member} and am.commune_id =
      (case when al.commune_a = d.commune_id then al.commune_b else al.commune_a end)
    where al.status = 'active' and (al.commune_a = d.commune_id or al.commune_b = d.commune_id)))`;

/**
 * The one permission rule of search, as SQL over d (search_docs), c (communes) and m (the
 * reader's membership of c, or null): nothing from a commune the reader cannot find (private
 * and unlisted communes are found by their members only: search lists, and unlisted communes
 * stay out of lists); threads and comments as their commune; items by their own visibility.
 */
export const readableBy = (member: string): RawBuilder<boolean> => sql<boolean>`(${visible} and (
  d.type <> 'item' or d.visibility = 'public'
  or (d.visibility = 'commune' and m.account_id is not null)
  or (d.visibility = 'allies' and ${alliesAudience(member)})))`;

/**
 * Nothing the reader's own filters hide (src/discussions/filters.ts, the same rules in SQL):
 * a commune, a person, a thread (and its comments), or a word anywhere in title or body,
 * compared case-folded like foldCase().
 */
function unfilteredFor(dialect: Dialect, viewerId: string): RawBuilder<boolean> {
  const contains = (column: string) =>
    dialect === 'sqlite'
      ? sql`instr(fold_case(${sql.ref(column)}), f.value) > 0`
      : sql`strpos(lower(normalize(${sql.ref(column)}, NFC)), f.value) > 0`;
  return sql<boolean>`not exists (select 1 from filters f where f.account_id = ${viewerId} and (
    (f.kind = 'commune' and f.value = c.handle)
    or (f.kind = 'person' and f.value = lower(coalesce(a.handle, d.author_handle)))
    or (f.kind = 'thread' and f.value = d.thread_id)
    or (f.kind = 'word' and (${contains('d.title')} or ${contains('d.body')}))))`;
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

/**
 * `match` is in the engine's own syntax: query.ts made it from the person's words. `scopes`
 * are the scope tokens (migration 0012) of what the reader could possibly see: `pub` and
 * `c<id>` for each of their communes. They narrow the match cheaply inside the index; the
 * rule that decides is readableBy().
 */
export type Scope = {
  match: string;
  viewerId: string | null;
  narrowing: Narrowing;
  scopes: string[];
};

/** The scope token of a commune's documents. */
export const communeScope = (communeId: string): string => `c${communeId.replaceAll('-', '')}`;
export const PUBLIC_SCOPE = 'pub';

const ftsWords = (match: string) => `{title body} : (${match})`;

/** FROM and WHERE shared by the page and the facets: matching, readable, unfiltered documents. */
function matching(
  dialect: Dialect,
  { match, viewerId, narrowing, scopes }: Scope,
  extraJoin = sql``,
) {
  const member = viewerId ?? '';
  const conditions = [readableBy(member), ...narrowed(dialect, narrowing)];
  if (viewerId !== null) conditions.push(unfilteredFor(dialect, viewerId));
  const where = sql.join(conditions, sql` and `);
  const from =
    dialect === 'sqlite'
      ? sql`from search_fts s join search_docs d on d.id = s.rowid`
      : sql`from search_docs d cross join websearch_to_tsquery('english', ${match}) q`;
  // Scope tokens are hex and letters only; quoting keeps FTS5 from reading them as syntax.
  const within = scopes.map((t) => `"${t}"`).join(' OR ');
  const matched =
    dialect === 'sqlite'
      ? sql`search_fts match ${`${ftsWords(match)} AND scope : (${within})`}`
      : sql`d.tsv @@ q.q and d.scope_tsv @@ to_tsquery('simple', ${scopes.join(' | ')})`;
  return sql`${from}
    join communes c on c.id = d.commune_id
    left join memberships m on m.commune_id = d.commune_id and m.account_id = ${member}
    left join accounts a on a.id = d.author_id
    ${extraJoin}
    where ${matched} and ${where}`;
}

export function searchView(db: Db, dialect: Dialect) {
  const memberOf = db.selectFrom('memberships').select('commune_id');
  const score = dialect === 'sqlite' ? sql`s.rank` : sql`-ts_rank_cd(d.tsv, q.q)`;
  return {
    /** The scope tokens of what this reader could see (anonymous: public documents only). */
    async scopesOf(viewerId: string | null): Promise<string[]> {
      if (viewerId === null) return [PUBLIC_SCOPE];
      const rows = await memberOf.where('account_id', '=', viewerId).execute();
      const mine = rows.map((r) => r.commune_id);
      // The allies of the reader's communes: their `allies` items are readable too.
      const allied =
        mine.length === 0
          ? []
          : await db
              .selectFrom('alliances')
              .select(['commune_a', 'commune_b'])
              .where('status', '=', 'active')
              .where((w) => w.or([w('commune_a', 'in', mine), w('commune_b', 'in', mine)]))
              .execute();
      const ids = new Set([...mine, ...allied.flatMap((a) => [a.commune_a, a.commune_b])]);
      return [PUBLIC_SCOPE, ...[...ids].map(communeScope)];
    },

    /** Best first (lowest score), ties by id; `limit` rows after `after`. */
    async page(scope: Scope, limit: number, after: After | undefined): Promise<HitRow[]> {
      const inner = sql`select d.id as doc, d.type, d.ref_id, d.thread_id, d.kind, d.tags,
          d.created_at, c.handle as commune, coalesce(a.handle, d.author_handle) as author,
          d.title as own_title, ${score} as score
        ${matching(dialect, scope)}`;
      const cut =
        after === undefined
          ? sql`1 = 1`
          : dialect === 'sqlite'
            ? sql`(h.score > ${after.score} or (h.score = ${after.score} and h.ref_id > ${after.id}))`
            : sql`(h.score > cast(${after.score} as real)
                or (h.score = cast(${after.score} as real) and h.ref_id > ${after.id}))`;
      const { rows } = await sql<HitRow>`select h.doc, h.type, h.ref_id, h.thread_id, h.kind,
          h.tags, h.created_at, h.commune, h.author, h.score,
          case when h.type = 'comment' then coalesce(t.title, '') else h.own_title end as title
        from (${inner}) h left join threads t on t.id = h.thread_id
        where ${cut}
        order by h.score, h.ref_id
        limit ${limit}`.execute(db);
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
