// GET /api/v1/search (API.md, "Knowledge inventory"): items, threads and comments the caller
// may see, by relevance, with sanitized snippets (<mark> around the matches) and facets.
import { query } from './client.ts';

export const SEARCH_TYPES = ['item', 'thread', 'comment'] as const;
export type SearchType = (typeof SEARCH_TYPES)[number];

export type SearchHit = {
  type: SearchType;
  id: string;
  title: string;
  /** Sanitized by the server; only <mark> is expected inside. */
  snippet: string;
  commune: string;
  kind?: string | null;
  tags?: string[];
  thread?: string | null;
  author?: unknown;
  createdAt?: string;
};

export type FacetValue = { value: string; count: number };
export type Facets = Partial<Record<'type' | 'kind' | 'tag' | 'commune', FacetValue[]>>;

export type SearchAnswer = { items: SearchHit[]; next: string | null; facets?: unknown };

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

const FACET_NAMES = ['type', 'kind', 'tag', 'commune'] as const;

function facetList(raw: unknown): FacetValue[] {
  if (Array.isArray(raw)) {
    return raw.flatMap((v: unknown) => {
      if (!v || typeof v !== 'object') return [];
      const o = v as Record<string, unknown>;
      const value = o.value ?? o.key ?? o.name;
      return typeof value === 'string' ? [{ value, count: Number(o.count ?? 0) }] : [];
    });
  }
  if (raw && typeof raw === 'object')
    return Object.entries(raw as Record<string, unknown>).map(([value, count]) => ({
      value,
      count: Number(count),
    }));
  return [];
}

/** Facets as lists, whether the server sends `{ kind: { guide: 3 } }` or `[{ value, count }]`. */
export function facetsOf(raw: unknown): Facets {
  const facets: Facets = {};
  if (!raw || typeof raw !== 'object') return facets;
  const r = raw as Record<string, unknown>;
  for (const name of FACET_NAMES) {
    const list = facetList(r[name] ?? r[`${name}s`]);
    if (list.length > 0) facets[name] = list;
  }
  return facets;
}
