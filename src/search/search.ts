import { z } from 'zod';
import { HANDLE_PATTERN } from '../identity/identity.ts';
import { decodeCursor, encodeCursor } from '../shared/cursor.ts';
import { storableText } from '../shared/text.ts';

// Search over what people wrote: inventory items, threads and comments. Pure rules here:
// the request's shape, the page cursor and how a snippet becomes safe HTML.

export const DOC_TYPES = ['item', 'thread', 'comment'] as const;
export type DocType = (typeof DOC_TYPES)[number];
export const ITEM_KINDS = ['guide', 'skill', 'resource', 'offer', 'need', 'link'] as const;

export const searchQuery = z.object({
  // Longer than MAX_QUERY_LENGTH is the service's query_too_long.
  q: storableText().trim().min(1, 'say what to search for'),
  type: z.enum(DOC_TYPES).optional(),
  kind: z.enum(ITEM_KINDS).optional(),
  tag: storableText().trim().toLowerCase().min(1).max(40).optional(),
  commune: z.string().regex(HANDLE_PATTERN, 'must be a commune handle').optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.string().max(200).optional(),
  facets: z
    .enum(['all', 'none'])
    .default('all')
    .meta({
      description:
        'all: the first page counts every match the caller may see by type, kind, tag and ' +
        'commune; none: no facets (null), for a caller that shows none',
    }),
});
export type SearchRequest = z.infer<typeof searchQuery>;

/** What narrows a search besides its words. */
export type Narrowing = Pick<SearchRequest, 'type' | 'kind' | 'tag' | 'commune'>;

export type SearchHit = {
  type: DocType;
  id: string;
  title: string;
  snippet: string;
  commune: string;
  author: string;
  kind: string | null;
  tags: string[];
  threadId: string | null;
  createdAt: string;
};

export type FacetCount = { value: string; count: number };
export type Facets = {
  type: FacetCount[];
  kind: FacetCount[];
  tag: FacetCount[];
  commune: FacetCount[];
};

/** Where a page ends: its last hit's score (lower is better on both databases) and id. */
export type After = { score: number; id: string };

export const searchCursor = (a: After): string => encodeCursor([String(a.score), a.id]);

export function readSearchCursor(cursor: string): After | undefined {
  const parts = decodeCursor(cursor, 2);
  if (!parts) return undefined;
  const score = Number(parts[0]);
  if (parts[0].trim() === '' || !Number.isFinite(score)) return undefined;
  return { score, id: parts[1] };
}

/** Marks the databases put around matched words; the index never holds them (migration 0012). */
export const MARK_OPEN = '\u0002';
export const MARK_CLOSE = '\u0003';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * A snippet as HTML: everything escaped, then our own marks become <mark>…</mark>, always
 * balanced and never nested, whatever the text around them holds.
 */
export function snippetHtml(raw: string): string {
  let out = '';
  let open = false;
  for (const ch of raw) {
    if (ch === MARK_OPEN) {
      if (!open) out += '<mark>';
      open = true;
    } else if (ch === MARK_CLOSE) {
      if (open) out += '</mark>';
      open = false;
    } else {
      out += ESCAPES[ch] ?? ch;
    }
  }
  return open ? out + '</mark>' : out;
}

export const parseTags = (json: string | null): string[] => {
  if (json === null) return [];
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return [];
  }
};
