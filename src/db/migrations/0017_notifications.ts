import type { Kysely } from 'kysely';

// Notifications (src/notifications, docs/adr/0022-notifications.md). A notification is made
// by a background subscriber of one domain event; (recipient, event, kind) is unique, so a
// second delivery of the event, in this process or another, inserts nothing.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('recipient_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('important', 'integer', (c) => c.notNull())
    .addColumn('commune_id', 'text')
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('actor_handle', 'text')
    // What the notification says (a proposal's title, a comment's first words) and where it
    // leads in the web app, as they were when it was made.
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('link', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    // Set when an email took it (immediately or in a digest): a claim, so it goes out once.
    .addColumn('emailed_at', 'text')
    .addUniqueConstraint('notifications_once', ['recipient_id', 'event_id', 'kind'])
    .execute();
  await db.schema
    .createIndex('notifications_by_recipient')
    .on('notifications')
    .columns(['recipient_id', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('notifications_unemailed')
    .on('notifications')
    .columns(['recipient_id', 'emailed_at'])
    .execute();
  await db.schema
    .createTable('notification_settings')
    .addColumn('account_id', 'text', (c) => c.primaryKey().references('accounts.id'))
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    // Where email goes; accounts have no address of their own, so it is asked for here.
    .addColumn('address', 'text')
    .addColumn('unsubscribe_token', 'text', (c) => c.notNull().unique())
    .addColumn('last_digest_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('notification_commune_settings')
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('commune_id', 'text', (c) => c.notNull().references('communes.id'))
    .addColumn('level', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_commune_settings_pk', ['account_id', 'commune_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('notification_commune_settings').execute();
  await db.schema.dropTable('notification_settings').execute();
  await db.schema.dropTable('notifications').execute();
}
