import type { Kysely } from 'kysely';

// The knowledge inventory (src/inventory): items with an append-only version history, the
// files they carry (stored by sha256 under the data folder), thanks, and the conversations
// opened from offers and needs. Search indexes over these come in their own migration.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('commune_id', 'text', (c) => c.notNull().references('communes.id'))
    .addColumn('author_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('html', 'text', (c) => c.notNull())
    .addColumn('tags', 'text', (c) => c.notNull())
    .addColumn('visibility', 'text', (c) => c.notNull())
    .addColumn('license', 'text', (c) => c.notNull())
    .addColumn('url', 'text')
    .addColumn('estimate', 'bigint')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('forked_from_item', 'text')
    .addColumn('forked_from_version', 'integer')
    .addColumn('forked_from_commune', 'text')
    .addColumn('forked_from_author', 'text')
    .addColumn('deleted_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('items_by_commune')
    .on('items')
    .columns(['commune_id', 'created_at', 'id'])
    .execute();
  await db.schema.createIndex('items_by_fork').on('items').column('forked_from_item').execute();

  await db.schema
    .createTable('item_versions')
    .addColumn('item_id', 'text', (c) => c.notNull().references('items.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('tags', 'text', (c) => c.notNull())
    .addColumn('visibility', 'text', (c) => c.notNull())
    .addColumn('license', 'text', (c) => c.notNull())
    .addColumn('url', 'text')
    .addColumn('estimate', 'bigint')
    .addColumn('edited_by', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('edited_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('item_versions_pk', ['item_id', 'version'])
    .execute();

  await db.schema
    .createTable('item_files')
    .addColumn('item_id', 'text', (c) => c.notNull().references('items.id'))
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('added_by', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('item_files_pk', ['item_id', 'sha256'])
    .execute();
  // "Is this file still used by any item?" when an item goes.
  await db.schema.createIndex('item_files_by_sha').on('item_files').column('sha256').execute();

  await db.schema
    .createTable('item_thanks')
    .addColumn('transfer_id', 'text', (c) => c.primaryKey())
    .addColumn('item_id', 'text', (c) => c.notNull().references('items.id'))
    .addColumn('giver_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('item_thanks_by_item').on('item_thanks').column('item_id').execute();

  await db.schema
    .createTable('item_conversations')
    .addColumn('item_id', 'text', (c) => c.notNull().references('items.id'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('thread_id', 'text', (c) => c.notNull().references('threads.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('item_conversations_pk', ['item_id', 'person_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['item_conversations', 'item_thanks', 'item_files', 'item_versions', 'items'])
    await db.schema.dropTable(t).execute();
}
