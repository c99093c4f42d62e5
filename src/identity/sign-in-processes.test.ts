import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort, spawnServer, type RunningServer } from '../../bench/lib/server.ts';
import { TEST_POSTGRES_URL, availableDatabases, openTestPostgres } from '../db/testing.ts';
import { FREE_FAILURES_PER_HANDLE } from './throttle.ts';

// Two real `serve` processes on one database: the sign-in throttle must count guesses sent
// to either of them, so 40 at once still get only the free ones checked.
for (const { kind, skip } of await availableDatabases()) {
  describe(`sign-in throttle across two processes on ${kind}`, { skip, timeout: 120_000 }, () => {
    const servers: RunningServer[] = [];
    let cleanUp = async () => {};

    before(async () => {
      let url: string;
      if (kind === 'postgres') {
        const db = await openTestPostgres(2);
        cleanUp = () => db.destroy();
        url = `${TEST_POSTGRES_URL}?options=${encodeURIComponent(`-c search_path=${db.schema}`)}`;
      } else {
        const dir = mkdtempSync(join(tmpdir(), 'commune-throttle-'));
        cleanUp = async () => rmSync(dir, { recursive: true, force: true });
        url = `sqlite:${join(dir, 'shared.db')}`;
      }
      // One after the other: the first one's migrations are done when the second starts.
      for (const name of ['first', 'second']) {
        const port = await freePort();
        servers.push(
          await spawnServer({
            name: `serve (${name})`,
            args: ['src/main.ts', 'serve'],
            env: {
              HOST: '127.0.0.1',
              PORT: String(port),
              PUBLIC_URL: `http://127.0.0.1:${port}`,
              DATABASE_URL: url,
              LOG_LEVEL: 'warn',
              JOBS_INTERVAL_MS: '0',
            },
            port,
            readyPath: '/healthz',
          }),
        );
      }
    });

    after(async () => {
      await Promise.all(servers.map((s) => s.stop()));
      await cleanUp();
    });

    const post = async (server: RunningServer, path: string, body: unknown) => {
      const res = await fetch(server.url + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    };

    it('checks at most the free guesses of 40 sent to both processes at once', async () => {
      const [one, two] = servers as [RunningServer, RunningServer];
      const made = await post(one, '/api/v1/accounts', {
        handle: 'shared_target',
        password: 'the right password',
      });
      assert.equal(made.status, 201);
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          post(i % 2 ? two : one, '/api/v1/sessions', {
            handle: 'shared_target',
            password: `wrong ${i}`,
          }),
        ),
      );
      const statuses = results.map((r) => r.status);
      assert.equal(statuses.filter((s) => s === 401).length, FREE_FAILURES_PER_HANDLE);
      assert.equal(statuses.filter((s) => s === 429).length, 40 - FREE_FAILURES_PER_HANDLE);
      for (const r of results.filter((x) => x.status === 429))
        assert.equal(r.body.error.code, 'too_many_attempts');
    });
  });
}
