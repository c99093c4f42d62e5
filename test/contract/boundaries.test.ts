// The context boundary below the import level (ADR 0013): a repository names only its own
// context's tables; reads that join another context's tables live in read-only `*.view.ts`.
import assert from 'node:assert/strict';
import { globSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { availableDatabases, openTestDatabase } from '../../src/db/testing.ts';
import { TABLE_CONTEXT } from '../../src/db/tables.ts';
import { sqlIn, tablesNamed, writesIn } from '../support/boundaries.ts';

const TABLES: ReadonlySet<string> = new Set(Object.keys(TABLE_CONTEXT));
const ownerOf = (table: string): string => TABLE_CONTEXT[table as keyof typeof TABLE_CONTEXT];
const contextOf = (file: string): string => file.split('/')[1]!;
const files = (pattern: string): string[] => globSync(pattern).sort();
// Asked before the scans below, which hold the event loop for seconds on a busy machine.
const databases = await availableDatabases();

describe('context boundaries', () => {
  it('a repository names only its own context’s tables', () => {
    const repositories = files('src/**/*.repository.ts');
    assert.ok(repositories.length >= 10, `found ${repositories.length} repositories`);
    const leaks = new Set<string>();
    for (const file of repositories) {
      const context = contextOf(file);
      for (const f of tablesNamed(readFileSync(file, 'utf8'), file, TABLES))
        if (ownerOf(f.found) !== context)
          leaks.add(`${file}:${f.line} names ${ownerOf(f.found)}'s table ${f.found}`);
    }
    assert.deepEqual(
      [...leaks],
      [],
      'A repository may query only its own context’s tables (src/db/tables.ts). Move a read ' +
        'that joins another context into a *.view.ts, or ask identity for handles by id.',
    );
  });

  it('SQL runs only in repositories and views', () => {
    const elsewhere = files('src/**/*.ts').filter(
      // Fixtures are test support: they may write rows straight into tables.
      (f) => !/\.(repository|view|test|fixtures)\.ts$/.test(f) && !f.startsWith('src/db/'),
    );
    const found = elsewhere.flatMap((file) =>
      sqlIn(readFileSync(file, 'utf8'), file).map((f) => `${file}:${f.line} ${f.found}`),
    );
    assert.deepEqual(found, [], 'SQL belongs in a *.repository.ts or a *.view.ts (ADR 0013).');
  });

  it('a read view only reads', () => {
    const views = files('src/**/*.view.ts');
    const writes = views.flatMap((file) =>
      writesIn(readFileSync(file, 'utf8'), file).map((f) => `${file}:${f.line} ${f.found}`),
    );
    assert.deepEqual(writes, [], 'Views are read-only: writes go through a repository.');
  });

  it('the scanner sees Kysely names and raw SQL, not comments', () => {
    const source = [
      '// joins accounts in a comment only',
      "db.selectFrom('threads').innerJoin('accounts as a', 'a.id', 'threads.author_id')",
      "  .select(['communes.handle']);",
      'sql`select 1 from memberships m left join filters f on true`;',
      "const word = 'votes are counted';",
    ].join('\n');
    const named = tablesNamed(source, 'x.ts', TABLES).map((f) => `${f.line}:${f.found}`);
    assert.deepEqual(named, [
      '2:threads',
      '2:accounts',
      '2:threads',
      '3:communes',
      '4:memberships',
      '4:filters',
    ]);
    const writes = [
      "db.insertInto('x')",
      'db.updateTable("x")',
      'tx.deleteFrom("x")',
      'sql`delete from x`',
      'sql`UPDATE x SET a = 1`',
      "db.selectFrom('x').select('updated_at')",
    ].map((line) => writesIn(line, 'x.ts').map((f) => f.found));
    assert.deepEqual(
      [
        "db.selectFrom('x')",
        'sql`select 1`.execute(db)',
        'sql<{ n: number }>`select 1`',
        "a.selectFromHere('x')",
      ].map((line) => sqlIn(line, 'x.ts').map((f) => f.found)),
      [['selectFrom'], ['sql`…`'], ['sql`…`'], []],
    );
    assert.deepEqual(writes, [
      ['insertInto'],
      ['updateTable'],
      ['deleteFrom'],
      ['delete from'],
      ['update x set'],
      [],
    ]);
  });
});

for (const { kind, skip } of databases)
  describe(`table owners on ${kind}`, () => {
    it(`every table the migrations create has an owner (${kind})`, { skip }, async () => {
      const handle = await openTestDatabase(kind);
      try {
        const { rows } =
          kind === 'sqlite'
            ? await sql<{ name: string; virtual: number }>`select name,
                coalesce(sql like 'create virtual table%', 0) as virtual from sqlite_master
                where type = 'table' and name not like 'sqlite_%'`.execute(handle.db)
            : await sql<{ name: string; virtual: number }>`select table_name as name,
                0 as virtual from information_schema.tables
                where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(
                handle.db,
              );
        // SQLite keeps a full-text table's index in shadow tables named after it.
        const virtual = rows.filter((r) => Number(r.virtual) === 1).map((r) => r.name);
        const shadow = (n: string) =>
          virtual.some(
            (v) =>
              n.startsWith(v) && /^_(config|content|data|docsize|idx)$/.test(n.slice(v.length)),
          );
        const names = rows.map((r) => r.name).filter((n) => !n.startsWith('kysely_'));
        assert.ok(names.includes('accounts'), `no accounts table among ${names.join(', ')}`);
        const unowned = names.filter((n) => !shadow(n) && !TABLES.has(n));
        assert.deepEqual(unowned, [], 'Give each table an owner in src/db/tables.ts');
      } finally {
        await handle.destroy();
      }
    });
  });
