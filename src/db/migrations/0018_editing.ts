import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Everyday editing and moderation (src/discussions, ADR 0023): edits keep the text they
// replaced (post_edits); deleted and hidden comments stay as tombstones in their place, so
// paging by id never shifts; stewards' locks, pins and hides are logged (moderation_log);
// each person's read position per thread (thread_reads) gives unread markers. A proposal's
// discussion is a thread naming it (threads.proposal_id, one at most).
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const column of ['edited_at', 'locked_at', 'pinned_at', 'proposal_id'])
    await db.schema.alterTable('threads').addColumn(column, 'text').execute();
  await db.schema
    .createIndex('threads_proposal')
    .on('threads')
    .column('proposal_id')
    .unique()
    .execute();
  // hidden_body keeps a hidden comment's text away from pages and search, for an unhide.
  for (const column of ['edited_at', 'deleted_at', 'hidden_at', 'hidden_reason', 'hidden_body'])
    await db.schema.alterTable('comments').addColumn(column, 'text').execute();

  await db.schema
    .createTable('post_edits')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('post_kind', 'text', (c) => c.notNull())
    .addColumn('post_id', 'text', (c) => c.notNull())
    // The text as it was before the edit (a comment's title is null).
    .addColumn('title', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('replaced_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('post_edits_post')
    .on('post_edits')
    .columns(['post_id', 'id'])
    .execute();

  await db.schema
    .createTable('moderation_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('commune_id', 'text', (c) => c.notNull())
    .addColumn('thread_id', 'text', (c) => c.notNull())
    .addColumn('comment_id', 'text')
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('moderation_log_commune')
    .on('moderation_log')
    .columns(['commune_id', 'id'])
    .execute();

  await db.schema
    .createTable('thread_reads')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('thread_id', 'text', (c) => c.notNull())
    // The newest comment the person has seen (ids are time-ordered); null: only the thread.
    .addColumn('last_seen', 'text')
    .addColumn('read_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('thread_reads_pk', ['account_id', 'thread_id'])
    .execute();

  // A page shows whether its thread is edited, locked or pinned: those bump the version too
  // (comments' new columns are covered by 0004's trigger on any update of a comment).
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql
      .raw(
        `create or replace function threads_bump_on_edit() returns trigger language plpgsql as $$
     begin
       if (new.commune_id, new.author_id, new.title, new.body, new.html, new.created_at,
           new.edited_at, new.locked_at, new.pinned_at)
          is distinct from
          (old.commune_id, old.author_id, old.title, old.body, old.html, old.created_at,
           old.edited_at, old.locked_at, old.pinned_at) then
         new.version := old.version + 1;
       end if;
       return new;
     end $$`,
      )
      .execute(db);
  } else {
    await sql
      .raw(
        `create trigger threads_state_bumps_thread after update of edited_at, locked_at, pinned_at
       on threads begin update threads set version = version + 1 where id = new.id; end`,
      )
      .execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('thread_reads').execute();
  await db.schema.dropTable('moderation_log').execute();
  await db.schema.dropTable('post_edits').execute();
}
