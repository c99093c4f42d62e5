import type { Db, Dialect } from '../db/database.ts';
import { compileFilters } from '../discussions/filters.ts';
import { MARK_CLOSE, MARK_OPEN, type After } from './search.ts';
import { sql } from 'kysely';
import { postgresBoundedPage, rankedPage, sqliteBoundedPage } from './search-pages.view.ts';
import { ftsWords, type HitRow, type Reader, type Scope } from './search-sql.view.ts';

// A read view (docs/adr/0016-search.md): it joins the search documents (migration 0012) with
// communes, memberships, accounts, threads and the reader's filters (search-sql.view.ts), so that
// who may see what is decided inside the one query that ranks and pages.

export {
  BM25,
  PUBLIC_SCOPE,
  candidates,
  communeScope,
  matching,
  readable,
  type HitRow,
  type Reader,
  type Scope,
} from './search-sql.view.ts';

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
     * first; only its rows are joined for names and thread titles. Both databases try the
     * bounded candidates first (search-pages.view.ts), which give the same page when they can prove it.
     */
    async page(scope: Scope, limit: number, after: After | undefined): Promise<HitRow[]> {
      const bounded =
        dialect === 'sqlite'
          ? await sqliteBoundedPage(db, scope, limit, after)
          : await postgresBoundedPage(db, scope, limit, after);
      return bounded ?? this.unboundedPage(scope, limit, after);
    },

    /** page() over every readable match, ranked and cut inside one query. */
    unboundedPage: (scope: Scope, limit: number, after: After | undefined): Promise<HitRow[]> =>
      rankedPage(db, dialect, scope, limit, after),

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
