import { accessErrors } from '../communes/communes.errors.ts';
import { failer, type CodeOf } from '../shared/result.ts';

/** Every error the discussions context (threads, comments, filters) answers with. */
export const discussionsErrors = {
  // Entering a commune or a thread: the one access rule's refusals.
  ...accessErrors,
  // A hidden commune's thread answers as a missing one, so hiding looks like absence.
  thread_not_found: 'not_found',
  reply_target_invalid: 'rule_violation',
  busy: 'rate_limited',
  filter_exists: 'conflict',
  too_many_filters: 'rule_violation',
  filter_not_found: 'not_found',
} as const;
export type DiscussionsErrorCode = CodeOf<typeof discussionsErrors>;

export const discussionsFail = failer(discussionsErrors);
