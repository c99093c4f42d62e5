import { sql } from 'kysely';
import type { Db, Dialect } from '../db/database.ts';
import { compileFilters } from '../discussions/filters.ts';
import { parseTags, type FacetCount, type Facets } from './search.ts';
import { candidates, matching, type Scope } from './search.view.ts';

// A read view: how the matches a reader may see spread over types, kinds, tags and communes
// (docs/adr/0016-search.md, "Facets"). Read-only, over the same matching() as the page.

/** One group of matches: the same type, kind, commune and tags. */
export type FacetGroup = {
  type: string;
  kind: string | null;
  commune: string;
  tags: string | null;
  n: number;
};

/** The most frequent `top` values of each facet, from groups of matches (or single hits). */
export function facetsOf(groups: readonly FacetGroup[], top: number): Facets {
  const count = (key: (g: FacetGroup) => readonly (string | null)[]) => {
    const counts = new Map<string, number>();
    for (const g of groups)
      for (const k of key(g)) if (k !== null) counts.set(k, (counts.get(k) ?? 0) + g.n);
    return best(counts, top);
  };
  return {
    type: count((g) => [g.type]),
    kind: count((g) => [g.kind]),
    tag: count((g) => [...new Set(parseTags(g.tags))]),
    commune: count((g) => [g.commune]),
  };
}

const best = (counts: Map<string, number>, top: number): FacetCount[] =>
  [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1))
    .slice(0, top);

export function facetsView(db: Db, dialect: Dialect) {
  return {
    /**
     * Every match the reader may see, counted in one pass: grouped by type, kind, commune and
     * tags (a handful of groups), unscored (nothing is ranked to be counted).
     */
    async facets(scope: Scope, top: number): Promise<Facets> {
      const { rows } = await sql<FacetGroup>`select d.type, d.kind, c.handle as commune,
          d.tags, count(*) as n
        ${matching(dialect, scope, sql``, candidates(dialect, scope.match, scope.reader.scopes, false))}
        group by d.type, d.kind, c.handle, d.tags`.execute(db);
      return facetsOf(
        rows.map((r) => ({ ...r, n: Number(r.n) })),
        top,
      );
    },

    /** How many matches the reader could see but their own filters leave out. */
    async hidden(scope: Scope): Promise<number> {
      if (scope.reader.filters.isEmpty) return 0;
      const count = async (s: Scope) => {
        const from = candidates(dialect, s.match, s.reader.scopes, false);
        const { rows } = await sql<{ n: number | string }>`select count(*) as n
          ${matching(dialect, s, sql``, from)}`.execute(db);
        return Number(rows[0]?.n ?? 0);
      };
      const unfilteredReader = { ...scope.reader, filters: compileFilters([]) };
      const [all, shown] = await Promise.all([
        count({ ...scope, reader: unfilteredReader }),
        count(scope),
      ]);
      return Math.max(0, all - shown);
    },
  };
}
