import { PostgresAdapter, sql, type Kysely } from 'kysely';

// threads.version counts every change to what a thread page shows apart from the commune's
// visibility and the reader's role: the thread row, its comments, and the names and handles
// of their authors. Processes keep thread pages in memory and check this one integer on
// each read (src/discussions/thread-pages.ts), so it must move on every such write, by any
// process or code path: triggers bump it in the writing transaction itself.
// Renames are rare, so a rename bumps every thread the person wrote in (indexed below).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('threads')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('threads_author').on('threads').column('author_id').execute();
  await db.schema
    .createIndex('comments_author')
    .on('comments')
    .columns(['author_id', 'thread_id'])
    .execute();
  if (db.getExecutor().adapter instanceof PostgresAdapter) await postgresTriggers(db);
  else await sqliteTriggers(db);
}

const THREAD_CONTENT = 'commune_id, author_id, title, body, html, created_at';

async function sqliteTriggers(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `create trigger comments_insert_bumps_thread after insert on comments begin
       update threads set version = version + 1 where id = new.thread_id; end`,
    `create trigger comments_update_bumps_thread after update on comments begin
       update threads set version = version + 1 where id in (old.thread_id, new.thread_id); end`,
    `create trigger comments_delete_bumps_thread after delete on comments begin
       update threads set version = version + 1 where id = old.thread_id; end`,
    // Recursive triggers are off and version is not in the column list, so this fires once.
    `create trigger threads_edit_bumps_thread after update of ${THREAD_CONTENT} on threads begin
       update threads set version = version + 1 where id = new.id; end`,
    `create trigger accounts_rename_bumps_threads after update of display_name, handle on accounts
       when old.display_name is not new.display_name or old.handle is not new.handle begin
       update threads set version = version + 1
         where author_id = new.id or id in (select thread_id from comments where author_id = new.id); end`,
  ];
  for (const s of statements) await sql.raw(s).execute(db);
}

async function postgresTriggers(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `create function comments_bump_thread() returns trigger language plpgsql as $$
     begin
       if tg_op <> 'INSERT' then update threads set version = version + 1 where id = old.thread_id; end if;
       if tg_op = 'INSERT' or (tg_op = 'UPDATE' and new.thread_id is distinct from old.thread_id) then
         update threads set version = version + 1 where id = new.thread_id;
       end if;
       return null;
     end $$`,
    `create trigger comments_bump_thread after insert or update or delete on comments
       for each row execute function comments_bump_thread()`,
    `create function threads_bump_on_edit() returns trigger language plpgsql as $$
     begin
       if (new.${THREAD_CONTENT.split(', ').join(', new.')}) is distinct from (old.${THREAD_CONTENT.split(', ').join(', old.')}) then
         new.version := old.version + 1;
       end if;
       return new;
     end $$`,
    `create trigger threads_bump_on_edit before update on threads for each row execute function threads_bump_on_edit()`,
    `create function accounts_rename_bumps_threads() returns trigger language plpgsql as $$
     begin
       update threads set version = version + 1
         where author_id = new.id or id in (select thread_id from comments where author_id = new.id);
       return null;
     end $$`,
    `create trigger accounts_rename_bumps_threads after update of display_name, handle on accounts
       for each row when (old.display_name is distinct from new.display_name or old.handle is distinct from new.handle)
       execute function accounts_rename_bumps_threads()`,
  ];
  for (const s of statements) await sql.raw(s).execute(db);
}
