import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { availableDatabases } from '../db/testing.ts';
import { startTestApp, type TestApp } from '../../test/support/app.ts';

const PASSWORD = 'a long password';

for (const { kind, skip } of await availableDatabases()) {
  describe(`sessions and password on ${kind}`, { skip }, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(kind);
    });
    after(() => t.close());

    const signIn = async (handle: string, userAgent: string, password = PASSWORD) =>
      t.call('POST', '/api/v1/sessions', { handle, password }, undefined, {
        'user-agent': userAgent,
      });

    it('lists the live sessions, marks the current one and ends another', async () => {
      await t.post('/api/v1/accounts', { handle: 'lister', password: PASSWORD });
      const laptop = (await signIn('lister', 'Laptop browser')).body.token;
      const phone = (await signIn('lister', 'Phone browser')).body.token;
      const list = await t.get('/api/v1/me/sessions', laptop);
      assert.equal(list.status, 200);
      assert.equal(list.body.items.length, 2);
      assert.equal(list.body.next, null);
      const current = list.body.items.find((s: { current: boolean }) => s.current);
      const other = list.body.items.find((s: { current: boolean }) => !s.current);
      assert.equal(current.userAgent, 'Laptop browser');
      assert.equal(other.userAgent, 'Phone browser');
      assert.deepEqual(Object.keys(current).sort(), [
        'createdAt',
        'current',
        'expiresAt',
        'id',
        'lastUsedAt',
        'userAgent',
      ]);
      assert.ok(!JSON.stringify(list.body).includes(laptop), 'no token in the list');

      const paged = await t.get('/api/v1/me/sessions?limit=1', laptop);
      assert.equal(paged.body.items.length, 1);
      const rest = await t.get(
        `/api/v1/me/sessions?limit=1&before=${encodeURIComponent(paged.body.next)}`,
        laptop,
      );
      assert.equal(rest.body.items.length, 1);
      assert.notEqual(rest.body.items[0].id, paged.body.items[0].id);
      assert.equal((await t.get('/api/v1/me/sessions?before=nonsense', laptop)).status, 400);

      assert.equal((await t.del(`/api/v1/me/sessions/${other.id}`, laptop)).status, 204);
      assert.equal((await t.get('/api/v1/me', phone)).status, 401);
      assert.equal((await t.get('/api/v1/me', laptop)).status, 200);
      const again = await t.del(`/api/v1/me/sessions/${other.id}`, laptop);
      assert.equal(again.status, 404);
      assert.equal(again.body.error.code, 'session_not_found');
      assert.equal((await t.del('/api/v1/me/sessions/no_such_id', laptop)).status, 404);
      assert.equal((await t.del('/api/v1/me/sessions/a%00b', laptop)).status, 400);
    });

    it("cannot see or end another person's session", async () => {
      const mine = await t.person('owner_one');
      const theirs = await t.person('owner_two');
      const theirId = (await t.get('/api/v1/me/sessions', theirs)).body.items[0].id;
      const tried = await t.del(`/api/v1/me/sessions/${theirId}`, mine);
      assert.equal(tried.status, 404);
      assert.equal((await t.get('/api/v1/me', theirs)).status, 200);
      const mineOnly = await t.get('/api/v1/me/sessions', mine);
      assert.equal(mineOnly.body.items.length, 1);
      assert.equal((await t.get('/api/v1/me/sessions')).status, 401);
    });

    it('signs out everywhere else, and can end the current session by id', async () => {
      await t.post('/api/v1/accounts', { handle: 'everywhere', password: PASSWORD });
      const tokens = [];
      for (const ua of ['a', 'b', 'c']) tokens.push((await signIn('everywhere', ua)).body.token);
      const [keep, ...others] = tokens;
      assert.equal((await t.del('/api/v1/me/sessions', keep)).status, 204);
      for (const o of others) assert.equal((await t.get('/api/v1/me', o)).status, 401);
      const left = await t.get('/api/v1/me/sessions', keep);
      assert.equal(left.body.items.length, 1);
      const ended = await t.del(`/api/v1/me/sessions/${left.body.items[0].id}`, keep);
      assert.equal(ended.status, 204);
      assert.equal((await t.get('/api/v1/me', keep)).status, 401);
    });

    it('changes the password with the current one, ending the other sessions', async () => {
      await t.post('/api/v1/accounts', { handle: 'changer', password: PASSWORD });
      const here = (await signIn('changer', 'here')).body.token;
      const there = (await signIn('changer', 'there')).body.token;
      const wrong = await t.put(
        '/api/v1/me/password',
        { current: 'not it at all', next: 'x'.repeat(12) },
        here,
      );
      assert.equal(wrong.status, 403);
      assert.equal(wrong.body.error.code, 'wrong_password');
      assert.equal(wrong.body.error.field, 'current');
      const short = await t.put('/api/v1/me/password', { current: PASSWORD, next: 'short' }, here);
      assert.equal(short.status, 400);
      assert.equal(short.body.error.field, 'next');
      const changed = await t.put(
        '/api/v1/me/password',
        { current: PASSWORD, next: 'a brand new password' },
        here,
      );
      assert.equal(changed.status, 204);
      assert.equal((await t.get('/api/v1/me', there)).status, 401);
      assert.equal((await t.get('/api/v1/me', here)).status, 200);
      assert.equal((await signIn('changer', 'later')).status, 401);
      assert.equal((await signIn('changer', 'later', 'a brand new password')).status, 201);
      assert.equal(
        (await t.put('/api/v1/me/password', { current: 'x', next: 'y'.repeat(10) })).status,
        401,
      );
    });

    it('refuses a sign-in posted from another site, by its Origin', async () => {
      await t.post('/api/v1/accounts', { handle: 'origin_user', password: PASSWORD });
      const from = (origin: string, url = '/api/v1/sessions') =>
        t.app.request(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin },
          body: JSON.stringify({ handle: 'origin_user', password: PASSWORD }),
        });
      for (const bad of ['https://evil.example', 'null', 'http://localhost:3001']) {
        const r = await from(bad);
        assert.equal(r.status, 403, bad);
        assert.equal((await r.json()).error.code, 'bad_origin');
      }
      assert.equal((await from('http://localhost:3000')).status, 201, 'PUBLIC_URL');
      const own = await from(
        'http://commune.test:8080',
        'http://commune.test:8080/api/v1/sessions',
      );
      assert.equal(own.status, 201, 'the address the request was sent to');
      assert.equal((await signIn('origin_user', 'no origin')).status, 201);
    });
  });
}
