import type { Db } from '../db/database.ts';
import type { CommentSource } from './discussions.ts';

/** Threads and comments as written; reads that show names or access are in discussions.view.ts. */
export function discussionsRepository(db: Db) {
  return {
    async insertThread(t: {
      id: string;
      communeId: string;
      authorId: string;
      title: string;
      body: string;
      html: string;
      createdAt: string;
    }): Promise<void> {
      await db
        .insertInto('threads')
        .values({
          id: t.id,
          commune_id: t.communeId,
          author_id: t.authorId,
          title: t.title,
          body: t.body,
          html: t.html,
          created_at: t.createdAt,
        })
        .execute();
    },

    async communeOfThread(id: string): Promise<string | undefined> {
      const r = await db
        .selectFrom('threads')
        .select('commune_id')
        .where('id', '=', id)
        .executeTakeFirst();
      return r?.commune_id;
    },

    async insertComment(c: {
      id: string;
      threadId: string;
      authorId: string | null;
      authorHandle: string;
      body: string;
      html: string;
      inReplyTo: string | null;
      source: CommentSource;
      createdAt: string;
    }): Promise<void> {
      await db
        .insertInto('comments')
        .values({
          id: c.id,
          thread_id: c.threadId,
          author_id: c.authorId,
          author_handle: c.authorHandle,
          body: c.body,
          html: c.html,
          in_reply_to: c.inReplyTo,
          source: c.source,
          created_at: c.createdAt,
        })
        .execute();
    },

    async isLocked(threadId: string): Promise<boolean> {
      const r = await db
        .selectFrom('threads')
        .select('locked_at')
        .where('id', '=', threadId)
        .executeTakeFirst();
      return r?.locked_at != null;
    },

    async isCommentOf(commentId: string, threadId: string): Promise<boolean> {
      const r = await db
        .selectFrom('comments')
        .select('id')
        .where('id', '=', commentId)
        .where('thread_id', '=', threadId)
        .executeTakeFirst();
      return r !== undefined;
    },
  };
}
export type DiscussionsRepository = ReturnType<typeof discussionsRepository>;
