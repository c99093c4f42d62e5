import { failer, type CodeOf } from '../shared/result.ts';

/** Every error the notifications context answers with. */
export const notificationsErrors = {
  // Someone else's notification answers as a missing one: ids reveal nothing.
  notification_not_found: 'not_found',
  notification_cursor_invalid: 'invalid_input',
  commune_unknown: 'rule_violation',
  unsubscribe_link_unknown: 'not_found',
  // Email verification (ADR 0034).
  verification_link_unknown: 'not_found',
  verification_link_used: 'conflict',
  verification_link_expired: 'rule_violation',
  verification_address_changed: 'conflict',
  verification_too_soon: 'rate_limited',
  email_address_missing: 'rule_violation',
  email_address_verified_already: 'conflict',
  email_not_configured: 'rule_violation',
  email_not_sent: 'rule_violation',
} as const;
export type NotificationsErrorCode = CodeOf<typeof notificationsErrors>;

export const notificationsFail = failer(notificationsErrors);
