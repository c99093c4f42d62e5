// GET /api/v1/search (API.md, "Knowledge inventory"): items, threads and comments the caller
// may see, by relevance, with sanitized snippets (<mark> around the matches) and facets.
import { query } from './client.ts';
import type { Schema } from './types.ts';

export const SEARCH_TYPES = ['item', 'thread', 'comment'] as const;
export type SearchType = (typeof SEARCH_TYPES)[number];

export type SearchHit = Schema<'SearchHit'>;
export type SearchAnswer = Schema<'SearchPage'>;
/** How all the matches spread, on the first page only (null once `before` is given). */
export type Facets = SearchAnswer['facets'];
export type FacetName = keyof NonNullable<Facets>;
export type FacetValue = NonNullable<Facets>[FacetName][number];

export type SearchQuery = {
  q: string;
  type?: string;
  kind?: string;
  tag?: string;
  commune?: string;
};

export const searchPath = (s: SearchQuery, before?: string | null) =>
  `/search${query({ q: s.q, type: s.type, kind: s.kind, tag: s.tag, commune: s.commune, before })}`;

/** The page's own address for a query, so a search can be shared and reloaded. */
export const searchPagePath = (s: SearchQuery) =>
  `/search${query({ q: s.q, type: s.type, kind: s.kind, tag: s.tag, commune: s.commune })}`;
