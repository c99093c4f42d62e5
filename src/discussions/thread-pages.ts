import {
  collectVisible,
  DEFAULT_COMMENTS_PAGE,
  MAX_PAGE_BYTES,
  type Comment,
  type CommentsQuery,
  type Thread,
} from './discussions.ts';
import { foldCase, NO_FILTERS, type FilterSet } from './filters.ts';

// A thread page kept in memory, already serialised, so that a read costs one small query
// (the thread's stamp) instead of loading and encoding every comment. An entry belongs to
// one version of its thread (threads.version, moved by triggers on every change the page
// shows), so a process never serves a page older than the database says it is, whichever
// process wrote. Who may see the thread is checked on every read, never cached. No I/O here.

export type CachedComment = {
  id: string;
  authorHandle: string;
  body: string;
  /** This comment exactly as JSON.stringify writes it inside the page. */
  json: string;
  /** UTF-8 bytes of `json`: what the comment weighs against MAX_PAGE_BYTES. */
  size: number;
  /** The body case-folded for word filters, made on first use. */
  folded?: string;
};

export type ThreadPage = {
  threadId: string;
  version: number;
  communeHandle: string;
  threadJson: string;
  /** Every comment, oldest first. */
  comments: CachedComment[];
  /** The first page with the default query, as sent, for readers who filter nothing. */
  first: Buffer<ArrayBuffer>;
  /** Roughly what the entry holds in memory, for the cache's budget. */
  bytes: number;
};

/** A thread too long to keep: read from the database each time instead. */
export type Oversized = {
  threadId: string;
  version: number;
  communeHandle: string;
  oversized: true;
  bytes: number;
};
export type CacheEntry = ThreadPage | Oversized;

/** What a comment weighs in a page: the UTF-8 bytes of its JSON. */
export const commentBytes = (json: string): number => Buffer.byteLength(json, 'utf8');

/** A page body from JSON already made; the same bytes as JSON.stringify of the whole view. */
export const pageJson = (
  threadJson: string,
  comments: readonly { json: string }[],
  next: string | null,
  hidden = 0,
): string =>
  `{"thread":${threadJson},"comments":[${comments.map((c) => c.json).join(',')}],"next":${next === null ? 'null' : JSON.stringify(next)},"hidden":${hidden}}`;

/** Serialises comments for a page entry; a caller building a long thread does it batch by batch. */
export const cacheComments = (comments: readonly Comment[]): CachedComment[] =>
  comments.map((c) => {
    const json = JSON.stringify(c);
    return {
      id: c.id,
      authorHandle: c.author.handle,
      body: c.body,
      json,
      size: commentBytes(json),
    };
  });

/** Roughly what cached comments hold in memory; strings at two bytes a character, V8's worst case. */
export const cachedBytes = (comments: readonly CachedComment[]): number =>
  comments.reduce((n, c) => n + 2 * (c.json.length + c.body.length + c.id.length) + 64, 0);

/** An entry for `version` from a thread and all its comments (oldest first), already serialised. */
export async function assembleThreadPage(
  version: number,
  thread: Thread,
  comments: CachedComment[],
): Promise<ThreadPage> {
  const threadJson = JSON.stringify(thread);
  const page = {
    threadId: thread.id,
    version,
    communeHandle: thread.commune,
    threadJson,
    comments,
  };
  const first = Buffer.from(
    await renderComments(page, NO_FILTERS, { limit: DEFAULT_COMMENTS_PAGE }),
  );
  const bytes = first.byteLength + 2 * threadJson.length + cachedBytes(comments);
  return { ...page, first, bytes };
}

/** Serialises a thread and all its comments (oldest first) into an entry for `version`. */
export const buildThreadPage = (
  version: number,
  thread: Thread,
  comments: readonly Comment[],
): Promise<ThreadPage> => assembleThreadPage(version, thread, cacheComments(comments));

export const oversized = (threadId: string, version: number, communeHandle: string): Oversized => ({
  threadId,
  version,
  communeHandle,
  oversized: true,
  bytes: 128,
});

const hasWord = (words: readonly string[], c: CachedComment): boolean => {
  if (words.length === 0) return false;
  const folded = (c.folded ??= foldCase(c.body));
  return words.some((w) => folded.includes(w));
};

