import { PostgresAdapter, sql, type Kysely } from 'kysely';
import { docColumns, scopeOf, sqliteClean, sqliteDocs } from './0012_search.ts';

// Search narrows to what a reader could see without paying for the whole corpus
// (docs/adr/0016-search.md, "Scope"). Migration 0012 did it with scope tokens in the match,
// which made each query walk the posting list of `pub` (every public document): on SQLite
// bm25 counts the documents of every phrase of the match; on PostgreSQL the two GIN indexes
// were read in full and intersected.
// - SQLite: documents anyone may find live in their own rowid range (PUBLIC_ROWIDS and up),
//   so public matches are a rowid range of the FTS5 index, never a phrase. The low part of a
//   rowid is unique across both ranges, so moving a document between them is ± PUBLIC_ROWIDS.
// - PostgreSQL: the scope tokens become lexemes of `tsv` itself ('#pub', '#c<id>': '#' never
//   survives the parser, so nobody can type them), one GIN index, and one tsquery
//   `words && scopes` that GIN's fast scan answers from the rarer side.

/** Where the rowids of documents anyone may find start (SQLite). */
export const PUBLIC_ROWIDS = 2 ** 40;

const isPublic = (scope: string) => `(${scope} like '% pub')`;

/** The next free low part of a rowid, across both ranges (one row at a time: triggers). */
const nextLow = `(1 + max(
  coalesce((select max(id) from search_docs where id < ${PUBLIC_ROWIDS}), 0),
  coalesce((select max(id) from search_docs where id >= ${PUBLIC_ROWIDS}) - ${PUBLIC_ROWIDS}, 0)))`;

/** Inserts one document selected by `docs` (its last column named `s`, the scope). */
const insertDoc = (docs: string) => `insert into search_docs(id, ${docColumns})
  select case when ${isPublic('x.s')} then ${PUBLIC_ROWIDS} else 0 end + ${nextLow}, x.*
  from (${docs}) x`;

const sqliteRescope = (() => {
  const scope = scopeOf('search_docs.commune_id', 'search_docs.type', 'search_docs.visibility');
  return `scope = ${scope}, id = id % ${PUBLIC_ROWIDS}
    + case when ${isPublic(`(${scope})`)} then ${PUBLIC_ROWIDS} else 0 end`;
})();

/** Moves documents anyone may find into their range (0012 numbered them from 1). */
export const sqliteRenumber = (): string[] => [
  `update search_docs set id = id + ${PUBLIC_ROWIDS}
     where id < ${PUBLIC_ROWIDS} and ${isPublic('scope')}`,
  `insert into search_fts(search_fts) values ('rebuild')`,
];

const { item, thread, comment } = sqliteDocs;
const SQLITE_TRIGGERS = [
  `create trigger search_docs_update after update of id, title, body, scope on search_docs begin
     insert into search_fts(search_fts, rowid, title, body, scope)
       values ('delete', old.id, old.title, old.body, old.scope);
     insert into search_fts(rowid, title, body, scope)
       values (new.id, new.title, new.body, new.scope); end`,
  `create trigger communes_search_scope after update of visibility on communes
     when old.visibility is not new.visibility begin
     update search_docs set ${sqliteRescope} where commune_id = new.id; end`,
  `create trigger items_search_insert after insert on items when new.deleted_at is null begin
     ${insertDoc(`${item} as s from items i where i.id = new.id`)}; end`,
  `create trigger items_search_update after update on items begin
     delete from search_docs where ref_id = old.id and type = 'item';
     ${insertDoc(`${item} as s from items i where i.id = new.id and i.deleted_at is null`)}; end`,
  `create trigger threads_search_insert after insert on threads begin
     ${insertDoc(`${thread} as s from threads t where t.id = new.id`)}; end`,
  `create trigger threads_search_update after update of title, body, commune_id, author_id
     on threads begin
     update search_docs set title = ${sqliteClean('new.title')}, body = ${sqliteClean('new.body')},
       commune_id = new.commune_id, author_id = new.author_id
       where ref_id = new.id and type = 'thread';
     update search_docs set commune_id = new.commune_id
       where thread_id = new.id and type = 'comment';
     update search_docs set ${sqliteRescope} where thread_id = new.id; end`,
  `create trigger comments_search_insert after insert on comments begin
     ${insertDoc(`${comment} as s from comments k join threads t on t.id = k.thread_id
       where k.id = new.id`)}; end`,
  `create trigger comments_search_update after update of body, thread_id, author_id,
     author_handle on comments begin
     delete from search_docs where ref_id = old.id and type = 'comment';
     ${insertDoc(`${comment} as s from comments k join threads t on t.id = k.thread_id
       where k.id = new.id`)}; end`,
];
const REPLACED = SQLITE_TRIGGERS.map((s) => /create trigger (\w+)/.exec(s)![1]!);

/** The `tsv` of migration 0020: title (A), body (B) and the scope tokens as '#' lexemes. */
const TSV = `setweight(to_tsvector('english'::regconfig, title), 'A') ||
  setweight(to_tsvector('english'::regconfig, body), 'B') ||
  array_to_tsvector(string_to_array('#' || replace(scope, ' ', ' #'), ' '))`;
/** The GIN index over it (the benchmark builds it after loading, as a backfill would). */
export const POSTGRES_INDEX = `create index search_docs_tsv on search_docs using gin (tsv)`;

export async function up(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    for (const s of [
      `alter table search_docs drop column scope_tsv`,
      `alter table search_docs drop column tsv`,
      `alter table search_docs add column tsv tsvector generated always as (${TSV}) stored`,
      POSTGRES_INDEX,
    ])
      await sql.raw(s).execute(db);
    return;
  }
  // SQLite runs migrations outside a transaction: this one is all or nothing.
  await sql`BEGIN`.execute(db);
  try {
    for (const name of REPLACED) await sql.raw(`drop trigger if exists ${name}`).execute(db);
    // Renumbered with no trigger in the way, then indexed again in one pass.
    for (const s of [...sqliteRenumber(), ...SQLITE_TRIGGERS]) await sql.raw(s).execute(db);
    await sql`COMMIT`.execute(db);
  } catch (e) {
    await sql`ROLLBACK`.execute(db);
    throw e;
  }
}

export async function down(): Promise<void> {
  // Migration 0012's layout cannot be told apart from data once documents moved; no way back.
}
