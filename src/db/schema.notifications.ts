// Notification tables (src/notifications, migration 0017).

export type NotificationTable = {
  id: string;
  recipient_id: string;
  event_id: string;
  kind: string;
  important: number;
  commune_id: string | null;
  subject_id: string;
  actor_handle: string | null;
  summary: string;
  link: string;
  created_at: string;
  read_at: string | null;
  emailed_at: string | null;
};

export type NotificationSettingsTable = {
  account_id: string;
  level: string;
  email: string;
  address: string | null;
  unsubscribe_token: string;
  last_digest_at: string | null;
  updated_at: string;
  /** Set when the address's owner followed a verification link (migration 0026). */
  address_verified_at: string | null;
};

/** One verification link sent (migration 0026): only the token's SHA-256 is kept. */
export type EmailVerificationTable = {
  token_hash: string;
  account_id: string;
  address: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  replaced_at: string | null;
};

export type NotificationCommuneSettingsTable = {
  account_id: string;
  commune_id: string;
  level: string;
};

export type NotificationTables = {
  notifications: NotificationTable;
  notification_settings: NotificationSettingsTable;
  notification_commune_settings: NotificationCommuneSettingsTable;
  email_verifications: EmailVerificationTable;
};
