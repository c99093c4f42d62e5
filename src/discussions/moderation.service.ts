import type { Permitted } from '../communes/access.ts';
import type { Deps } from '../deps.ts';
import type { ModerationAction } from '../db/schema.editing.ts';
import { transact, type Executor } from '../db/transaction.ts';
import type { EventPublisher } from '../events/events.service.ts';
import type { Account } from '../identity/identity.ts';
import { newId } from '../shared/ids.ts';
import { renderPost } from './mentions.ts';
import type { PageQuery } from '../shared/pagination.ts';
import { toPage } from '../shared/pagination.ts';
import { ok, type Result } from '../shared/result.ts';
import { discussionsFail } from './discussions.errors.ts';
import { toThread, type EnteredThread } from './discussions.service.ts';
import { MAX_PINNED, type Comment, type ModerationInput, type Thread } from './discussions.ts';
import { discussionsView } from './discussions.view.ts';
import { editingRepository } from './editing.repository.ts';
import type { EnteredComment } from './editing.service.ts';
import { moderationView } from './moderation.view.ts';

// Stewards lock, pin and hide, with a reason; every action goes into a log members read
// (ADR 0023). The routes let only stewards in (inThread / inComment('steward')).

export type ThreadAction = Extract<ModerationAction, 'lock' | 'unlock' | 'pin' | 'unpin'>;

const noChange = (message: string) => discussionsFail('no_change', message);

export function moderationService(deps: Deps, events: EventPublisher) {
  const repo = editingRepository(deps.db);
  const view = discussionsView(deps.db);
  const log = moderationView(deps.db);
  const now = () => deps.clock.now().toISOString();

  /** Writes the change, its log entry and its event in one transaction. */
  async function logged(
    steward: Account,
    commune: Permitted,
    target: { threadId: string; commentId: string | null },
    action: ModerationAction,
    reason: string,
    change: (tx: Executor, at: string) => Promise<void>,
  ): Promise<Result<void>> {
    return transact(deps, undefined, async (tx) => {
      const at = now();
      const entryId = newId();
      await change(tx, at);
      await editingRepository(tx).log({
        id: entryId,
        communeId: commune.communeId,
        ...target,
        actorId: steward.id,
        action,
        reason,
        createdAt: at,
      });
      return events.publish(tx, {
        type: 'thread_moderated',
        communeId: commune.communeId,
        ...target,
        action,
        entryId,
      });
    });
  }

  return {
    async moderateThread(
      steward: Account,
      { threadId, commune }: EnteredThread,
      action: ThreadAction,
      { reason }: ModerationInput,
    ): Promise<Result<Thread>> {
      const t = await repo.thread(threadId);
      if (!t) return discussionsFail('thread_not_found', 'Thread not found');
      const locking = action === 'lock' || action === 'unlock';
      const want = action === 'lock' || action === 'pin';
      if ((locking ? t.locked : t.pinned) === want)
        return noChange(
          `The thread is ${want ? 'already' : 'not'} ${locking ? 'locked' : 'pinned'}`,
        );
      if (action === 'pin' && (await repo.pinnedCount(t.communeId)) >= MAX_PINNED)
        return discussionsFail(
          'too_many_pinned',
          `At most ${MAX_PINNED} threads may be pinned at once: unpin one first`,
        );
      const done = await logged(
        steward,
        commune,
        { threadId, commentId: null },
        action,
        reason,
        async (tx, at) => {
          const r = editingRepository(tx);
          if (locking) await r.setLocked(threadId, want ? at : null);
          else await r.setPinned(threadId, want ? at : null);
        },
      );
      if (!done.ok) return done;
      const record = await view.findThread(threadId);
      return record
        ? ok(toThread(record, commune.handle))
        : discussionsFail('thread_not_found', 'Thread not found');
    },

    /** Hides a comment's text behind the reason (kept for an unhide), or shows it again. */
    async moderateComment(
      steward: Account,
      { comment: c, commune }: EnteredComment,
      action: 'hide' | 'unhide',
      { reason }: ModerationInput,
    ): Promise<Result<Comment>> {
      if (c.deleted) return discussionsFail('post_deleted', 'This comment was deleted');
      if (c.hidden === (action === 'hide'))
        return noChange(`The comment is ${c.hidden ? 'already' : 'not'} hidden`);
      const done = await logged(
        steward,
        commune,
        { threadId: c.threadId, commentId: c.id },
        action,
        reason,
        async (tx, at) => {
          const r = editingRepository(tx);
          if (action === 'hide') await r.hideComment(c.id, c.body, reason, at);
          else {
            const body = c.hiddenBody ?? '';
            await r.unhideComment(c.id, body, await renderPost(tx, body));
          }
        },
      );
      if (!done.ok) return done;
      const comment = await view.findComment(c.id);
      return comment ? ok(comment) : discussionsFail('comment_not_found', 'Comment not found');
    },

    /** The log, newest first, for the commune's members. */
    async logOf(commune: Permitted, page: PageQuery) {
      const rows = await log.log(commune.communeId, page.before, page.limit + 1);
      return toPage(rows, page.limit, (r) => r.id);
    },
  };
}
export type ModerationService = ReturnType<typeof moderationService>;
