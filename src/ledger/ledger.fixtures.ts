// Small factories and helpers shared by the ledger test files.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { freePort } from '../../bench/lib/server.ts';
import type { TestApp } from '../../test/support/app.ts';
import { createApp } from '../app.ts';
import { found, join } from '../communes/communes.fixtures.ts';
import { communesService } from '../communes/communes.service.ts';
import { loadConfig } from '../config.ts';
import { openDatabase, type DbHandle } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { TEST_POSTGRES_URL, openTestPostgres, type DatabaseKind } from '../db/testing.ts';
import { systemClock } from '../shared/clock.ts';
import { ledgerService } from './ledger.service.ts';

export const uuid = (): string => randomUUID();
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export type Members = { steward: string; tokens: Map<string, string>; communeId: string };

/**
 * The steward of each commune commune() founded, per app: the books are members' (ADR 0026),
 * so balances() and assertBooks() read them as its steward unless given another token.
 */
const founders = new WeakMap<TestApp, Map<string, string>>();
const reader = (t: TestApp, c: string, token: string | undefined) =>
  token ?? founders.get(t)?.get(c);

/**
 * Founds a commune with `handles[0]` as steward and the others as members; people are
 * created on first use. Private communes are joined through invites.
 */
export async function commune(
  t: TestApp,
  handle: string,
  handles: string[],
  overrides: Record<string, unknown> = {},
  people = new Map<string, string>(),
): Promise<Members> {
  for (const h of handles) if (!people.has(h)) people.set(h, await t.person(h));
  const steward = people.get(handles[0]!)!;
  const made = await found(t, steward, handle, overrides);
  if (!founders.has(t)) founders.set(t, new Map());
  founders.get(t)!.set(handle, steward);
  for (const h of handles.slice(1)) {
    const invite =
      overrides.visibility === 'private' || overrides.joinPolicy === 'invite'
        ? (await t.post(`/api/v1/communes/${handle}/invites`, {}, steward)).body.code
        : undefined;
    const r = await join(t, people.get(h)!, handle, invite ? { inviteCode: invite } : {});
    assert.equal(r.status, 201, `join ${h}: ${JSON.stringify(r.body)}`);
  }
  return { steward, tokens: people, communeId: made.id };
}

export const pay = (
  t: TestApp,
  token: string | undefined,
  c: string,
  to: string,
  amount: unknown,
  extra: Record<string, unknown> = {},
) => t.post(`/api/v1/communes/${c}/transfers`, { id: uuid(), to, amount, ...extra }, token);

/** handle → balance, as the ledger shows it. */
export async function balances(
  t: TestApp,
  c: string,
  token?: string,
): Promise<Record<string, number>> {
  const r = await t.get(`/api/v1/communes/${c}/ledger`, reader(t, c, token));
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return Object.fromEntries(
    (r.body.accounts as { owner: string; balance: number }[]).map((a) => [a.owner, a.balance]),
  );
}

/** The books must balance: the audit route recomputes everything from the transfers. */
export async function assertBooks(t: TestApp, c: string, token?: string): Promise<void> {
  const r = await t.get(`/api/v1/communes/${c}/ledger/audit`, reader(t, c, token));
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(r.body.problems, []);
  assert.equal(r.body.sum, 0);
}

export type ChildServer = {
  url: string;
  child: ChildProcess;
  exited: Promise<void>;
  output: () => string;
  stop: () => Promise<void>;
};

