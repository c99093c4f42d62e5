import { sql, type CompiledQuery } from 'kysely';
import type { Role, Visibility } from '../communes/communes.ts';
import type { Db } from '../db/database.ts';
import type { Comment, CommentSource } from './discussions.ts';
import type { Filter, FilterKind } from './filters.ts';

// Threads and comments as readers see them: a read view (ADR 0013). Author names come from a
// join on identity's accounts, so a renamed person shows their current name everywhere; the
// thread stamp reads communes and memberships the same way, to answer a thread read in one
// query. Writes stay in discussions.repository.ts.

export type ThreadRecord = {
  id: string;
  communeId: string;
  title: string;
  body: string;
  html: string;
  author: { handle: string; displayName: string };
  authorId: string;
  createdAt: string;
  editedAt: string | null;
  lockedAt: string | null;
  pinnedAt: string | null;
  proposalId: string | null;
};

type ThreadRow = {
  id: string;
  commune_id: string;
  title: string;
  body: string;
  html: string;
  author_handle: string;
  author_name: string;
  author_id: string;
  created_at: string;
  edited_at: string | null;
  locked_at: string | null;
  pinned_at: string | null;
  proposal_id: string | null;
};
const toThread = (r: ThreadRow): ThreadRecord => ({
  id: r.id,
  communeId: r.commune_id,
  title: r.title,
  body: r.body,
  html: r.html,
  author: { handle: r.author_handle, displayName: r.author_name },
  authorId: r.author_id,
  createdAt: r.created_at,
  editedAt: r.edited_at,
  lockedAt: r.locked_at,
  pinnedAt: r.pinned_at,
  proposalId: r.proposal_id,
});

type CommentRow = {
  id: string;
  thread_id: string;
  author_handle: string;
  author_name: string | null;
  body: string;
  html: string;
  in_reply_to: string | null;
  source: CommentSource;
  created_at: string;
  edited_at: string | null;
  deleted_at: string | null;
  hidden_at: string | null;
  hidden_reason: string | null;
};
const toComment = (r: CommentRow): Comment => {
  // A tombstone keeps its place and author, never its text (hidden text is not in `body`).
  const gone = r.deleted_at !== null || r.hidden_at !== null;
  return {
    id: r.id,
    threadId: r.thread_id,
    body: gone ? '' : r.body,
    html: gone ? '' : r.html,
    // Fediverse authors have no local account; their address is their name.
    author: { handle: r.author_handle, displayName: r.author_name ?? r.author_handle },
    inReplyTo: r.in_reply_to,
    source: r.source,
    createdAt: r.created_at,
    editedAt: r.edited_at,
    deleted: r.deleted_at !== null,
    hidden:
      r.hidden_at !== null && r.deleted_at === null
        ? { reason: r.hidden_reason ?? '', at: r.hidden_at }
        : null,
  };
};

/**
 * What a reader's cached thread page is checked against on every read: the thread's version
 * (bumped by triggers on any change to the thread, its comments or their authors' names, see
 * migration 0004), who may see it (communes and memberships, read as a view), and the
 * reader's own filters, so that a signed-in read also costs one query.
 */
export type ThreadStamp = {
  version: number;
  communeHandle: string;
  visibility: Visibility;
  role: Role | null;
  filters: Pick<Filter, 'kind' | 'value'>[];
};
type StampRow = {
  version: number | string;
  commune_handle: string;
  visibility: Visibility;
  role: Role | null;
  kind: FilterKind | null;
  value: string | null;
};

/** What a list leaves out in SQL; word filters need case folding and are applied in the service. */
export type Exclusions = { authorHandles: string[]; threadIds: string[] };

