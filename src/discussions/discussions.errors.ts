import { accessErrors } from '../communes/communes.errors.ts';
import { failer, type CodeOf } from '../shared/result.ts';

/** Every error the discussions context (threads, comments, filters) answers with. */
export const discussionsErrors = {
  // Entering a commune or a thread: the one access rule's refusals.
  ...accessErrors,
  // A hidden commune's thread answers as a missing one, so hiding looks like absence.
  thread_not_found: 'not_found',
  reply_target_invalid: 'rule_violation',
  // Editing and moderation (ADR 0023).
  comment_not_found: 'not_found',
  not_author: 'forbidden',
  thread_locked: 'conflict',
  post_deleted: 'conflict',
  post_hidden: 'conflict',
  thread_has_replies: 'conflict',
  thread_in_use: 'conflict',
  too_many_edits: 'rule_violation',
  too_many_pinned: 'rule_violation',
  no_change: 'conflict',
  read_target_invalid: 'rule_violation',
  busy: 'rate_limited',
  filter_exists: 'conflict',
  too_many_filters: 'rule_violation',
  filter_not_found: 'not_found',
} as const;
export type DiscussionsErrorCode = CodeOf<typeof discussionsErrors>;

export const discussionsFail = failer(discussionsErrors);
