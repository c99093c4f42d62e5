import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { createApp } from '../app.ts';
import { availableDatabases } from '../db/testing.ts';
import { newId } from '../shared/ids.ts';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { throttleRepository } from './throttle.repository.ts';
import { FREE_FAILURES_PER_HANDLE } from './throttle.ts';

type Sent = { status: number; body: any; retryAfter: string | null }; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A sign-in as it arrives from one client address. */
async function signInFrom(
  app: { request: TestApp['app']['request'] },
  handle: string,
  password: string,
  address = '10.0.0.1',
): Promise<Sent> {
  const res = await app.request(
    '/api/v1/sessions',
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ handle, password }),
    },
    { incoming: { socket: { remoteAddress: address } } },
  );
  return { status: res.status, body: await res.json(), retryAfter: res.headers.get('retry-after') };
}

const tally = (rs: Sent[]) => {
  const by: Record<number, number> = {};
  for (const r of rs) by[r.status] = (by[r.status] ?? 0) + 1;
  return by;
};

for (const { kind, skip } of await availableDatabases()) {
  describe(`sign-in throttle on ${kind}`, { skip }, () => {
    let t: TestApp;
    before(async () => {
      // A queue long enough that the pool never refuses here: this suite is about the throttle.
      t = await startTestApp(kind, { hashing: { concurrency: 2, queue: 100 } });
    });
    after(() => t.close());

    it('checks at most the free guesses when 40 wrong ones arrive at once', async () => {
      await t.post('/api/v1/accounts', { handle: 'target', password: 'the right password' });
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          signInFrom(t.app, 'target', `wrong guess ${i}`, `10.1.0.${i}`),
        ),
      );
      assert.deepEqual(tally(results), { 401: FREE_FAILURES_PER_HANDLE, 429: 35 });
      for (const r of results.filter((x) => x.status === 429)) {
        assert.equal(r.body.error.code, 'too_many_attempts');
        assert.ok(Number(r.retryAfter) >= 1 && Number(r.retryAfter) <= 5, String(r.retryAfter));
      }
      // The owner is delayed, not locked out for a quarter of an hour.
      const owner = await signInFrom(t.app, 'target', 'the right password', '10.2.0.1');
      assert.equal(owner.status, 429);
      assert.ok(Number(owner.retryAfter) <= 5);
    });

    it('holds across two app instances on one database', async () => {
      await t.post('/api/v1/accounts', { handle: 'target_two', password: 'the right password' });
      const other = createApp({ ...t.deps, logger: pino({ level: 'silent' }) });
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          signInFrom(i % 2 ? other : t.app, 'target_two', `wrong ${i}`, `10.3.0.${i}`),
        ),
      );
      assert.deepEqual(tally(results), { 401: FREE_FAILURES_PER_HANDLE, 429: 35 });
    });

    it('forgives failures settled before a success, never those still in flight', async () => {
      const repo = throttleRepository(t.deps.db, t.deps.dialect);
      const now = new Date();
      const since = { handle: new Date(0).toISOString(), address: new Date(0).toISOString() };
      const history: { handleFailures: number }[] = [];
      const begin = async (id: string, at: Date) => {
        const r = await repo.beginSignIn(
          { id, handle: 'forgiving', address: '10.4.0.1', now: at },
          since,
          (h) => {
            history.push(h);
            return at;
          },
        );
        assert.equal(r.admitted, true);
      };
      const at = (ms: number) => new Date(now.getTime() + ms).toISOString();
      const settled = newId();
      await begin(settled, now);
      await repo.settleFailure(settled, at(1));
      const inFlight = newId();
      await begin(inFlight, new Date(now.getTime() + 2));
      const success = newId();
      await begin(success, new Date(now.getTime() + 3));
      await repo.settleSuccess(success, 'forgiving', at(4));
      await repo.settleFailure(inFlight, at(5));
      await begin(newId(), new Date(now.getTime() + 6));
      // The settled failure was forgiven; the one in flight when the success began still counts.
      assert.deepEqual(
        history.map((h) => h.handleFailures),
        [0, 1, 2, 1],
      );
    });

    it('lets the owner in after the growing delay, and forgets the failures then', async () => {
      let now = Date.parse('2026-03-01T10:00:00Z');
      const clocked = await startTestApp(kind, { clock: { now: () => new Date(now) } });
      try {
        await clocked.post('/api/v1/accounts', { handle: 'owner', password: 'the right password' });
        for (let i = 0; i < 5; i++)
          assert.equal((await signInFrom(clocked.app, 'owner', `typo ${i}`)).status, 401);
        const early = await signInFrom(clocked.app, 'owner', 'the right password');
        assert.equal(early.status, 429);
        assert.equal(early.retryAfter, '5');
        now += 5_000;
        assert.equal((await signInFrom(clocked.app, 'owner', 'wrong again')).status, 401);
        const doubled = await signInFrom(clocked.app, 'owner', 'the right password');
        assert.equal(doubled.retryAfter, '10');
        now += 10_000;
        assert.equal((await signInFrom(clocked.app, 'owner', 'the right password')).status, 201);
        // Everything settled before the success is forgiven: five free guesses again.
        for (let i = 0; i < 5; i++)
          assert.equal((await signInFrom(clocked.app, 'owner', `later typo ${i}`)).status, 401);
        assert.equal((await signInFrom(clocked.app, 'owner', 'x')).status, 429);
      } finally {
        await clocked.close();
      }
    });

    it('counts unknown handles and commune handles like any other', async () => {
      const token = await t.person('founder');
      const made = await t.post(
        '/api/v1/communes',
        {
          handle: 'a_commune',
          name: 'A commune',
          vision: 'To share',
          category: 'social',
          joinPolicy: 'open',
          visibility: 'public',
        },
        token,
      );
      assert.equal(made.status, 201, JSON.stringify(made.body));
      for (const handle of ['nobody_here', 'a_commune']) {
        const rs: Sent[] = [];
        for (let i = 0; i < 6; i++)
          rs.push(await signInFrom(t.app, handle, 'guess', `10.5.${i}.1`));
        assert.deepEqual(
          rs.map((r) => r.status),
          [401, 401, 401, 401, 401, 429],
        );
        assert.equal(rs[0]!.body.error.code, 'invalid_credentials');
      }
    });
  });
}
