// Two real `serve` processes on one PostgreSQL schema, both running the job queue, and a
// plain HTTP call to either: what the multi-process tests of several contexts share.
import { freePort, spawnServer, type RunningServer } from '../../bench/lib/server.ts';
import { TEST_POSTGRES_URL } from '../../src/db/testing.ts';

/** The test database's URL with its search_path set to one test schema. */
export const schemaUrl = (schema: string): string =>
  `${TEST_POSTGRES_URL}${TEST_POSTGRES_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;

/**
 * Starts both at once (they race to migrate, as a real deployment may). If one fails to
 * start, the other is stopped before the error is thrown: a live child process would keep
 * the test file running forever, since `after` never learns of it.
 */
export async function startServePair(
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<RunningServer[]> {
  const started = await Promise.allSettled(
    ['first', 'second'].map(async (name) => {
      const port = await freePort();
      return spawnServer({
        name: `serve (${name})`,
        args: ['src/main.ts', 'serve'],
        env: {
          HOST: '127.0.0.1',
          PORT: String(port),
          PUBLIC_URL: `http://127.0.0.1:${port}`,
          DATABASE_URL: databaseUrl,
          LOG_LEVEL: 'warn',
          JOBS_INTERVAL_MS: '20',
          ...env,
        },
        port,
        readyPath: '/healthz',
        // Two cold starts at once on a busy 2-core machine: slow is not broken.
        timeoutMs: 90_000,
      });
    }),
  );
  const servers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s) => s.status === 'rejected');
  if (!failed) return servers;
  await Promise.all(servers.map((s) => s.stop()));
  throw failed.reason;
}

export async function callServer(
  server: RunningServer,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
) {
  const res = await fetch(server.url + path, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}
