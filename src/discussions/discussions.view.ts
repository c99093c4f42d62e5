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
  createdAt: string;
};

type ThreadRow = {
  id: string;
  commune_id: string;
  title: string;
  body: string;
  html: string;
  author_handle: string;
  author_name: string;
  created_at: string;
};
const toThread = (r: ThreadRow): ThreadRecord => ({
  id: r.id,
  communeId: r.commune_id,
  title: r.title,
  body: r.body,
  html: r.html,
  author: { handle: r.author_handle, displayName: r.author_name },
  createdAt: r.created_at,
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
};
const toComment = (r: CommentRow): Comment => ({
  id: r.id,
  threadId: r.thread_id,
  body: r.body,
  html: r.html,
  // Fediverse authors have no local account; their address is their name.
  author: { handle: r.author_handle, displayName: r.author_name ?? r.author_handle },
  inReplyTo: r.in_reply_to,
  source: r.source,
  createdAt: r.created_at,
});

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
        'accounts.handle as author_handle',
        'accounts.display_name as author_name',
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

    /** Newest first: ids are time-ordered, so the primary key orders by time. */
    async listThreads(
      communeId: string,
      before: string | undefined,
      limit: number,
      ex: Exclusions,
    ): Promise<ThreadRecord[]> {
      let q = threads().where('threads.commune_id', '=', communeId);
      if (before !== undefined) q = q.where('threads.id', '<', before);
      if (ex.authorHandles.length > 0) q = q.where('accounts.handle', 'not in', ex.authorHandles);
      if (ex.threadIds.length > 0) q = q.where('threads.id', 'not in', ex.threadIds);
      const rows = await q.orderBy('threads.id', 'desc').limit(limit).execute();
      return rows.map(toThread);
    },

    /** Oldest first, after an optional cursor. */
    async listComments(
      threadId: string,
      after: string | undefined,
      limit: number,
      ex: Pick<Exclusions, 'authorHandles'>,
    ): Promise<Comment[]> {
      let q = db
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
        ])
        .where('comments.thread_id', '=', threadId);
      if (after !== undefined) q = q.where('comments.id', '>', after);
      if (ex.authorHandles.length > 0)
        q = q.where('comments.author_handle', 'not in', ex.authorHandles);
      const rows = await q.orderBy('comments.id', 'asc').limit(limit).execute();
      return rows.map(toComment);
    },
  };
}
export type DiscussionsView = ReturnType<typeof discussionsView>;
