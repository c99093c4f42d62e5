import type { Db } from '../db/database.ts';
import type { ModerationAction, PostKind } from '../db/schema.editing.ts';

// Edits, tombstones, moderation and read positions on discussions' own tables (ADR 0023).
// Reads that show names (the moderation log) are in moderation.view.ts.

export type ThreadState = {
  id: string;
  communeId: string;
  authorId: string;
  title: string;
  body: string;
  locked: boolean;
  pinned: boolean;
  proposalId: string | null;
};

export type CommentState = {
  id: string;
  threadId: string;
  communeId: string;
  authorId: string | null;
  body: string;
  deleted: boolean;
  hidden: boolean;
  hiddenBody: string | null;
  locked: boolean;
};

export type LogEntry = {
  id: string;
  communeId: string;
  threadId: string;
  commentId: string | null;
  actorId: string;
  action: ModerationAction;
  reason: string;
  createdAt: string;
};

export function editingRepository(db: Db) {
  return {
    async thread(id: string): Promise<ThreadState | undefined> {
      const r = await db
        .selectFrom('threads')
        .select([
          'id',
          'commune_id',
          'author_id',
          'title',
          'body',
          'locked_at',
          'pinned_at',
          'proposal_id',
        ])
        .where('id', '=', id)
        .executeTakeFirst();
      return (
        r && {
          id: r.id,
          communeId: r.commune_id,
          authorId: r.author_id,
          title: r.title,
          body: r.body,
          locked: r.locked_at !== null,
          pinned: r.pinned_at !== null,
          proposalId: r.proposal_id,
        }
      );
    },

    async comment(id: string): Promise<CommentState | undefined> {
      const r = await db
        .selectFrom('comments')
        .innerJoin('threads', 'threads.id', 'comments.thread_id')
        .select([
          'comments.id',
          'comments.thread_id',
          'threads.commune_id',
          'comments.author_id',
          'comments.body',
          'comments.deleted_at',
          'comments.hidden_at',
          'comments.hidden_body',
          'threads.locked_at',
        ])
        .where('comments.id', '=', id)
        .executeTakeFirst();
      return (
        r && {
          id: r.id,
          threadId: r.thread_id,
          communeId: r.commune_id,
          authorId: r.author_id,
          body: r.body,
          deleted: r.deleted_at !== null,
          hidden: r.hidden_at !== null,
          hiddenBody: r.hidden_body,
          locked: r.locked_at !== null,
        }
      );
    },

    async editCount(postId: string): Promise<number> {
      const r = await db
        .selectFrom('post_edits')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('post_id', '=', postId)
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },

    async recordEdit(e: {
      id: string;
      kind: PostKind;
      postId: string;
      title: string | null;
      body: string;
      replacedAt: string;
    }): Promise<void> {
      await db
        .insertInto('post_edits')
        .values({
          id: e.id,
          post_kind: e.kind,
          post_id: e.postId,
          title: e.title,
          body: e.body,
          replaced_at: e.replacedAt,
        })
        .execute();
    },

    /** Earlier texts of a post, the latest first. */
    async edits(postId: string, limit: number) {
      return db
        .selectFrom('post_edits')
        .select(['title', 'body', 'replaced_at'])
        .where('post_id', '=', postId)
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
    },

    async updateThread(
      id: string,
      t: { title: string; body: string; html: string; editedAt: string },
    ): Promise<void> {
      await db
        .updateTable('threads')
        .set({ title: t.title, body: t.body, html: t.html, edited_at: t.editedAt })
        .where('id', '=', id)
        .execute();
    },

    async updateComment(
      id: string,
      c: { body: string; html: string; editedAt: string },
    ): Promise<void> {
      await db
        .updateTable('comments')
        .set({ body: c.body, html: c.html, edited_at: c.editedAt })
        .where('id', '=', id)
        .execute();
    },

    /** A tombstone: the row keeps its place and author; its text and history go. */
    async tombstoneComment(id: string, at: string): Promise<void> {
      await db.deleteFrom('post_edits').where('post_id', '=', id).execute();
      await db
        .updateTable('comments')
        .set({ body: '', html: '', hidden_body: null, deleted_at: at })
        .where('id', '=', id)
        .execute();
    },

    async hideComment(id: string, body: string, reason: string, at: string): Promise<void> {
      await db
        .updateTable('comments')
        .set({ hidden_body: body, body: '', html: '', hidden_at: at, hidden_reason: reason })
        .where('id', '=', id)
        .execute();
    },

    async unhideComment(id: string, body: string, html: string): Promise<void> {
      await db
        .updateTable('comments')
        .set({ body, html, hidden_body: null, hidden_at: null, hidden_reason: null })
        .where('id', '=', id)
        .execute();
    },

    /** Whether anyone but `authorId` (fediverse commenters included) commented on the thread. */
    async othersCommented(threadId: string, authorId: string): Promise<boolean> {
      const r = await db
        .selectFrom('comments')
        .select('id')
        .where('thread_id', '=', threadId)
        .where((eb) => eb.or([eb('author_id', 'is', null), eb('author_id', '!=', authorId)]))
        .limit(1)
        .executeTakeFirst();
      return r !== undefined;
    },

    /** The thread, its (author's own) comments, their histories and read positions. */
    async deleteThread(id: string): Promise<void> {
      const comments = db.selectFrom('comments').select('id').where('thread_id', '=', id);
      await db
        .deleteFrom('post_edits')
        .where((eb) => eb.or([eb('post_id', '=', id), eb('post_id', 'in', comments)]))
        .execute();
      await db.deleteFrom('thread_reads').where('thread_id', '=', id).execute();
      await db.deleteFrom('comments').where('thread_id', '=', id).execute();
      await db.deleteFrom('threads').where('id', '=', id).execute();
    },

    async setLocked(id: string, at: string | null): Promise<void> {
      await db.updateTable('threads').set({ locked_at: at }).where('id', '=', id).execute();
    },

    async setPinned(id: string, at: string | null): Promise<void> {
      await db.updateTable('threads').set({ pinned_at: at }).where('id', '=', id).execute();
    },

    async pinnedCount(communeId: string): Promise<number> {
      const r = await db
        .selectFrom('threads')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('commune_id', '=', communeId)
        .where('pinned_at', 'is not', null)
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },

    async log(e: LogEntry): Promise<void> {
      await db
        .insertInto('moderation_log')
        .values({
          id: e.id,
          commune_id: e.communeId,
          thread_id: e.threadId,
          comment_id: e.commentId,
          actor_id: e.actorId,
          action: e.action,
          reason: e.reason,
          created_at: e.createdAt,
        })
        .execute();
    },

    async readPosition(accountId: string, threadId: string) {
      return db
        .selectFrom('thread_reads')
        .select(['last_seen', 'read_at'])
        .where('account_id', '=', accountId)
        .where('thread_id', '=', threadId)
        .executeTakeFirst();
    },

    async saveReadPosition(
      accountId: string,
      threadId: string,
      lastSeen: string | null,
      at: string,
    ): Promise<void> {
      await db
        .insertInto('thread_reads')
        .values({ account_id: accountId, thread_id: threadId, last_seen: lastSeen, read_at: at })
        .onConflict((oc) =>
          oc.columns(['account_id', 'thread_id']).doUpdateSet({ last_seen: lastSeen, read_at: at }),
        )
        .execute();
    },

    /** Read positions of one person in some threads. */
    async readPositions(accountId: string, threadIds: string[]) {
      if (threadIds.length === 0) return [];
      return db
        .selectFrom('thread_reads')
        .select(['thread_id', 'last_seen'])
        .where('account_id', '=', accountId)
        .where('thread_id', 'in', threadIds)
        .execute();
    },

    /** The newest comment of each thread (tombstones aside). */
    async latestComments(threadIds: string[]) {
      if (threadIds.length === 0) return [];
      return db
        .selectFrom('comments')
        .select((eb) => ['thread_id', eb.fn.max('id').as('latest')])
        .where('thread_id', 'in', threadIds)
        .where('deleted_at', 'is', null)
        .groupBy('thread_id')
        .execute();
    },

    async proposalThread(proposalId: string) {
      return db
        .selectFrom('threads')
        .select(['id', 'locked_at'])
        .where('proposal_id', '=', proposalId)
        .executeTakeFirst();
    },

    /** A proposal's thread; a concurrent first comment may have made it already. */
    async openProposalThread(t: {
      id: string;
      communeId: string;
      authorId: string;
      proposalId: string;
      title: string;
      createdAt: string;
    }): Promise<void> {
      await db
        .insertInto('threads')
        .values({
          id: t.id,
          commune_id: t.communeId,
          author_id: t.authorId,
          title: t.title,
          body: '',
          html: '',
          created_at: t.createdAt,
          proposal_id: t.proposalId,
        })
        .onConflict((oc) => oc.column('proposal_id').doNothing())
        .execute();
    },
  };
}
export type EditingRepository = ReturnType<typeof editingRepository>;
