import type { Permitted } from '../communes/access.ts';
import type { Need } from '../communes/permit.ts';
import type { Deps } from '../deps.ts';
import { transact, type Executor } from '../db/transaction.ts';
import type { PostKind } from '../db/schema.editing.ts';
import type { EventPublisher } from '../events/events.service.ts';
import type { Account } from '../identity/identity.ts';
import { isUuid, newId } from '../shared/ids.ts';
import { renderPost } from './mentions.ts';
import { ok, type AppError, type Err, type Result } from '../shared/result.ts';
import { discussionsFail, type DiscussionsErrorCode } from './discussions.errors.ts';
import { toThread, type CommuneAccessPort, type EnteredThread } from './discussions.service.ts';
import {
  MAX_EDITS,
  type Comment,
  type CommentEdit,
  type Thread,
  type ThreadEdit,
} from './discussions.ts';
import { discussionsView } from './discussions.view.ts';
import { editingRepository, type CommentState } from './editing.repository.ts';
import type { ReadInput } from './editing.schemas.ts';

// Editing and deleting one's own posts, with their history, and read positions (ADR 0023).

type Failed = Err<AppError<DiscussionsErrorCode>>;
type Outcome<T> = Result<T>;

/** A comment the caller may enter for a need, and its commune. */
export type EnteredComment = { comment: CommentState; commune: Permitted };

export type PostEdit = { title: string | null; body: string; html: string; replacedAt: string };

const threadNotFound = (): Failed => discussionsFail('thread_not_found', 'Thread not found');
const commentNotFound = (): Failed => discussionsFail('comment_not_found', 'Comment not found');
const notAuthor = (what: string): Failed =>
  discussionsFail('not_author', `Only its author may change this ${what}`);
const tooManyEdits = (): Failed =>
  discussionsFail('too_many_edits', `A post keeps at most ${MAX_EDITS} earlier versions`);
export const threadLocked = (): Failed =>
  discussionsFail('thread_locked', 'A steward locked this thread: it takes no new comments');

