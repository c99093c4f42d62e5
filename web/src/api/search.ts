// GET /api/v1/search (API.md, "Knowledge inventory"): items, threads and comments the caller
// may see, by relevance, with sanitized snippets (<mark> around the matches) and facets.
import { query } from './client.ts';

export const SEARCH_TYPES = ['item', 'thread', 'comment'] as const;
export type SearchType = (typeof SEARCH_TYPES)[number];

export type SearchHit = {
  type: SearchType;
  id: string;
  /** The item's or thread's title; a comment's thread's. */
  title: string;
  /** Escaped text around the matches, which are in <mark>. */
  snippet: string;
  commune: string;
  author: string;
  kind: string | null;
  tags: string[];
  /** The thread, for threads and comments. */
  threadId: string | null;
  createdAt: string;
};

export type FacetValue = { value: string; count: number };
export type FacetName = 'type' | 'kind' | 'tag' | 'commune';
/** How all the matches spread, on the first page only (null once `before` is given). */
export type Facets = Record<FacetName, FacetValue[]> | null;

export type SearchAnswer = { items: SearchHit[]; next: string | null; facets: Facets };

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
