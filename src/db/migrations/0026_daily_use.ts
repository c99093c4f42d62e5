import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Daily use (docs/adr/0034-email-verification-and-live-notifications.md).
// 1. Email addresses are verified before any notification email goes to them: a link with a
//    random token, of which only the SHA-256 is kept, expiring and single-use (used_at).
//    Addresses given before this migration count as unverified: nothing proves them.
// 2. On PostgreSQL, a new notification is announced on the live updates' channel (migration
//    0022) as `n:<id>`, at commit, so the recipient's open pages hear of it whichever process
//    made it. SQLite announces it in-process (src/notifications/notifications.service.ts).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('notification_settings')
    .addColumn('address_verified_at', 'text')
    .execute();
  await db.schema
    .createTable('email_verifications')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    // A newer link or a new address ends the unused ones; they stay, counted by the limits.
    .addColumn('replaced_at', 'text')
    .execute();
  await db.schema
    .createIndex('email_verifications_by_account')
    .on('email_verifications')
    .columns(['account_id', 'created_at'])
    .execute();
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`
    create or replace function announce_notifications() returns trigger
    language plpgsql as $$
    declare
      chunk text;
    begin
      for chunk in
        select string_agg('n:' || id, ',' order by id)
        from (select id, (row_number() over (order by id) - 1) / 150 as part from new_rows) t
        group by part
      loop
        perform pg_notify('commune_events.' || current_schema(), chunk);
      end loop;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger notifications_announce after insert on notifications
    referencing new table as new_rows
    for each statement execute function announce_notifications()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`drop trigger if exists notifications_announce on notifications`.execute(db);
    await sql`drop function if exists announce_notifications()`.execute(db);
  }
  await db.schema.dropTable('email_verifications').execute();
  await db.schema.alterTable('notification_settings').dropColumn('address_verified_at').execute();
}
