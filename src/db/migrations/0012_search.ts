import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Search (src/search, docs/adr/0016-search.md): one table of searchable documents, one row
// per live item, thread and comment, kept by triggers on those tables in the writing
// transaction itself, so no other context calls search code and nothing can drift.
// SQLite indexes it with FTS5 (external content: the index holds no second copy of the
// text); PostgreSQL with a stored tsvector column and a GIN index. Deleted items (tombstones)
// have no document. Snippets are marked with \x02 … \x03, which documents never contain:
// the triggers strip them, so every marker a snippet carries is ours.
// `scope` holds tokens that narrow a match before anything is ranked: `c<commune id>` on
// every document, and `pub` on those anyone may find (a public commune's threads, comments
// and public items). They only narrow: the permission rule itself runs in the query
// (src/search/search.view.ts). Changing a commune's visibility rewrites its documents' scope.
export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('search_docs')
    .addColumn('id', postgres ? 'bigserial' : 'integer', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('ref_id', 'text', (c) => c.notNull())
    .addColumn('commune_id', 'text', (c) => c.notNull())
    // The thread itself, or a comment's thread: thread filters hide both.
    .addColumn('thread_id', 'text')
    .addColumn('author_id', 'text')
    // Fediverse commenters have no account; their address is their handle.
    .addColumn('author_handle', 'text')
    .addColumn('kind', 'text')
    .addColumn('tags', 'text')
    .addColumn('visibility', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('search_docs_ref')
    .unique()
    .on('search_docs')
    .columns(['ref_id', 'type'])
    .execute();
  await db.schema.createIndex('search_docs_thread').on('search_docs').column('thread_id').execute();
  if (postgres) await postgresIndex(db);
  else await sqliteIndex(db);
}

export const docColumns = `type, ref_id, commune_id, thread_id, author_id, author_handle, kind, tags,
  visibility, title, body, created_at, scope`;

/** The scope tokens of a document (the same SQL on both databases). */
export const scopeOf = (communeId: string, type: string, visibility: string) =>
  `'c' || replace(${communeId}, '-', '') || case when
    (select sc.visibility from communes sc where sc.id = ${communeId}) = 'public'
    and (${type} <> 'item' or ${visibility} = 'public') then ' pub' else '' end`;
const rescope = `scope = ${scopeOf('search_docs.commune_id', 'search_docs.type', 'search_docs.visibility')}`;

export const sqliteClean = (x: string) => `replace(replace(${x}, char(2), ''), char(3), '')`;
export const sqliteDocs = {
  item: `select 'item', i.id, i.commune_id, null, i.author_id, null, i.kind, i.tags,
    i.visibility, ${sqliteClean('i.title')}, ${sqliteClean('i.body')}, i.created_at,
    ${scopeOf('i.commune_id', "'item'", 'i.visibility')}`,
  thread: `select 'thread', t.id, t.commune_id, t.id, t.author_id, null, null, null, null,
    ${sqliteClean('t.title')}, ${sqliteClean('t.body')}, t.created_at,
    ${scopeOf('t.commune_id', "'thread'", 'null')}`,
  comment: `select 'comment', k.id, t.commune_id, k.thread_id, k.author_id,
    k.author_handle, null, null, null, '', ${sqliteClean('k.body')}, k.created_at,
    ${scopeOf('t.commune_id', "'comment'", 'null')}`,
};

/** Documents for every live item, thread and comment (also what the benchmark builds from). */
export const sqliteBackfill = (): string[] => [
  `insert into search_docs(${docColumns}) ${sqliteDocs.item} from items i
     where i.deleted_at is null`,
  `insert into search_docs(${docColumns}) ${sqliteDocs.thread} from threads t`,
  `insert into search_docs(${docColumns}) ${sqliteDocs.comment}
     from comments k join threads t on t.id = k.thread_id`,
];

async function sqliteIndex(db: Kysely<unknown>): Promise<void> {
  const clean = sqliteClean;
  const { item, thread, comment } = sqliteDocs;
  const statements = [
    `create virtual table search_fts using fts5(title, body, scope, content='search_docs',
       content_rowid='id', tokenize='porter unicode61')`,
    // A title word counts five times a body word; scope tokens count for nothing.
    `insert into search_fts(search_fts, rank) values ('rank', 'bm25(5.0, 1.0, 0.0)')`,
    `create trigger search_docs_insert after insert on search_docs begin
       insert into search_fts(rowid, title, body, scope)
         values (new.id, new.title, new.body, new.scope); end`,
    `create trigger search_docs_delete after delete on search_docs begin
       insert into search_fts(search_fts, rowid, title, body, scope)
         values ('delete', old.id, old.title, old.body, old.scope); end`,
    `create trigger search_docs_update after update of title, body, scope on search_docs begin
       insert into search_fts(search_fts, rowid, title, body, scope)
         values ('delete', old.id, old.title, old.body, old.scope);
       insert into search_fts(rowid, title, body, scope)
         values (new.id, new.title, new.body, new.scope); end`,
    `create trigger communes_search_scope after update of visibility on communes
       when old.visibility is not new.visibility begin
       update search_docs set ${rescope} where commune_id = new.id; end`,

    `create trigger items_search_insert after insert on items when new.deleted_at is null begin
       insert into search_docs(${docColumns}) ${item} from items i where i.id = new.id; end`,
    // Every edit rewrites the document; deletion leaves none.
    `create trigger items_search_update after update on items begin
       delete from search_docs where ref_id = old.id and type = 'item';
       insert into search_docs(${docColumns}) ${item} from items i
         where i.id = new.id and i.deleted_at is null; end`,
    `create trigger items_search_delete after delete on items begin
       delete from search_docs where ref_id = old.id and type = 'item'; end`,

    `create trigger threads_search_insert after insert on threads begin
       insert into search_docs(${docColumns}) ${thread} from threads t where t.id = new.id; end`,
    `create trigger threads_search_update after update of title, body, commune_id, author_id
       on threads begin
       update search_docs set title = ${clean('new.title')}, body = ${clean('new.body')},
         commune_id = new.commune_id, author_id = new.author_id
         where ref_id = new.id and type = 'thread';
       update search_docs set commune_id = new.commune_id
         where thread_id = new.id and type = 'comment';
       update search_docs set ${rescope} where thread_id = new.id; end`,
    `create trigger threads_search_delete after delete on threads begin
       delete from search_docs where ref_id = old.id and type = 'thread'; end`,

    `create trigger comments_search_insert after insert on comments begin
       insert into search_docs(${docColumns}) ${comment}
         from comments k join threads t on t.id = k.thread_id where k.id = new.id; end`,
    `create trigger comments_search_update after update of body, thread_id, author_id,
       author_handle on comments begin
       delete from search_docs where ref_id = old.id and type = 'comment';
       insert into search_docs(${docColumns}) ${comment}
         from comments k join threads t on t.id = k.thread_id where k.id = new.id; end`,
    `create trigger comments_search_delete after delete on comments begin
       delete from search_docs where ref_id = old.id and type = 'comment'; end`,
  ];
  for (const s of statements) await sql.raw(s).execute(db);
  // What was written before this migration.
  for (const s of sqliteBackfill()) await sql.raw(s).execute(db);
}

const postgresClean = (x: string) => `translate(${x}, E'\\x02\\x03', '')`;
const postgresDocs = {
  item: (r: string) => `select 'item', ${r}.id, ${r}.commune_id, null, ${r}.author_id,
    null, ${r}.kind, ${r}.tags, ${r}.visibility, ${postgresClean(`${r}.title`)},
    ${postgresClean(`${r}.body`)}, ${r}.created_at,
    ${scopeOf(`${r}.commune_id`, "'item'", `${r}.visibility`)}`,
  thread: (r: string) => `select 'thread', ${r}.id, ${r}.commune_id, ${r}.id,
    ${r}.author_id, null, null, null, null, ${postgresClean(`${r}.title`)},
    ${postgresClean(`${r}.body`)}, ${r}.created_at, ${scopeOf(`${r}.commune_id`, "'thread'", 'null')}`,
  comment: (r: string) => `select 'comment', ${r}.id, t.commune_id, ${r}.thread_id,
    ${r}.author_id, ${r}.author_handle, null, null, null, '', ${postgresClean(`${r}.body`)},
    ${r}.created_at, ${scopeOf('t.commune_id', "'comment'", 'null')}`,
};

/** Documents for every live item, thread and comment (also what the benchmark builds from). */
export const postgresBackfill = (): string[] => [
  `insert into search_docs(${docColumns}) ${postgresDocs.item('i')} from items i
     where i.deleted_at is null`,
  `insert into search_docs(${docColumns}) ${postgresDocs.thread('t')} from threads t`,
  `insert into search_docs(${docColumns}) ${postgresDocs.comment('k')}
     from comments k join threads t on t.id = k.thread_id`,
];

async function postgresIndex(db: Kysely<unknown>): Promise<void> {
  const clean = postgresClean;
  const { item, thread, comment } = postgresDocs;
  const statements = [
    // A title word weighs more than a body word (A over B in ts_rank_cd). Scope tokens have
    // their own column, never stemmed and never reached by what a person types.
    `alter table search_docs add column tsv tsvector generated always as
       (setweight(to_tsvector('english'::regconfig, title), 'A') ||
        setweight(to_tsvector('english'::regconfig, body), 'B')) stored`,
    `alter table search_docs add column scope_tsv tsvector generated always as
       (to_tsvector('simple'::regconfig, scope)) stored`,
    `create index search_docs_scope on search_docs using gin (scope_tsv)`,
    `create index search_docs_tsv on search_docs using gin (tsv)`,

    `create function items_search() returns trigger language plpgsql as $$
     begin
       if tg_op <> 'INSERT' then
         delete from search_docs where ref_id = old.id and type = 'item';
       end if;
       if tg_op <> 'DELETE' and new.deleted_at is null then
         insert into search_docs(${docColumns}) ${item('new')};
       end if;
       return null;
     end $$`,
    `create trigger items_search after insert or update or delete on items
       for each row execute function items_search()`,

    `create function threads_search() returns trigger language plpgsql as $$
     begin
       if tg_op = 'INSERT' then
         insert into search_docs(${docColumns}) ${thread('new')};
       elsif tg_op = 'DELETE' then
         delete from search_docs where ref_id = old.id and type = 'thread';
       elsif (new.title, new.body, new.commune_id, new.author_id) is distinct from
             (old.title, old.body, old.commune_id, old.author_id) then
         update search_docs set title = ${clean('new.title')}, body = ${clean('new.body')},
           commune_id = new.commune_id, author_id = new.author_id
           where ref_id = new.id and type = 'thread';
         update search_docs set commune_id = new.commune_id
           where thread_id = new.id and type = 'comment';
         update search_docs set ${rescope} where thread_id = new.id;
       end if;
       return null;
     end $$`,
    `create trigger threads_search after insert or update or delete on threads
       for each row execute function threads_search()`,

    `create function comments_search() returns trigger language plpgsql as $$
     begin
       if tg_op = 'UPDATE' and (new.body, new.thread_id, new.author_id, new.author_handle)
            is not distinct from (old.body, old.thread_id, old.author_id, old.author_handle) then
         return null;
       end if;
       if tg_op <> 'INSERT' then
         delete from search_docs where ref_id = old.id and type = 'comment';
       end if;
       if tg_op <> 'DELETE' then
         insert into search_docs(${docColumns}) ${comment('new')}
           from threads t where t.id = new.thread_id;
       end if;
       return null;
     end $$`,
    `create trigger comments_search after insert or update or delete on comments
       for each row execute function comments_search()`,

    `create function communes_search_scope() returns trigger language plpgsql as $$
     begin
       update search_docs set ${rescope} where commune_id = new.id;
       return null;
     end $$`,
    `create trigger communes_search_scope after update of visibility on communes for each row
       when (old.visibility is distinct from new.visibility)
       execute function communes_search_scope()`,
  ];
  for (const s of statements) await sql.raw(s).execute(db);
  for (const s of postgresBackfill()) await sql.raw(s).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  if (postgres) {
    for (const t of ['items', 'threads', 'comments']) {
      await sql.raw(`drop trigger if exists ${t}_search on ${t}`).execute(db);
      await sql.raw(`drop function if exists ${t}_search()`).execute(db);
    }
  } else {
    for (const t of ['items', 'threads', 'comments'])
      for (const op of ['insert', 'update', 'delete'])
        await sql.raw(`drop trigger if exists ${t}_search_${op}`).execute(db);
    await sql.raw('drop table if exists search_fts').execute(db);
  }
  await db.schema.dropTable('search_docs').execute();
}
