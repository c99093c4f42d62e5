import { collectVisible, type Comment, type CommentsQuery, type Thread } from './discussions.ts';
import { foldCase, type FilterSet } from './filters.ts';

// A thread page kept in memory, already serialised, so that a read costs one small query
// (the thread's stamp) instead of loading and encoding every comment. An entry belongs to
// one version of its thread (threads.version, moved by triggers on every change the page
// shows), so a process never serves a page older than the database says it is, whichever
// process wrote. Who may see the thread is checked on every read, never cached. No I/O here.

type CachedComment = {
  id: string;
  authorHandle: string;
  body: string;
  /** This comment exactly as JSON.stringify writes it inside the page. */
  json: string;
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
  /** The whole page ({ thread, comments: all, next: null }) as sent, for readers who filter nothing. */
  full: Buffer<ArrayBuffer>;
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

const pageJson = (
  threadJson: string,
  comments: readonly { json: string }[],
  next: string | null,
): string =>
  `{"thread":${threadJson},"comments":[${comments.map((c) => c.json).join(',')}],"next":${next === null ? 'null' : JSON.stringify(next)}}`;

/** Serialises a thread and all its comments (oldest first) into an entry for `version`. */
export function buildThreadPage(
  version: number,
  thread: Thread,
  comments: readonly Comment[],
): ThreadPage {
  const threadJson = JSON.stringify(thread);
  const cached = comments.map((c): CachedComment => ({
    id: c.id,
    authorHandle: c.author.handle,
    body: c.body,
    json: JSON.stringify(c),
  }));
  const full = Buffer.from(pageJson(threadJson, cached, null));
  // Strings are counted at two bytes a character, the worst case of V8's representations.
  const bytes =
    full.byteLength +
    2 *
      (threadJson.length +
        cached.reduce((n, c) => n + c.json.length + c.body.length + c.id.length + 64, 0));
  return {
    threadId: thread.id,
    version,
    communeHandle: thread.commune,
    threadJson,
    comments: cached,
    full,
    bytes,
  };
}

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
 * The page one reader asked for, with the same rules and paging as reading it from the
 * database (`collectVisible` over batches): comments by people they filter are skipped
 * like the SQL exclusion, then comments with filtered words.
 */
export async function renderThreadPage(
  page: ThreadPage,
  rules: FilterSet,
  query: CommentsQuery,
): Promise<Buffer<ArrayBuffer> | string> {
  const { comments } = page;
  const hides = (c: CachedComment) => rules.people.has(c.authorHandle) || hasWord(rules.words, c);
  if (
    query.after === undefined &&
    query.limit >= comments.length &&
    (rules.isEmpty || !comments.some(hides))
  )
    return page.full;

  const eligible =
    rules.people.size > 0 ? comments.filter((c) => !rules.people.has(c.authorHandle)) : comments;
  const batch = query.limit + 1;
  const found = await collectVisible(
    async (cursor) => {
      const start = cursor === undefined ? 0 : firstAfter(eligible, cursor);
      return eligible.slice(start, start + batch);
    },
    batch,
    (c) => !hasWord(rules.words, c),
    query.limit,
    query.after,
  );
  return pageJson(page.threadJson, found.items, found.next);
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
   * one is served: versions only grow, and a concurrent read may have built it first.
   */
  current(threadId: string, version: number): CacheEntry | undefined {
    const entry = this.#entries.get(threadId);
    if (!entry) return undefined;
    this.#entries.delete(threadId);
    if (entry.version < version) {
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
