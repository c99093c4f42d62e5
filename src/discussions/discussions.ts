import { z } from 'zod';
import { UUID_PATTERN } from '../shared/ids.ts';
import { STORABLE_TEXT_MESSAGE, isStorableText } from '../shared/text.ts';
import { pageQuery, type Page } from '../shared/pagination.ts';

export const MAX_TITLE = 200;
export const MAX_BODY = 50_000;
export const MAX_COMMENTS_PAGE = 1000;
export const DEFAULT_COMMENTS_PAGE = 500;

/** Limits count characters as people see them (code points), so an emoji is one, not two. */
export const characterCount = (s: string): number => [...s].length;

const limitedText = (max: number) =>
  z
    .string()
    .refine((s) => characterCount(s) <= max, `must be at most ${max} characters`)
    .refine(isStorableText, STORABLE_TEXT_MESSAGE)
    .meta({ maxLength: max });

const title = limitedText(MAX_TITLE)
  .transform((s) => s.trim())
  .refine((s) => s.length > 0, 'must not be empty');
// Markdown bodies keep their whitespace; only an all-blank body is refused.
const body = limitedText(MAX_BODY).refine((s) => s.trim().length > 0, 'must not be empty');

export const threadInputSchema = z.object({ title, body });
export type ThreadInput = z.infer<typeof threadInputSchema>;

// A malformed reply target is the same mistake as a missing one: 422 reply_target_invalid.
export const commentInputSchema = z.object({ body, inReplyTo: z.string().max(100).nullish() });
export type CommentInput = z.infer<typeof commentInputSchema>;

const cursor = z.string().regex(UUID_PATTERN, 'must be a cursor from an earlier page');

// The shared page query, with cursors checked: they are ids, and a stray byte must not reach SQL.
export const threadsQuery = pageQuery.extend({ before: cursor.optional() });

export const commentsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_COMMENTS_PAGE).default(DEFAULT_COMMENTS_PAGE),
  after: cursor.optional(),
});
export type CommentsQuery = z.infer<typeof commentsQuery>;

export type Author = { handle: string; displayName: string };
export type CommentSource = 'local' | 'fediverse';

// No counts of any kind on purpose: no popularity signals.
export type Thread = {
  id: string;
  commune: string;
  title: string;
  body: string;
  html: string;
  author: Author;
  createdAt: string;
};

export type Comment = {
  id: string;
  threadId: string;
  body: string;
  html: string;
  author: Author;
  inReplyTo: string | null;
  source: CommentSource;
  createdAt: string;
};

export type ThreadView = { thread: Thread; comments: Comment[]; next: string | null };

// A page whose rows are mostly filtered out keeps reading, but only so far per request.
export const MAX_SCAN_BATCHES = 10;

/**
 * Fills a page with rows the caller wants to see. `fetch` returns up to `batch` rows after the
 * cursor in list order; when the scan budget runs out, `next` still moves past every row read.
 */
export async function collectVisible<T extends { id: string }>(
  fetch: (cursor: string | undefined) => Promise<T[]>,
  batch: number,
  visible: (row: T) => boolean,
  limit: number,
  start: string | undefined,
): Promise<Page<T>> {
  const items: T[] = [];
  let cursor = start;
  for (let i = 0; i < MAX_SCAN_BATCHES; i += 1) {
    const rows = await fetch(cursor);
    for (const row of rows) {
      if (!visible(row)) continue;
      if (items.length === limit) return { items, next: items[limit - 1]!.id };
      items.push(row);
    }
    const last = rows[rows.length - 1];
    if (rows.length < batch || last === undefined) return { items, next: null };
    cursor = last.id;
  }
  return { items, next: cursor ?? null };
}
