import type { Permitted } from '../communes/access.ts';
import type { CommunesService } from '../communes/communes.service.ts';
import { permit, type Need } from '../communes/permit.ts';
import type { Deps } from '../deps.ts';
import type { Executor } from '../db/transaction.ts';
import { eventBus, type EventPublisher } from '../events/events.service.ts';
import type { Account } from '../identity/identity.ts';
import { isUuid, newId } from '../shared/ids.ts';
import type { Page, PageQuery } from '../shared/pagination.ts';
import { err, ok, type AppError, type Err, type Result } from '../shared/result.ts';
import { discussionsFail, type DiscussionsErrorCode } from './discussions.errors.ts';
import { discussionsRepository } from './discussions.repository.ts';
import { discussionsView, type ThreadRecord, type ThreadStamp } from './discussions.view.ts';
import {
  collectVisible,
  BATCH_BYTES,
  FIRST_SIZED_BATCH,
  rowsFor,
  MAX_PAGE_BYTES,
  MAX_PINNED,
  yieldToEventLoop,
  type Comment,
  type CommentInput,
  type CommentsQuery,
  type Thread,
  type ThreadInput,
  type ThreadView,
} from './discussions.ts';
import { filtersService } from './filters.service.ts';
import { renderPost } from './mentions.ts';
import { NO_FILTERS, compileFilters, matchesWord, type FilterInput } from './filters.ts';
import { ReadPool } from './read-pool.ts';
import {
  assembleThreadPage,
  cacheComments,
  cachedBytes,
  commentBytes,
  firstPageFor,
  oversized,
  pageJson,
  renderThreadPage,
  ThreadPageCache,
  type CachedComment,
  type CacheEntry,
  type ThreadPageLimits,
} from './thread-pages.ts';

/** All this context needs from communes: the one access rule, for a thread's commune. */
export type CommuneAccessPort = Pick<CommunesService, 'permitById'>;

/** A thread the caller may enter for a need, and its commune. */
export type EnteredThread = { threadId: string; commune: Permitted };

type Failed = Err<AppError<DiscussionsErrorCode>>;

const NO_EXCLUSIONS = { authorHandles: [] };
const BUSY = Symbol('busy');
type Busy = typeof BUSY;
const busy = (): Failed =>
  err({
    ...discussionsFail('busy', 'Too many long reads are waiting; try again in a moment').error,
    retryAfter: 1,
  });

const threadNotFound = (): Failed => discussionsFail('thread_not_found', 'Thread not found');
const replyTargetInvalid = (): Failed =>
  discussionsFail('reply_target_invalid', 'inReplyTo must be a comment of this thread', {
    field: 'inReplyTo',
  });

export const toThread = (r: ThreadRecord, commune: string): Thread => ({
  id: r.id,
  commune,
  title: r.title,
  body: r.body,
  html: r.html,
  author: r.author,
  createdAt: r.createdAt,
  editedAt: r.editedAt,
  locked: r.lockedAt !== null,
  pinned: r.pinnedAt !== null,
  proposal: r.proposalId,
});

const threadLocked = (): Failed =>
  discussionsFail('thread_locked', 'A steward locked this thread: it takes no new comments');