/** Index of the first comment after `cursor`: ids are time-ordered, as in the SQL that listed them. */
function firstAfter(comments: readonly CachedComment[], cursor: string): number {
  let lo = 0;
  let hi = comments.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (comments[mid]!.id <= cursor) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The page one reader asked for, with the same rules, paging and byte budget as reading it
 * from the database (`collectVisible` over batches): comments by people they filter are
 * skipped like the SQL exclusion, then comments with filtered words.
 */
async function renderComments(
  page: Pick<ThreadPage, 'threadJson' | 'comments'>,
  rules: FilterSet,
  query: CommentsQuery,
): Promise<string> {
  const { comments } = page;
  const eligible =
    rules.people.size > 0 ? comments.filter((c) => !rules.people.has(c.authorHandle)) : comments;
  const found = await collectVisible(
    async (cursor, count) => {
      const start = cursor === undefined ? 0 : firstAfter(eligible, cursor);
      return eligible.slice(start, start + count);
    },
    query.limit + 1,
    (c) => !hasWord(rules.words, c),
    query.limit,
    query.after,
    { maxBytes: MAX_PAGE_BYTES, size: (c) => c.size },
  );
  return pageJson(
    page.threadJson,
    found.items,
    found.next,
    hiddenIn(comments, rules, query, found),
  );
}

/** How many comments the filters left out between the cursor and the page's last comment. */
function hiddenIn(
  comments: readonly CachedComment[],
  rules: FilterSet,
  query: CommentsQuery,
  found: { next: string | null },
): number {
  if (rules.isEmpty) return 0;
  const start = query.after === undefined ? 0 : firstAfter(comments, query.after);
  const end = found.next === null ? comments.length : firstAfter(comments, found.next);
  let hidden = 0;
  for (let i = start; i < end; i++) {
    const c = comments[i]!;
    if (rules.people.has(c.authorHandle) || hasWord(rules.words, c)) hidden += 1;
  }
  return hidden;
}

/** The first page as already sent, when that is what this reader asked for. */
export const firstPageFor = (
  page: ThreadPage,
  rules: FilterSet,
  query: CommentsQuery,
): Buffer<ArrayBuffer> | undefined =>
  query.after === undefined && query.limit === DEFAULT_COMMENTS_PAGE && rules.isEmpty
    ? page.first
    : undefined;

/** The page one reader asked for, as the JSON body to send. */
export async function renderThreadPage(
  page: ThreadPage,
  rules: FilterSet,
  query: CommentsQuery,
): Promise<Buffer<ArrayBuffer> | string> {
  return firstPageFor(page, rules, query) ?? renderComments(page, rules, query);
}

export type ThreadPageLimits = { maxBytes: number; maxEntryBytes: number; maxComments: number };

// Per process. 64 MiB holds thousands of typical threads; one entry may take 1/16 of it.
export const DEFAULT_PAGE_LIMITS: ThreadPageLimits = {
  maxBytes: 64 * 1024 * 1024,
  maxEntryBytes: 4 * 1024 * 1024,
  maxComments: 2000,
};

/** Least recently read entries go first once the byte budget is spent. */
export class ThreadPageCache {
  readonly limits: ThreadPageLimits;
  #entries = new Map<string, CacheEntry>();
  #bytes = 0;

  constructor(limits: ThreadPageLimits = DEFAULT_PAGE_LIMITS) {
    this.limits = limits;
  }

  get size(): number {
    return this.#entries.size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /**
   * The entry for this thread unless it is older than `version` (then it is dropped). A newer
   * one is served: versions only grow, and a concurrent read may have built it first. An
   * Oversized marker is served whatever its version: it holds no content that could be stale,
   * and a long thread is not read again (up to the entry budget) on every new comment.
   */
  current(threadId: string, version: number): CacheEntry | undefined {
    const entry = this.#entries.get(threadId);
    if (!entry) return undefined;
    this.#entries.delete(threadId);
    if (entry.version < version && !('oversized' in entry)) {
      this.#bytes -= entry.bytes;
      return undefined;
    }
    this.#entries.set(threadId, entry);
    return entry;
  }

  /** Keeps an entry unless a newer version is already kept; a page over the entry budget is kept as Oversized. */
  keep(entry: CacheEntry): CacheEntry {
    const kept =
      entry.bytes > this.limits.maxEntryBytes
        ? oversized(entry.threadId, entry.version, entry.communeHandle)
        : entry;
    const existing = this.#entries.get(kept.threadId);
    if (existing && existing.version > kept.version) return entry;
    if (existing) {
      this.#entries.delete(kept.threadId);
      this.#bytes -= existing.bytes;
    }
    this.#entries.set(kept.threadId, kept);
    this.#bytes += kept.bytes;
    for (const [id, old] of this.#entries) {
      if (this.#bytes <= this.limits.maxBytes) break;
      this.#entries.delete(id);
      this.#bytes -= old.bytes;
    }
    return entry;
  }
}
