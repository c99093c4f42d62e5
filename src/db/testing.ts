import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { SCHEMA_CHANGE_LOCK, migrateHandle, migrateToLatest } from './migrate.ts';
import { openDatabase, type DbHandle } from './database.ts';

export const TEST_POSTGRES_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export type DatabaseKind = 'sqlite' | 'postgres';

let sqliteTemplate: Promise<string> | undefined;
/**
 * One migrated SQLite file per test process, copied for each database a test opens: tests
 * that each build their own fixtures then do not pay for the migrations every time.
 */
function migratedSqliteFile(): Promise<string> {
  sqliteTemplate ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'commune-template-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'template.db');
    const handle = openDatabase(`sqlite:${file}`);
    await migrateToLatest(handle.db as never);
    // Closing checkpoints the WAL into the file, so the file alone is the whole database.
    await handle.destroy();
    return file;
  })();
  return sqliteTemplate;
}

/** A migrated SQLite file database in a fresh temporary folder. */
export async function openTestSqlite(): Promise<DbHandle> {
  const dir = mkdtempSync(join(tmpdir(), 'commune-test-'));
  copyFileSync(await migratedSqliteFile(), join(dir, 'test.db'));
  const handle = openDatabase(`sqlite:${join(dir, 'test.db')}`);
  return {
    ...handle,
    destroy: async () => {
      await handle.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let postgresReachable: Promise<boolean> | undefined;
export function isPostgresReachable(): Promise<boolean> {
  postgresReachable ??= (async () => {
    const client = new pg.Client({
      connectionString: TEST_POSTGRES_URL,
      connectionTimeoutMillis: 2000,
    });
    try {
      await client.connect();
      await client.end();
      return true;
    } catch {
      return false;
    }
  })();
  return postgresReachable;
}

/** A migrated PostgreSQL schema of its own, dropped on destroy. */
export async function openTestPostgres(poolSize = 10): Promise<DbHandle & { schema: string }> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const handle = openDatabase(TEST_POSTGRES_URL, { schema, poolSize });
  await migrateHandle(handle);
  return {
    ...handle,
    schema,
    destroy: async () => {
      await handle.destroy();
      const c = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await c.connect();
      // Exclusive: no migration elsewhere may be scanning the catalog while a schema goes.
      await c.query('select pg_advisory_lock($1)', [SCHEMA_CHANGE_LOCK]);
      await c.query(`DROP SCHEMA ${schema} CASCADE`);
      await c.end();
    },
  };
}

/**
 * Which databases a suite runs on. PostgreSQL may be missing locally (skipped with a loud
 * notice) but never under CI=true, where its absence fails the run.
 */
export async function availableDatabases(): Promise<
  { kind: DatabaseKind; skip: string | false }[]
> {
  const reachable = await isPostgresReachable();
  if (!reachable && process.env.CI === 'true')
    throw new Error(`CI=true but PostgreSQL is not reachable at ${TEST_POSTGRES_URL}`);
  if (!reachable)
    console.warn(
      `\n*** PostgreSQL not reachable at ${TEST_POSTGRES_URL}: PostgreSQL tests are SKIPPED ***\n`,
    );
  return [
    { kind: 'sqlite', skip: false },
    { kind: 'postgres', skip: reachable ? false : 'PostgreSQL not reachable' },
  ];
}

export const openTestDatabase = (kind: DatabaseKind): Promise<DbHandle> =>
  kind === 'sqlite' ? openTestSqlite() : openTestPostgres();