export function editingService(deps: Deps, communes: CommuneAccessPort, events: EventPublisher) {
  const repo = editingRepository(deps.db);
  const view = discussionsView(deps.db);
  const now = () => deps.clock.now().toISOString();

  /** Runs a write and its event in one transaction. */
  const write = <T>(work: (tx: Executor) => Promise<Outcome<T>>) =>
    transact<T>(deps, undefined, work);

  async function threadOf(id: string, commune: Permitted): Promise<Outcome<Thread>> {
    const record = await view.findThread(id);
    return record ? ok(toThread(record, commune.handle)) : threadNotFound();
  }

  async function commentOf(id: string): Promise<Outcome<Comment>> {
    const comment = await view.findComment(id);
    return comment ? ok(comment) : commentNotFound();
  }

  async function recordEdit(
    tx: Executor,
    kind: PostKind,
    postId: string,
    old: { title: string | null; body: string },
    at: string,
  ) {
    await editingRepository(tx).recordEdit({
      id: newId(),
      kind,
      postId,
      title: old.title,
      body: old.body,
      replacedAt: at,
    });
  }

  return {
    /**
     * The one access rule for a route naming a comment: its thread's commune. A hidden
     * commune's comment is as unknown as a missing one.
     */
    async enterComment(
      commentId: string,
      viewerId: string | null,
      need: Need,
    ): Promise<Outcome<EnteredComment>> {
      if (!isUuid(commentId)) return commentNotFound();
      const comment = await repo.comment(commentId.toLowerCase());
      if (!comment) return commentNotFound();
      const access = await communes.permitById(comment.communeId, viewerId, need);
      if (!access.ok) return access.error.code === 'not_found' ? commentNotFound() : access;
      return ok({ comment, commune: access.value });
    },

    /** The author changes a title or body; the text it replaces goes into the history. */
    async editThread(
      author: Account,
      { threadId, commune }: EnteredThread,
      input: ThreadEdit,
    ): Promise<Outcome<Thread>> {
      const t = await repo.thread(threadId);
      if (!t) return threadNotFound();
      if (t.authorId !== author.id) return notAuthor('thread');
      if (t.proposalId !== null)
        return discussionsFail(
          'thread_in_use',
          "A proposal's discussion has no text of its own to edit",
        );
      if (t.locked) return discussionsFail('thread_locked', 'A steward locked this thread');
      const title = input.title ?? t.title;
      const body = input.body ?? t.body;
      if (title === t.title && body === t.body) return threadOf(threadId, commune);
      if ((await repo.editCount(threadId)) >= MAX_EDITS) return tooManyEdits();
      const at = now();
      const done = await write(async (tx) => {
        await recordEdit(tx, 'thread', threadId, { title: t.title, body: t.body }, at);
        await editingRepository(tx).updateThread(threadId, {
          title,
          body,
          html: await renderPost(tx, body),
          editedAt: at,
        });
        return events.publish(tx, {
          type: 'thread_edited',
          communeId: commune.communeId,
          threadId,
        });
      });
      return done.ok ? threadOf(threadId, commune) : done;
    },

    /**
     * The author removes a thread nobody else has answered (others' words are theirs to
     * keep); a thread others replied to can be locked by a steward instead.
     */
    async deleteThread(
      author: Account,
      { threadId, commune }: EnteredThread,
    ): Promise<Outcome<void>> {
      const t = await repo.thread(threadId);
      if (!t) return threadNotFound();
      if (t.authorId !== author.id) return notAuthor('thread');
      if (t.proposalId !== null || (await view.isItemConversation(threadId)))
        return discussionsFail(
          'thread_in_use',
          "This thread is a proposal's or an item's conversation and stays with it",
        );
      if (await repo.othersCommented(threadId, author.id))
        return discussionsFail(
          'thread_has_replies',
          'Others have replied: delete your comments, or ask a steward to lock the thread',
        );
      return write(async (tx) => {
        await editingRepository(tx).deleteThread(threadId);
        return events.publish(tx, {
          type: 'thread_deleted',
          communeId: commune.communeId,
          threadId,
        });
      });
    },

    async editComment(
      author: Account,
      { comment: c, commune }: EnteredComment,
      input: CommentEdit,
    ): Promise<Outcome<Comment>> {
      if (c.authorId !== author.id) return notAuthor('comment');
      if (c.deleted) return discussionsFail('post_deleted', 'This comment was deleted');
      if (c.hidden)
        return discussionsFail('post_hidden', 'A steward hid this comment; it cannot be edited');
      if (c.locked) return threadLocked();
      if (input.body === c.body) return commentOf(c.id);
      if ((await repo.editCount(c.id)) >= MAX_EDITS) return tooManyEdits();
      const at = now();
      const done = await write(async (tx) => {
        await recordEdit(tx, 'comment', c.id, { title: null, body: c.body }, at);
        await editingRepository(tx).updateComment(c.id, {
          body: input.body,
          html: await renderPost(tx, input.body),
          editedAt: at,
        });
        return events.publish(tx, {
          type: 'comment_edited',
          communeId: commune.communeId,
          threadId: c.threadId,
          commentId: c.id,
        });
      });
      return done.ok ? commentOf(c.id) : done;
    },

    /** A tombstone in its place, so that pages and replies keep their positions; twice is fine. */
    async deleteComment(
      author: Account,
      { comment: c, commune }: EnteredComment,
    ): Promise<Outcome<void>> {
      if (c.authorId !== author.id) return notAuthor('comment');
      if (c.deleted) return ok(undefined);
      return write(async (tx) => {
        await editingRepository(tx).tombstoneComment(c.id, now());
        return events.publish(tx, {
          type: 'comment_deleted',
          communeId: commune.communeId,
          threadId: c.threadId,
          commentId: c.id,
        });
      });
    },

    /** Earlier texts, the latest first; a deleted or hidden comment shows none. */
    async history(postId: string, gone = false): Promise<{ items: PostEdit[]; next: null }> {
      if (gone) return { items: [], next: null };
      const rows = await repo.edits(postId, MAX_EDITS);
      const items = [];
      for (const r of rows)
        items.push({
          title: r.title,
          body: r.body,
          html: await renderPost(deps.db, r.body),
          replacedAt: r.replaced_at,
        });
      return {
        items,
        next: null,
      };
    },

    async readPosition(viewerId: string, threadId: string) {
      const r = await repo.readPosition(viewerId, threadId);
      return { lastSeen: r?.last_seen ?? null, readAt: r?.read_at ?? null };
    },

    /** Moves the caller's read position forward (never back) to a comment of the thread. */
    async markRead(
      viewerId: string,
      threadId: string,
      input: ReadInput,
    ): Promise<Outcome<{ lastSeen: string | null; readAt: string }>> {
      let seen: string | null = null;
      if (input.lastSeen !== null) {
        seen = input.lastSeen.toLowerCase();
        const c = isUuid(seen) ? await repo.comment(seen) : undefined;
        if (!c || c.threadId !== threadId)
          return discussionsFail(
            'read_target_invalid',
            'lastSeen must be a comment of this thread',
            {
              field: 'lastSeen',
            },
          );
      }
      const before = (await repo.readPosition(viewerId, threadId))?.last_seen ?? null;
      const lastSeen = before !== null && (seen === null || before > seen) ? before : seen;
      const at = now();
      await repo.saveReadPosition(viewerId, threadId, lastSeen, at);
      return ok({ lastSeen, readAt: at });
    },

    /** Which of these threads have comments the person has not seen (or were never opened). */
    async unread(viewerId: string, threadIds: string[]): Promise<Set<string>> {
      const [reads, latest] = await Promise.all([
        repo.readPositions(viewerId, threadIds),
        repo.latestComments(threadIds),
      ]);
      const seen = new Map(reads.map((r) => [r.thread_id, r.last_seen]));
      const newest = new Map(latest.map((r) => [r.thread_id, r.latest as string | null]));
      const unread = new Set<string>();
      for (const id of threadIds) {
        if (!seen.has(id)) unread.add(id);
        else {
          const last = seen.get(id) ?? null;
          const top = newest.get(id) ?? null;
          if (top !== null && (last === null || top > last)) unread.add(id);
        }
      }
      return unread;
    },
  };
}
export type EditingService = ReturnType<typeof editingService>;
