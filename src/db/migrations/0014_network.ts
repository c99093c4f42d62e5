import type { Kysely } from 'kysely';

// The network of communes (src/network): alliances between two communes of this server.
// Each side's consent is a passed proposal (alliance_consents, migration 0003); a row here
// is the pair. Clearing accounts are ledger_accounts of kind 'clearing', one per ally, owned
// by the partner commune (owner_id is the partner's commune id).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('alliances')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // The commune whose decision asked first, and the one asked.
    .addColumn('commune_a', 'text', (c) => c.notNull().references('communes.id'))
    .addColumn('commune_b', 'text', (c) => c.notNull().references('communes.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('trade_limit', 'bigint', (c) => c.notNull())
    // Units of B's currency for one unit of A's.
    .addColumn('rate', 'double precision', (c) => c.notNull())
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('active_since', 'text')
    .addColumn('ended_at', 'text')
    .addColumn('ended_by', 'text')
    .execute();
  await db.schema
    .createIndex('alliances_by_a')
    .on('alliances')
    .columns(['commune_a', 'commune_b'])
    .execute();
  await db.schema
    .createIndex('alliances_by_b')
    .on('alliances')
    .columns(['commune_b', 'commune_a'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('alliances').execute();
}
