import type { Deps } from '../deps.ts';
import { toPage, type Page } from '../shared/pagination.ts';
import { ok, type AppError, type Result } from '../shared/result.ts';
import { MAX_QUERY_LENGTH, isEmptyQuery, parseQuery, toFts5, toWebsearch } from './query.ts';
import { searchFail, type SearchErrorCode } from './search.errors.ts';
import {
  parseTags,
  readSearchCursor,
  searchCursor,
  snippetHtml,
  type Facets,
  type SearchHit,
  type SearchRequest,
} from './search.ts';
import { facetsOf, facetsView } from './facets.view.ts';
import { searchView, type HitRow } from './search.view.ts';

/** Facets list this many values each, most frequent first. */
export const FACET_TOP = 20;

export type SearchPage = Page<SearchHit> & { facets: Facets | null; hidden: number };

const NO_FACETS: Facets = { type: [], kind: [], tag: [], commune: [] };

const toHit = (r: HitRow, snippet: string): SearchHit => ({
  type: r.type,
  id: r.ref_id,
  title: r.title,
  snippet: snippetHtml(snippet),
  commune: r.commune,
  author: r.author,
  kind: r.kind,
  tags: parseTags(r.tags),
  threadId: r.thread_id,
  createdAt: r.created_at,
});

export function searchService(deps: Pick<Deps, 'db' | 'dialect'>) {
  const view = searchView(deps.db, deps.dialect);
  const facetCounts = facetsView(deps.db, deps.dialect);
  return {
    /** What the caller may see that matches, best first; anonymous callers pass null. */
    async search(
      viewerId: string | null,
      req: SearchRequest,
    ): Promise<Result<SearchPage, AppError<SearchErrorCode>>> {
      if (req.q.length > MAX_QUERY_LENGTH)
        return searchFail('query_too_long', `q may hold at most ${MAX_QUERY_LENGTH} characters`, {
          field: 'q',
        });
      const after = req.before === undefined ? undefined : readSearchCursor(req.before);
      if (req.before !== undefined && after === undefined)
        return searchFail('invalid_cursor', 'before is not a cursor this search gave', {
          field: 'before',
        });
      const facetsWanted = after === undefined && req.facets === 'all';
      const parsed = parseQuery(req.q);
      if (isEmptyQuery(parsed))
        return ok({ items: [], next: null, facets: facetsWanted ? NO_FACETS : null, hidden: 0 });
      const match = deps.dialect === 'sqlite' ? toFts5(parsed) : toWebsearch(parsed);
      const { type, kind, tag, commune } = req;
      const reader = await view.readerOf(viewerId);
      const scope = { match, reader, narrowing: { type, kind, tag, commune } };
      const rows = await view.page(scope, req.limit + 1, after);
      const page = toPage(rows, req.limit, (r) => searchCursor({ score: r.score, id: r.ref_id }));
      // One page holds every match: its own rows are the facets' counts, nothing to query.
      const facets = !facetsWanted
        ? null
        : page.next === null
          ? facetsOf(
              page.items.map((r) => ({ ...r, n: 1 })),
              FACET_TOP,
            )
          : await facetCounts.facets(scope, FACET_TOP);
      // Like the facets, counted once for the whole result, on the first page.
      const [snippets, hidden] = await Promise.all([
        view.snippets(
          match,
          page.items.map((r) => r.doc),
        ),
        facetsWanted ? facetCounts.hidden(scope) : 0,
      ]);
      return ok({
        items: page.items.map((r) => toHit(r, snippets.get(String(r.doc)) ?? '')),
        next: page.next,
        facets,
        hidden,
      });
    },
  };
}
export type SearchService = ReturnType<typeof searchService>;