export function discussionsView(db: Db) {
  // Runs on every thread read, so it is compiled once; only its parameters change. One row per
  // filter of the reader (at most MAX_FILTERS_PER_PERSON), or one row with no filter.
  let stampQuery: CompiledQuery<StampRow> | undefined;
  const stampOf = (threadId: string, viewerId: string | null): CompiledQuery<StampRow> => {
    stampQuery ??=
      sql<StampRow>`select t.version as version, c.handle as commune_handle, c.visibility as visibility, m.role as role,
        f.kind as kind, f.value as value
      from threads t join communes c on c.id = t.commune_id
      left join memberships m on m.commune_id = t.commune_id and m.account_id = ${''}
      left join filters f on f.account_id = ${''}
      where t.id = ${''}`.compile(db);
    return { ...stampQuery, parameters: [viewerId, viewerId, threadId] };
  };

  const threads = () =>
    db
      .selectFrom('threads')
      .innerJoin('accounts', 'accounts.id', 'threads.author_id')
      .select([
        'threads.id',
        'threads.commune_id',
        'threads.title',
        'threads.body',
        'threads.html',
        'threads.created_at',
        'threads.author_id',
        'threads.edited_at',
        'threads.locked_at',
        'threads.pinned_at',
        'threads.proposal_id',
        'accounts.handle as author_handle',
        'accounts.display_name as author_name',
      ]);

  const comments = () =>
    db
      .selectFrom('comments')
      .leftJoin('accounts', 'accounts.id', 'comments.author_id')
      .select([
        'comments.id',
        'comments.thread_id',
        'comments.author_handle',
        'accounts.display_name as author_name',
        'comments.body',
        'comments.html',
        'comments.in_reply_to',
        'comments.source',
        'comments.created_at',
        'comments.edited_at',
        'comments.deleted_at',
        'comments.hidden_at',
        'comments.hidden_reason',
      ]);

  return {
    async findThread(id: string): Promise<ThreadRecord | undefined> {
      const r = await threads().where('threads.id', '=', id).executeTakeFirst();
      return r && toThread(r);
    },

    /** One indexed read; undefined for an unknown thread. An anonymous viewer has no role and no filters. */
    async threadStamp(id: string, viewerId: string | null): Promise<ThreadStamp | undefined> {
      const { rows } = await db.executeQuery(stampOf(id, viewerId));
      const r = rows[0];
      if (!r) return undefined;
      const filters: ThreadStamp['filters'] = [];
      for (const f of rows)
        if (f.kind !== null && f.value !== null) filters.push({ kind: f.kind, value: f.value });
      return {
        version: Number(r.version),
        communeHandle: r.commune_handle,
        visibility: r.visibility,
        role: r.role ?? null,
        filters,
      };
    },

    /**
     * Newest first: ids are time-ordered, so the primary key orders by time. A proposal's
     * thread is shown beside its proposal, not here; `pinned` picks pinned threads or the rest.
     */
    async listThreads(
      communeId: string,
      before: string | undefined,
      limit: number,
      ex: Exclusions,
      pinned = false,
    ): Promise<ThreadRecord[]> {
      let q = threads()
        .where('threads.commune_id', '=', communeId)
        .where('threads.proposal_id', 'is', null)
        .where('threads.pinned_at', pinned ? 'is not' : 'is', null);
      if (before !== undefined) q = q.where('threads.id', '<', before);
      if (ex.authorHandles.length > 0) q = q.where('accounts.handle', 'not in', ex.authorHandles);
      if (ex.threadIds.length > 0) q = q.where('threads.id', 'not in', ex.threadIds);
      const rows = await q.orderBy('threads.id', 'desc').limit(limit).execute();
      return rows.map(toThread);
    },

    /**
     * How many of a commune's listed threads (pinned, or the rest between two ids, both
     * exclusive) the exclusions leave out: the SQL half of a list's "hidden by your filters".
     * With no exclusions, every thread there counts (a commune the reader filtered).
     */
    async countThreads(
      communeId: string,
      span: { pinned: boolean; before?: string | undefined; after?: string | undefined },
      ex?: Exclusions,
    ): Promise<number> {
      if (ex && ex.authorHandles.length === 0 && ex.threadIds.length === 0) return 0;
      let q = db
        .selectFrom('threads')
        .innerJoin('accounts', 'accounts.id', 'threads.author_id')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('threads.commune_id', '=', communeId)
        .where('threads.proposal_id', 'is', null)
        .where('threads.pinned_at', span.pinned ? 'is not' : 'is', null);
      if (span.before !== undefined) q = q.where('threads.id', '<', span.before);
      if (span.after !== undefined) q = q.where('threads.id', '>', span.after);
      if (ex)
        q = q.where((eb) =>
          eb.or([
            ...(ex.authorHandles.length > 0 ? [eb('accounts.handle', 'in', ex.authorHandles)] : []),
            ...(ex.threadIds.length > 0 ? [eb('threads.id', 'in', ex.threadIds)] : []),
          ]),
        );
      const r = await q.executeTakeFirst();
      return Number(r?.n ?? 0);
    },

    /** One comment as a page shows it; undefined if unknown. */
    async findComment(id: string): Promise<Comment | undefined> {
      const r = await comments().where('comments.id', '=', id).executeTakeFirst();
      return r && toComment(r);
    },

    /** Whether the thread is an item's conversation (inventory's item_conversations). */
    async isItemConversation(threadId: string): Promise<boolean> {
      const r = await db
        .selectFrom('item_conversations')
        .select('thread_id')
        .where('thread_id', '=', threadId)
        .limit(1)
        .executeTakeFirst();
      return r !== undefined;
    },

    /** Comments by these authors after `after` and up to `upTo` (both optional): filtered ones in a page's span. */
    async countComments(
      threadId: string,
      span: { after?: string | undefined; upTo?: string | undefined },
      authorHandles: string[],
    ): Promise<number> {
      if (authorHandles.length === 0) return 0;
      let q = db
        .selectFrom('comments')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('comments.thread_id', '=', threadId)
        .where('comments.author_handle', 'in', authorHandles);
      if (span.after !== undefined) q = q.where('comments.id', '>', span.after);
      if (span.upTo !== undefined) q = q.where('comments.id', '<=', span.upTo);
      const r = await q.executeTakeFirst();
      return Number(r?.n ?? 0);
    },

    /** Oldest first, after an optional cursor. */
    async listComments(
      threadId: string,
      after: string | undefined,
      limit: number,
      ex: Pick<Exclusions, 'authorHandles'>,
    ): Promise<Comment[]> {
      let q = comments().where('comments.thread_id', '=', threadId);
      if (after !== undefined) q = q.where('comments.id', '>', after);
      if (ex.authorHandles.length > 0)
        q = q.where('comments.author_handle', 'not in', ex.authorHandles);
      const rows = await q.orderBy('comments.id', 'asc').limit(limit).execute();
      return rows.map(toComment);
    },
  };
}
export type DiscussionsView = ReturnType<typeof discussionsView>;
