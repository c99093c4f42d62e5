// Seeding goes through the public HTTP API only, exactly as a client would.
import { progress } from './progress.ts';

export type Reply = { status: number; body: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

export type Api = {
  call: (method: string, path: string, body?: unknown, token?: string) => Promise<Reply>;
  /** Like call, but throws unless the status is the expected one. */
  expect: (
    status: number,
    method: string,
    path: string,
    body?: unknown,
    token?: string,
  ) => Promise<Reply>;
};

export function apiClient(baseUrl: string): Api {
  async function call(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
  ): Promise<Reply> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(baseUrl + path, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON; keep the text for the error message
    }
    return { status: res.status, body: parsed };
  }
  return {
    call,
    async expect(status, method, path, body, token) {
      const reply = await call(method, path, body, token);
      if (reply.status !== status) {
        throw new Error(
          `${method} ${path}: expected ${status}, got ${reply.status} ${JSON.stringify(reply.body)}`,
        );
      }
      return reply;
    },
  };
}

export const passwordOf = (handle: string): string => `bench-password-${handle}`;

/**
 * Signs people up and in; returns handle → bearer token. Sign-up hashes with scrypt at
 * full cost, so a few run at once (scrypt runs on libuv's thread pool).
 */
export async function seedPeople(
  api: Api,
  handles: string[],
  concurrency = 4,
): Promise<Map<string, string>> {
  const tokens = new Map<string, string>();
  const bar = handles.length > 5 ? progress('seeding people', handles.length) : null;
  const queue = [...handles];
  async function worker() {
    for (let handle = queue.shift(); handle !== undefined; handle = queue.shift()) {
      await api.expect(201, 'POST', '/api/v1/accounts', {
        handle,
        password: passwordOf(handle),
        displayName: `Bench ${handle}`,
      });
      const session = await api.expect(201, 'POST', '/api/v1/sessions', {
        handle,
        password: passwordOf(handle),
      });
      tokens.set(handle, session.body.token as string);
      bar?.tick();
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, handles.length) }, worker));
  bar?.stop();
  return tokens;
}

export type CommuneSeed = {
  handle: string;
  joinPolicy?: 'open' | 'application' | 'invite';
  visibility?: 'public' | 'unlisted' | 'private';
};

/** Creates a commune as `stewardToken`; returns its handle. */
export async function seedCommune(
  api: Api,
  stewardToken: string,
  seed: CommuneSeed,
): Promise<string> {
  await api.expect(
    201,
    'POST',
    '/api/v1/communes',
    {
      handle: seed.handle,
      name: `Bench ${seed.handle}`,
      vision: 'A commune that exists to be measured: shared tools, shared meals, shared decisions.',
      category: 'social',
      tags: ['bench', 'tools', 'food'],
      joinPolicy: seed.joinPolicy ?? 'open',
      visibility: seed.visibility ?? 'public',
    },
    stewardToken,
  );
  return seed.handle;
}

/** Joins an open commune (accepting its agreements) as each token's person. */
export async function joinCommune(api: Api, commune: string, tokens: string[]): Promise<void> {
  for (const token of tokens) {
    const reply = await api.expect(
      201,
      'POST',
      `/api/v1/communes/${commune}/applications`,
      { acceptAgreements: true },
      token,
    );
    if (reply.body?.status !== 'member')
      throw new Error(
        `joining ${commune}: expected status member, got ${JSON.stringify(reply.body)}`,
      );
  }
}
