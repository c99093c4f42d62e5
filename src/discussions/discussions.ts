import { z } from 'zod';
import { UUID_PATTERN } from '../shared/ids.ts';
import { STORABLE_TEXT_MESSAGE, isStorableText } from '../shared/text.ts';
import { pageQuery, type Page } from '../shared/pagination.ts';

export const MAX_TITLE = 200;
export const MAX_BODY = 50_000;
export const MAX_COMMENTS_PAGE = 200;
export const DEFAULT_COMMENTS_PAGE = 50;
/**
 * What one page of comments may carry, counted as the UTF-8 bytes of the comments' JSON: a
 * page holds fewer comments when they are large, but always at least one.
 */
export const MAX_PAGE_BYTES = 1024 * 1024;

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

// An edit names what changes; a thread's title and body may change apart, a comment's body.
export const threadEditSchema = z
  .object({ title: title.optional(), body: body.optional() })
  .refine((e) => e.title !== undefined || e.body !== undefined, {
    message: 'give a title or a body',
    path: ['body'],
  });
export type ThreadEdit = z.infer<typeof threadEditSchema>;
export const commentEditSchema = z.object({ body });
export type CommentEdit = z.infer<typeof commentEditSchema>;

export const MAX_REASON = 500;
/** A steward's reason for a moderation action: shown to members in the log. */
export const moderationSchema = z.object({
  reason: limitedText(MAX_REASON)
    .transform((s) => s.trim())
    .refine((s) => s.length > 0, 'must not be empty'),
});
export type ModerationInput = z.infer<typeof moderationSchema>;
/** How many threads of a commune may be pinned at once: pins are for the few that matter. */
export const MAX_PINNED = 5;
/** How many times one post may be edited: its history stays bounded. */
export const MAX_EDITS = 100;

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
  /** When the title or body last changed; null if never. */
  editedAt: string | null;
  locked: boolean;
  pinned: boolean;
  /** The proposal this thread is the discussion of. */
  proposal: string | null;
};

/** A hidden comment shows why, not what. */
export type Hidden = { reason: string; at: string };

export type Comment = {
  id: string;
  threadId: string;
  body: string;
  html: string;
  author: Author;
  inReplyTo: string | null;
  source: CommentSource;
  createdAt: string;
  editedAt: string | null;
  /** A deleted comment keeps its place with an empty body (a tombstone). */
  deleted: boolean;
  /** Set when a steward hid it; the body is then empty. */
  hidden: Hidden | null;
};

export type ThreadView = {
  thread: Thread;
  comments: Comment[];
  next: string | null;
  /** Comments the reader's filters left out of this page's span. */
  hidden: number;
};

// A page whose rows are mostly filtered out keeps reading, but only so far per request.
export const MAX_SCAN_BATCHES = 10;
// With a byte budget the first read is small, then sized from what rows turned out to weigh,
// so that a batch of very large rows is never read (synchronously, on SQLite) all at once.
export const FIRST_SIZED_BATCH = 16;
// And no later batch is meant to weigh more than this: each is one slice of synchronous work.
export const BATCH_BYTES = 256 * 1024;

/** How many rows of `average` bytes make up `bytes`, plus one to see past them; within 2..max. */
export const rowsFor = (bytes: number, average: number, max: number): number =>
  Math.min(max, Math.max(2, Math.ceil(Math.min(bytes, BATCH_BYTES) / Math.max(1, average)) + 1));

/** A cap on the bytes of the rows one page returns; `size` weighs a row. */
export type ByteBudget<T> = { maxBytes: number; size: (row: T) => number };

/** Lets other requests run between batches: on SQLite each batch is read synchronously. */
export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Fills a page with rows the caller wants to see. `fetch` returns up to `count` rows after the
 * cursor in list order (`count` is at most `batch`); when the scan budget runs out, `next`
 * still moves past every row read. With `budget`, the page stops before the row that would
 * take it over `maxBytes` (keeping at least one row), and `next` points there.
 */
export async function collectVisible<T extends { id: string }>(
  fetch: (cursor: string | undefined, count: number) => Promise<T[]>,
  batch: number,
  visible: (row: T) => boolean,
  limit: number,
  start: string | undefined,
  budget?: ByteBudget<T>,
): Promise<Page<T>> {
  const items: T[] = [];
  let cursor = start;
  let count = budget ? Math.min(batch, FIRST_SIZED_BATCH) : batch;
  let bytes = 0;
  let readBytes = 0;
  let readRows = 0;
  for (let i = 0; i < MAX_SCAN_BATCHES; i += 1) {
    if (i > 0) await yieldToEventLoop();
    const rows = await fetch(cursor, count);
    for (const row of rows) {
      const size = budget ? budget.size(row) : 0;
      readBytes += size;
      readRows += 1;
      if (!visible(row)) continue;
      const full =
        items.length === limit ||
        (budget !== undefined && items.length > 0 && bytes + size > budget.maxBytes);
      if (full) return { items, next: items[items.length - 1]!.id };
      items.push(row);
      bytes += size;
    }
    const last = rows[rows.length - 1];
    if (rows.length < count || last === undefined) return { items, next: null };
    cursor = last.id;
    if (budget) {
      // Enough rows of the average weight so far to fill what is left (a batch at a time).
      count = rowsFor(budget.maxBytes - bytes, readBytes / readRows, batch);
    }
  }
  return { items, next: cursor ?? null };
}
