import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Sign-in throttling that holds under concurrency, a sign-up throttle, and sessions a person
// can list and end (docs/adr/0010-account-security.md).
export async function up(db: Kysely<unknown>): Promise<void> {
  // Every attempt is a row written before the password is checked; its outcome is settled
  // afterwards. Pending and failed rows count against the handle and the address.
  await db.schema.dropTable('sign_in_failures').execute();
  await db.schema
    .createTable('sign_in_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('handle', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('settled_at', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('sign_in_attempts_handle')
    .on('sign_in_attempts')
    .columns(['handle', 'started_at'])
    .execute();
  await db.schema
    .createIndex('sign_in_attempts_address')
    .on('sign_in_attempts')
    .columns(['address', 'started_at'])
    .execute();

  await db.schema
    .createTable('sign_up_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('sign_up_attempts_address')
    .on('sign_up_attempts')
    .columns(['address', 'at'])
    .execute();

  await db.schema.alterTable('sessions').addColumn('public_id', 'text').execute();
  await db.schema.alterTable('sessions').addColumn('last_used_at', 'text').execute();
  await db.schema.alterTable('sessions').addColumn('user_agent', 'text').execute();
  // Sessions from before this migration get a random public id too; never one derived from the token.
  const random =
    db.getExecutor().adapter instanceof PostgresAdapter
      ? sql`md5(random()::text || clock_timestamp()::text || token_hash)`
      : sql`lower(hex(randomblob(16)))`;
  await sql`update sessions set public_id = ${random}, last_used_at = created_at`.execute(db);
  await db.schema
    .createIndex('sessions_public_id')
    .on('sessions')
    .column('public_id')
    .unique()
    .execute();
  await db.schema
    .createIndex('sessions_account')
    .on('sessions')
    .columns(['account_id', 'created_at'])
    .execute();
}