export function discussionsService(
  deps: Deps,
  communes: CommuneAccessPort,
  pageLimits?: ThreadPageLimits,
  events: EventPublisher = eventBus(deps),
) {
  const repo = discussionsRepository(deps.db);
  const view = discussionsView(deps.db);
  const filters = filtersService(deps);
  const now = () => deps.clock.now().toISOString();
  const pages = new ThreadPageCache(pageLimits);
  const reads = new ReadPool();
  // Concurrent reads of a changed thread share one rebuild.
  const building = new Map<string, Promise<CacheEntry | undefined | Busy>>();

  /**
   * Loads and serialises the thread as of at least `stamp.version`; undefined if it vanished
   * meanwhile. Comments are read in batches sized by the bytes read so far, yielding between
   * them, and reading stops as soon as the thread is known to be over the entry budget.
   */
  async function buildPage(id: string, stamp: ThreadStamp): Promise<CacheEntry | undefined> {
    const record = await view.findThread(id);
    if (!record) return undefined;
    const { maxComments, maxEntryBytes } = pages.limits;
    const tooLong = () => pages.keep(oversized(id, stamp.version, stamp.communeHandle));
    const comments: CachedComment[] = [];
    let bytes = 0;
    let json = 0;
    let count = FIRST_SIZED_BATCH;
    for (;;) {
      const after = comments[comments.length - 1]?.id;
      const batch = cacheComments(await view.listComments(id, after, count, NO_EXCLUSIONS));
      comments.push(...batch);
      bytes += cachedBytes(batch);
      for (const c of batch) json += c.size;
      if (comments.length > maxComments || bytes > maxEntryBytes) return tooLong();
      if (batch.length < count) break;
      count = rowsFor(BATCH_BYTES, json / comments.length, maxComments + 1);
      await yieldToEventLoop();
    }
    const thread = toThread(record, stamp.communeHandle);
    return pages.keep(await assembleThreadPage(stamp.version, thread, comments));
  }

  /**
   * A thread and its comments, oldest first, each comment with its JSON. A thread the caller
   * filtered stays readable when asked for directly; comments by filtered people or with
   * filtered words are left out.
   */
  async function readThread(viewerId: string | null, threadId: string, page: CommentsQuery) {
    if (!isUuid(threadId)) return threadNotFound();
    const id = threadId.toLowerCase();
    const [record, rules] = await Promise.all([view.findThread(id), filters.setFor(viewerId)]);
    if (!record) return threadNotFound();
    const exclusions = { authorHandles: [...rules.people] };
    const fetch = async (cursor: string | undefined, count: number) =>
      (await view.listComments(id, cursor, count, exclusions)).map((comment) => {
        const json = JSON.stringify(comment);
        return { id: comment.id, comment, json, size: commentBytes(json) };
      });
    const rejected: string[] = [];
    // Visibility and comments in parallel; comments are thrown away if the caller may not see them.
    const [access, comments] = await Promise.all([
      communes.permitById(record.communeId, viewerId, 'visitor'),
      collectVisible(
        fetch,
        page.limit + 1,
        (c) => {
          const shown = !matchesWord(rules.words, c.comment);
          if (!shown) rejected.push(c.id);
          return shown;
        },
        page.limit,
        page.after,
        { maxBytes: MAX_PAGE_BYTES, size: (c) => c.size },
      ),
    ]);
    if (!access.ok) return threadNotFound();
    // What the filters left out up to the page's last comment; later ones are the next page's.
    const upTo = comments.next ?? undefined;
    const byWords = rejected.filter((r) => upTo === undefined || r < upTo).length;
    const byPeople = await view.countComments(
      id,
      { after: page.after, upTo },
      exclusions.authorHandles,
    );
    return ok({
      thread: toThread(record, access.value.handle),
      ...comments,
      hidden: byWords + byPeople,
    });
  }

  /** readThread as plain values: the uncached path, which the cache must always agree with. */
  async function threadView(
    viewerId: string | null,
    threadId: string,
    page: CommentsQuery,
  ): Promise<Result<ThreadView>> {
    const read = await readThread(viewerId, threadId, page);
    if (!read.ok) return read;
    const { thread, items, next, hidden } = read.value;
    return ok({ thread, comments: items.map((c) => c.comment), next, hidden });
  }

  /**
   * The one access rule for a route naming a thread: the thread's commune, if the caller
   * meets the need there. A hidden commune's thread is as unknown as a missing one.
   */
  async function enterThread(
    threadId: string,
    viewerId: string | null,
    need: Need,
  ): Promise<Result<EnteredThread, AppError<DiscussionsErrorCode>>> {
    if (!isUuid(threadId)) return threadNotFound();
    const id = threadId.toLowerCase();
    const communeId = await repo.communeOfThread(id);
    if (communeId === undefined) return threadNotFound();
    const access = await communes.permitById(communeId, viewerId, need);
    if (!access.ok) return access.error.code === 'not_found' ? threadNotFound() : access;
    return ok({ threadId: id, commune: access.value });
  }

  async function pageOf(id: string, stamp: ThreadStamp): Promise<CacheEntry | undefined | Busy> {
    const cached = pages.current(id, stamp.version);
    if (cached && cached.communeHandle === stamp.communeHandle) return cached;
    const key = `${id}@${stamp.version}`;
    let pending = building.get(key);
    if (!pending) {
      pending = reads
        .run(() => buildPage(id, stamp))
        .then((built) => (built.ok ? built.value : BUSY))
        .finally(() => building.delete(key));
      building.set(key, pending);
    }
    return pending;
  }

  return {
    enterThread,

    /** In a commune the caller entered as a member (inCommune('member')). */
    async startThread(
      author: Account,
      commune: Permitted,
      input: ThreadInput,
      // Another context opening a thread as part of its own write (an item's conversation).
      tx?: Executor,
    ): Promise<Thread> {
      const record: ThreadRecord = {
        id: newId(),
        communeId: commune.communeId,
        title: input.title,
        body: input.body,
        html: await renderPost(tx ?? deps.db, input.body),
        author: { handle: author.handle, displayName: author.displayName },
        authorId: author.id,
        createdAt: now(),
        editedAt: null,
        lockedAt: null,
        pinnedAt: null,
        proposalId: null,
      };
      const write = async (ex: Executor) => {
        await discussionsRepository(ex).insertThread({ ...record, authorId: author.id });
        await events.publish(ex, {
          type: 'thread_created',
          communeId: commune.communeId,
          threadId: record.id,
        });
      };
      if (tx) await write(tx);
      else await deps.db.transaction().execute(write);
      return toThread(record, commune.handle);
    },

    /**
     * Newest first, without what the caller filtered out; in a commune the caller may see.
     * `hidden` counts what the filters left out of the span this page covers (the pinned
     * threads belong to the first page), so the pages add up to the whole list's count.
     */
    async threadsOf(
      commune: Permitted,
      page: PageQuery,
    ): Promise<Page<Thread> & { hidden: number }> {
      const rules = await filters.setFor(commune.viewerId);
      if (rules.communes.has(commune.handle)) {
        if (page.before !== undefined) return { items: [], next: null, hidden: 0 };
        const all = await Promise.all([
          view.countThreads(commune.communeId, { pinned: true }),
          view.countThreads(commune.communeId, { pinned: false }),
        ]);
        return { items: [], next: null, hidden: all[0] + all[1] };
      }
      const exclusions = { authorHandles: [...rules.people], threadIds: [...rules.threads] };
      const batch = page.limit + 1;
      const rejected: string[] = [];
      const visible = (t: ThreadRecord) => {
        const shown = !matchesWord(rules.words, t);
        if (!shown) rejected.push(t.id);
        return shown;
      };
      // Pinned threads lead the first page (there are few of them); later pages go on after.
      const pinned =
        page.before === undefined
          ? (
              await view.listThreads(commune.communeId, undefined, MAX_PINNED, exclusions, true)
            ).filter(visible)
          : [];
      const pinnedRejected = rejected.length;
      const found = await collectVisible(
        (cursor) => view.listThreads(commune.communeId, cursor, batch, exclusions),
        batch,
        visible,
        page.limit,
        page.before,
      );
      // Rows past the page's last thread are the next page's to count.
      const inSpan = (id: string) => found.next === null || id > found.next;
      const byWords = pinnedRejected + rejected.slice(pinnedRejected).filter(inSpan).length;
      const [pinnedOut, restOut] = rules.isEmpty
        ? [0, 0]
        : await Promise.all([
            page.before === undefined
              ? view.countThreads(commune.communeId, { pinned: true }, exclusions)
              : 0,
            view.countThreads(
              commune.communeId,
              { pinned: false, before: page.before, after: found.next ?? undefined },
              exclusions,
            ),
          ]);
      return {
        items: [...pinned, ...found.items].map((t) => toThread(t, commune.handle)),
        next: found.next,
        hidden: byWords + pinnedOut + restOut,
      };
    },

    threadView,

    /**
     * threadView as the JSON body to send, from this process's copy of the page when the
     * thread's version says it is current: one indexed query per read, filters included.
     */
    async threadPage(
      viewerId: string | null,
      threadId: string,
      page: CommentsQuery,
    ): Promise<Result<Buffer<ArrayBuffer> | string>> {
      if (!isUuid(threadId)) return threadNotFound();
      const id = threadId.toLowerCase();
      const stamp = await view.threadStamp(id, viewerId);
      // The one access rule, on what the stamp already read: no second query per read.
      if (!stamp || permit('visitor', { ...stamp, signedIn: viewerId !== null }) !== null)
        return threadNotFound();
      const rules = stamp.filters.length === 0 ? NO_FILTERS : compileFilters(stamp.filters);
      const entry = await pageOf(id, stamp);
      if (entry === BUSY) return busy();
      if (!entry) return threadNotFound();
      const first = 'oversized' in entry ? undefined : firstPageFor(entry, rules, page);
      if (first) return ok(first);
      // Anything else is built in its turn, and encoded there too: a megabyte of text turned
      // into bytes is work that must not pile up with other readers' in one turn of the loop.
      const sent = await reads.run(async (): Promise<Result<Buffer<ArrayBuffer>>> => {
        if (!('oversized' in entry))
          return ok(Buffer.from(await renderThreadPage(entry, rules, page)));
        const read = await readThread(viewerId, threadId, page);
        if (!read.ok) return read;
        const { thread, items, next, hidden } = read.value;
        return ok(Buffer.from(pageJson(JSON.stringify(thread), items, next, hidden)));
      });
      return sent.ok ? sent.value : busy();
    },

    /** On a thread the caller entered as a member (enterThread). */
    async addComment(
      author: Account,
      { threadId: id, commune }: EnteredThread,
      input: CommentInput,
    ): Promise<Result<Comment, AppError<DiscussionsErrorCode>>> {
      if (await repo.isLocked(id)) return threadLocked();
      let inReplyTo: string | null = null;
      if (input.inReplyTo !== undefined && input.inReplyTo !== null) {
        inReplyTo = input.inReplyTo.toLowerCase();
        if (!isUuid(inReplyTo) || !(await repo.isCommentOf(inReplyTo, id)))
          return replyTargetInvalid();
      }
      const comment: Comment = {
        id: newId(),
        threadId: id,
        body: input.body,
        html: await renderPost(deps.db, input.body),
        author: { handle: author.handle, displayName: author.displayName },
        inReplyTo,
        source: 'local',
        createdAt: now(),
        editedAt: null,
        deleted: false,
        hidden: null,
      };
      await deps.db.transaction().execute(async (tx) => {
        await discussionsRepository(tx).insertComment({
          ...comment,
          authorId: author.id,
          authorHandle: author.handle,
        });
        await events.publish(tx, {
          type: 'comment_posted',
          communeId: commune.communeId,
          threadId: id,
          commentId: comment.id,
        });
      });
      return ok(comment);
    },

    addFilter: (accountId: string, input: FilterInput) => filters.add(accountId, input),
    listFilters: (accountId: string) => filters.list(accountId),
    removeFilter: (accountId: string, id: string) => filters.remove(accountId, id),
  };
}
export type DiscussionsService = ReturnType<typeof discussionsService>;
