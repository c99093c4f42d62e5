import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { NodeSqliteDialect, openSqlite } from './node-sqlite-dialect.ts';
import type { Database } from './schema.ts';

export type Dialect = 'sqlite' | 'postgres';
export type Db = Kysely<Database>;
export type DbHandle = { db: Db; dialect: Dialect; destroy: () => Promise<void> };

export type OpenOptions = { schema?: string; poolSize?: number };

export function openDatabase(url: string, options: OpenOptions = {}): DbHandle {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const db = new Kysely<Database>({ dialect: new NodeSqliteDialect(openSqlite(path)) });
    return { db, dialect: 'sqlite', destroy: () => db.destroy() };
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', destroy: () => db.destroy() };
}

/** True when the error is a unique-constraint violation on either database. */
export function isUniqueViolation(e: unknown): boolean {
  const x = e as { code?: string; errcode?: string; message?: string };
  return x?.code === '23505' || /UNIQUE constraint failed/.test(x?.message ?? '');
}