/** `src/main.ts serve` as a child process on 127.0.0.1, ready when /healthz answers. */
export async function childServer(databaseUrl: string): Promise<ChildServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['src/main.ts', 'serve'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: url,
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let said = '';
  const keep = (b: Buffer) => {
    said = (said + b.toString('utf8')).slice(-8000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let gone = false;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => ((gone = true), resolve())),
  );
  // Generous: a Node process starting on a shared, busy machine can take tens of seconds.
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (gone) throw new Error(`server exited before it was ready:\n${said}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server not ready in 120 s:\n${said}`);
    }
    try {
      if ((await fetch(`${url}/healthz`)).status === 200) break;
    } catch {
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  return {
    url,
    child,
    exited,
    output: () => said,
    async stop() {
      if (!gone) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A JSON call against a running server. */
export async function http(
  url: string,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(url + path, {
    method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

export type Reply = { status: number; body: any }; // eslint-disable-line @typescript-eslint/no-explicit-any
export type Seeded = {
  /** What a child server's DATABASE_URL must be to use this database. */
  url: string;
  call: (method: string, path: string, body?: unknown, token?: string) => Promise<Reply>;
  person: (handle: string) => Promise<string>;
  /** Credit limits change by decision in the app; seeding sets them through the ledger service. */
  setLimit: (commune: string, owner: string, limit: number) => Promise<void>;
  close: () => Promise<void>;
};

/**
 * A migrated database that child servers can open by URL (a SQLite file, or a PostgreSQL
 * schema through search_path), with an in-process app to seed it cheaply.
 */
export async function seededDatabase(kind: DatabaseKind): Promise<Seeded> {
  let handle: DbHandle;
  let url: string;
  let dir: string | undefined;
  if (kind === 'sqlite') {
    dir = mkdtempSync(joinPath(tmpdir(), 'commune-ledger-'));
    url = `sqlite:${joinPath(dir, 'ledger.db')}`;
    handle = openDatabase(url);
    await migrateToLatest(handle.db as never);
  } else {
    const pg = await openTestPostgres(4);
    handle = pg;
    url = `${TEST_POSTGRES_URL}${TEST_POSTGRES_URL.includes('?') ? '&' : '?'}options=-c%20search_path%3D${pg.schema}`;
  }
  const config = loadConfig({ DATABASE_URL: url, SIGN_UPS_PER_HOUR: '100000' });
  if (!config.ok) throw new Error(config.error.message);
  const deps = {
    db: handle.db,
    dialect: handle.dialect,
    config: config.value,
    logger: pino({ level: 'silent' }),
    clock: systemClock,
    passwordCost: 10,
  };
  const app = createApp(deps);
  const ledger = ledgerService(deps);
  const communes = communesService(deps);
  async function call(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
  ): Promise<Reply> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await app.request(path, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }
  return {
    url,
    call,
    async person(h: string) {
      const password = `password-of-${h}`;
      assert.equal((await call('POST', '/api/v1/accounts', { handle: h, password })).status, 201);
      return (await call('POST', '/api/v1/sessions', { handle: h, password })).body.token as string;
    },
    async setLimit(commune: string, owner: string, limit: number) {
      const access = await communes.access(commune, null);
      assert.ok(access.ok);
      const r = await ledger.setCreditLimit(undefined, {
        communeId: access.value.communeId,
        owner,
        limit,
        by: null,
      });
      assert.ok(r.ok, JSON.stringify(r));
    },
    async close() {
      await handle.destroy();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Founds an open public commune on a seeded database; returns handle → token. */
export async function seedCommune(
  db: Seeded,
  handle: string,
  members: string[],
  limits: Record<string, number> = {},
): Promise<Map<string, string>> {
  const tokens = new Map<string, string>();
  for (const h of members) tokens.set(h, await db.person(h));
  const steward = tokens.get(members[0]!)!;
  const made = await db.call(
    'POST',
    '/api/v1/communes',
    {
      handle,
      name: handle,
      vision: 'Sharing',
      category: 'social',
      tags: [],
      joinPolicy: 'open',
      visibility: 'public',
    },
    steward,
  );
  assert.equal(made.status, 201, JSON.stringify(made.body));
  for (const h of members.slice(1))
    assert.equal(
      (
        await db.call(
          'POST',
          `/api/v1/communes/${handle}/applications`,
          { acceptAgreements: true },
          tokens.get(h),
        )
      ).status,
      201,
    );
  for (const [h, limit] of Object.entries(limits)) await db.setLimit(handle, h, limit);
  return tokens;
}
