import type { Kysely } from 'kysely';

// The outbox of domain events (src/events): written in the transaction of the change it
// records; and, per background subscriber, a record of each event it has handled.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('domain_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('commune_id', 'text')
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('domain_events_by_time')
    .on('domain_events')
    .columns(['occurred_at', 'id'])
    .execute();
  await db.schema
    .createIndex('domain_events_by_commune')
    .on('domain_events')
    .columns(['commune_id', 'occurred_at'])
    .execute();

  await db.schema
    .createTable('event_deliveries')
    .addColumn('subscriber', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('delivered_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('event_deliveries_pk', ['subscriber', 'event_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('event_deliveries').execute();
  await db.schema.dropTable('domain_events').execute();
}
