import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { NodeSqliteDialect, openSqlite } from './node-sqlite-dialect.ts';
import type { Database } from './schema.ts';

export type Dialect = 'sqlite' | 'postgres';
export type Db = Kysely<Database>;
export type DbHandle = {
  db: Db;
  dialect: Dialect;
  destroy: () => Promise<void>;
  /** PostgreSQL: a connection outside the pool, with the pool's settings (live updates LISTEN on it). */
  listenClient?: () => pg.Client;
};

export type OpenOptions = { schema?: string; poolSize?: number };

// Statement texts the hot paths run again and again, by name: each PostgreSQL connection
// parses and plans them once (node-postgres named statements), then only binds values.
const named = new Map<string, string>();

/** Marks a fixed SQL text as prepared on PostgreSQL; returns the text unchanged. */
export function preparedStatement(text: string): string {
  if (!named.has(text)) named.set(text, `commune_${named.size + 1}`);
  return text;
}

type Query = (config: unknown, values?: unknown) => unknown;

/** Routes a registered text through its named statement; Kysely passes (text, values). */
function useNamedStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as Query;
  const routed: Query = (config, values) => {
    const name = typeof config === 'string' ? named.get(config) : undefined;
    return name ? query({ name, text: config, values }) : query(config, values);
  };
  (client as unknown as { query: Query }).query = routed;
}

export function openDatabase(url: string, options: OpenOptions = {}): DbHandle {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const db = new Kysely<Database>({ dialect: new NodeSqliteDialect(openSqlite(path)) });
    return { db, dialect: 'sqlite', destroy: () => db.destroy() };
  }
  const settings = {
    connectionString: url,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  };
  const pool = new pg.Pool({ ...settings, max: options.poolSize ?? 10 });
  pool.on('connect', useNamedStatements);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: 'postgres',
    destroy: () => db.destroy(),
    listenClient: () =>
      new pg.Client({ ...settings, application_name: 'commune-live', keepAlive: true }),
  };
}

/** True when the error is a unique-constraint violation on either database. */
export function isUniqueViolation(e: unknown): boolean {
  const x = e as { code?: string; errcode?: string; message?: string };
  return x?.code === '23505' || /UNIQUE constraint failed/.test(x?.message ?? '');
}
