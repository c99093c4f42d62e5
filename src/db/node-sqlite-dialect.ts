import { DatabaseSync, type StatementSync, type SQLInputValue } from 'node:sqlite';
import {
  CompiledQuery,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type SqliteDatabase,
  type SqliteStatement,
} from 'kysely';

// No published Kysely dialect targets node:sqlite; Kysely's SQLite dialect expects
// better-sqlite3's shape, so this adapts DatabaseSync to it and caches prepared statements.

type Param = SQLInputValue | boolean | undefined;
const toSqlite = (params: readonly unknown[]): SQLInputValue[] =>
  params.map((p) => {
    const v = p as Param;
    if (v === undefined) return null;
    if (typeof v === 'boolean') return v ? 1 : 0;
    return v;
  });

/**
 * A prepared statement kept for reuse. Readers return rows as arrays, which node:sqlite makes
 * faster than objects, and get their column names once here; rows are then built in JS
 * (about 15% less time for a page of rows). Same shape as node:sqlite's objects: a later
 * duplicate column wins. A column named __proto__ keeps node:sqlite's own objects.
 */
class CachedStatement implements SqliteStatement {
  readonly reader: boolean;
  readonly #stmt: StatementSync;
  readonly #names: readonly string[] | null;
  constructor(stmt: StatementSync) {
    this.#stmt = stmt;
    const names = stmt.columns().map((c) => c.name);
    this.reader = names.length > 0;
    this.#names = this.reader && !names.includes('__proto__') ? names : null;
    if (this.#names) stmt.setReturnArrays(true);
  }
  #toRow = (values: readonly unknown[]): Record<string, unknown> => {
    const names = this.#names!;
    const row: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i += 1) row[names[i]!] = values[i];
    return row;
  };
  all(parameters: readonly unknown[]): unknown[] {
    const rows = this.#stmt.all(...toSqlite(parameters)) as unknown[];
    return this.#names ? (rows as unknown[][]).map(this.#toRow) : rows;
  }
  run(parameters: readonly unknown[]): {
    changes: number | bigint;
    lastInsertRowid: number | bigint;
  } {
    return this.#stmt.run(...toSqlite(parameters));
  }
  *iterate(parameters: readonly unknown[]): IterableIterator<unknown> {
    const rows = this.#stmt.iterate(...toSqlite(parameters)) as IterableIterator<unknown>;
    if (!this.#names) return yield* rows;
    for (const values of rows) yield this.#toRow(values as unknown[]);
  }
}

const CACHE_SIZE = 500;

export function adaptDatabaseSync(db: DatabaseSync): SqliteDatabase {
  const cache = new Map<string, CachedStatement>();
  return {
    close: () => db.close(),
    prepare(sql: string): SqliteStatement {
      let stmt = cache.get(sql);
      if (!stmt) {
        stmt = new CachedStatement(db.prepare(sql));
        if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
        cache.set(sql, stmt);
      }
      return stmt;
    },
  };
}

/** Opens a file database in WAL mode with foreign keys on. */
export function openSqlite(path: string): DatabaseSync {
  const db = new DatabaseSync(path);
  db.exec('PRAGMA journal_mode = WAL');
  // FULL: a 201 must survive kill -9 and power loss (docs/adr/0003-sqlite-durability.md).
  db.exec('PRAGMA synchronous = FULL');
  db.exec('PRAGMA foreign_keys = ON');
  db.exec('PRAGMA busy_timeout = 5000');
  // Reads that hop between tables by key (a ranked search joins thousands of candidates)
  // stay in memory: 64 MiB of page cache (allocated as used; the default is 2 MiB), and
  // the file mapped rather than copied through read() calls.
  db.exec('PRAGMA cache_size = -65536');
  db.exec('PRAGMA mmap_size = 1073741824');
  // SQLite's lower() folds ASCII only; search applies word filters in SQL with the same
  // folding as foldCase() in src/discussions/filters.ts.
  db.function('fold_case', { deterministic: true }, (s) =>
    typeof s === 'string' ? s.normalize('NFC').toLowerCase() : s,
  );
  return db;
}

/** Writers take the lock at BEGIN so a transaction never fails half-way on SQLITE_BUSY. */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

export class NodeSqliteDialect extends SqliteDialect {
  readonly #database: SqliteDatabase;
  constructor(db: DatabaseSync) {
    const database = adaptDatabaseSync(db);
    super({ database });
    this.#database = database;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver({ database: this.#database });
  }
}
