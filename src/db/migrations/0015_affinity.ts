import type { Kysely } from 'kysely';

// Affinity (docs/adr/0020-affinity-kept-current.md): the parts of the score kept current by
// the network context's affinity subscriber. No foreign keys: rows follow events, and a
// commune's rows go when its events say so.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('affinity_profiles')
    .addColumn('commune_id', 'text', (c) => c.primaryKey())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('tags', 'text', (c) => c.notNull())
    .addColumn('terms', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('affinity_terms')
    .addColumn('term', 'text', (c) => c.primaryKey())
    .addColumn('documents', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('affinity_tags')
    .addColumn('tag', 'text', (c) => c.notNull())
    .addColumn('commune_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('affinity_tags_pk', ['tag', 'commune_id'])
    .execute();
  await db.schema
    .createIndex('affinity_tags_by_commune')
    .on('affinity_tags')
    .columns(['commune_id', 'tag'])
    .execute();
  await db.schema
    .createTable('affinity_ties')
    .addColumn('commune_id', 'text', (c) => c.notNull())
    .addColumn('other_id', 'text', (c) => c.notNull())
    .addColumn('shared_members', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('forks', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('thanks', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('clearing', 'bigint', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('affinity_ties_pk', ['commune_id', 'other_id'])
    .execute();
  await db.schema
    .createTable('affinity_reach')
    .addColumn('commune_id', 'text', (c) => c.notNull())
    .addColumn('other_id', 'text', (c) => c.notNull())
    .addColumn('degree', 'integer', (c) => c.notNull())
    .addColumn('via', 'text')
    .addPrimaryKeyConstraint('affinity_reach_pk', ['commune_id', 'other_id'])
    .execute();
  // Whose stored reach passes through a commune: the ones an alliance change may move.
  await db.schema
    .createIndex('affinity_reach_by_other')
    .on('affinity_reach')
    .columns(['other_id', 'commune_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'affinity_reach',
    'affinity_ties',
    'affinity_tags',
    'affinity_terms',
    'affinity_profiles',
  ])
    await db.schema.dropTable(t).execute();
}
