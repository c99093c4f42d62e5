import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createApp, createContexts } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import type { DbHandle } from '../../src/db/database.ts';
import { openTestDatabase, type DatabaseKind } from '../../src/db/testing.ts';
import type { Deps } from '../../src/deps.ts';
import type { HashingLimits } from '../../src/identity/hashing-pool.ts';
import { systemClock, type Clock } from '../../src/shared/clock.ts';

export type TestApp = Awaited<ReturnType<typeof startTestApp>>;

/** A real app on a real, freshly migrated database; requests go through app.request(). */
export async function startTestApp(
  kind: DatabaseKind = 'sqlite',
  options: {
    clock?: Clock;
    passwordCost?: number;
    signUpsPerHour?: number;
    hashing?: HashingLimits;
    /** Item file limits (ITEM_FILES_MAX, ITEM_FILE_MAX_BYTES); the defaults otherwise. */
    files?: { maxPerItem?: number; maxBytes?: number };
    /** Off only where a test measures the server's own work (the check is test-only work). */
    checkContract?: boolean;
    /** More environment for the configuration (SMTP_HOST …). */
    env?: Record<string, string>;
  } = {},
) {
  const handle: DbHandle = await openTestDatabase(kind);
  // Each app stores item files in a folder of its own, made on first upload, gone on close.
  const filesDir = join(tmpdir(), `commune-files-${randomUUID()}`);
  const config = loadConfig({
    DATABASE_URL: kind === 'sqlite' ? 'sqlite::memory:' : 'postgres://test',
    // Suites create many people from one address; identity tests lower it to test the throttle.
    SIGN_UPS_PER_HOUR: String(options.signUpsPerHour ?? 100_000),
    FILES_DIR: filesDir,
    ...(options.files?.maxPerItem ? { ITEM_FILES_MAX: String(options.files.maxPerItem) } : {}),
    ...(options.files?.maxBytes ? { ITEM_FILE_MAX_BYTES: String(options.files.maxBytes) } : {}),
    ...options.env,
  });
  if (!config.ok) throw new Error(config.error.message);
  const deps: Deps = {
    db: handle.db,
    dialect: handle.dialect,
    config: config.value,
    logger: pino({ level: 'silent' }),
    clock: options.clock ?? systemClock,
    // Low cost keeps suites fast; password.test.ts checks the OWASP default itself.
    passwordCost: options.passwordCost ?? 10,
    ...(options.hashing ? { hashing: options.hashing } : {}),
    // Every declared route's answers are checked against the document: a mismatch is a 500.
    checkContract: options.checkContract ?? true,
    ...(handle.listenClient ? { listenClient: handle.listenClient } : {}),
  };
  const contexts = createContexts(deps);
  const app = createApp(deps, contexts);

  async function call(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
    headers: Record<string, string> = {},
  ) {
    const init: RequestInit = { method, headers: { ...headers } };
    if (body !== undefined) {
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
    }
    if (token) (init.headers as Record<string, string>).authorization = `Bearer ${token}`;
    const res = await app.request(path, init);
    const text = await res.text();
    let json: any = null; // eslint-disable-line @typescript-eslint/no-explicit-any
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = text;
    }
    return { status: res.status, body: json, headers: res.headers };
  }

  /** Creates an account and signs it in; returns its bearer token. */
  async function person(handle: string, displayName?: string): Promise<string> {
    const password = `password-of-${handle}`;
    const made = await call('POST', '/api/v1/accounts', {
      handle,
      password,
      ...(displayName ? { displayName } : {}),
    });
    if (made.status !== 201)
      throw new Error(`sign-up ${handle}: ${made.status} ${JSON.stringify(made.body)}`);
    const session = await call('POST', '/api/v1/sessions', { handle, password });
    if (session.status !== 201) throw new Error(`sign-in ${handle}: ${session.status}`);
    return session.body.token as string;
  }

  return {
    app,
    deps,
    contexts,
    kind,
    call,
    person,
    get: (path: string, token?: string) => call('GET', path, undefined, token),
    post: (path: string, body: unknown, token?: string) => call('POST', path, body, token),
    put: (path: string, body: unknown, token?: string) => call('PUT', path, body, token),
    del: (path: string, token?: string) => call('DELETE', path, undefined, token),
    close: async () => {
      await contexts.live.close();
      await handle.destroy();
      rmSync(filesDir, { recursive: true, force: true });
    },
  };
}
