import type { Kysely } from 'kysely';

// Affinity read from compact term vectors (docs/adr/0030-affinity-fast-reads.md): terms get
// numeric ids, a profile stores its counts as packed (id, count) pairs, and every change to a
// term or profile takes a sequence number, so a process can keep what it read and ask only
// for what changed since. The stored rows are emptied here; `affinity_meta.format` stays
// unset, so `commune migrate` (and serve, and seed) rebuilds them from the source tables.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('affinity_profiles').execute();
  await db.schema.dropTable('affinity_terms').execute();
  await db.schema
    .createTable('affinity_profiles')
    .addColumn('commune_id', 'text', (c) => c.primaryKey())
    .addColumn('handle', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('tags', 'text', (c) => c.notNull())
    .addColumn('terms', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('affinity_profiles_by_seq')
    .on('affinity_profiles')
    .column('seq')
    .execute();
  await db.schema
    .createTable('affinity_terms')
    .addColumn('term', 'text', (c) => c.primaryKey())
    .addColumn('id', 'bigint', (c) => c.notNull().unique())
    .addColumn('documents', 'bigint', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('affinity_terms_by_seq').on('affinity_terms').column('seq').execute();
  // Counters (`seq`, `term_id`, `epoch`: one per rebuild) and the format the stored rows were built in (`format`).
  await db.schema
    .createTable('affinity_meta')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('affinity_meta').execute();
  await db.schema.dropTable('affinity_terms').execute();
  await db.schema.dropTable('affinity_profiles').execute();
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
}
