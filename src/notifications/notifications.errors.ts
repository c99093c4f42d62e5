import { failer, type CodeOf } from '../shared/result.ts';

/** Every error the notifications context answers with. */
export const notificationsErrors = {
  // Someone else's notification answers as a missing one: ids reveal nothing.
  notification_not_found: 'not_found',
  notification_cursor_invalid: 'invalid_input',
  commune_unknown: 'rule_violation',
  unsubscribe_link_unknown: 'not_found',
} as const;
export type NotificationsErrorCode = CodeOf<typeof notificationsErrors>;

export const notificationsFail = failer(notificationsErrors);
