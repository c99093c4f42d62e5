import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { availableDatabases } from '../db/testing.ts';
import { RESERVED_HANDLES } from './identity.ts';
import { startTestApp, type TestApp } from '../../test/support/app.ts';

for (const { kind, skip } of await availableDatabases()) {
  describe(`identity on ${kind}`, { skip }, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(kind);
    });
    after(() => t.close());

    it('signs up, signs in, reads /me and signs out, revoking the token', async () => {
      const made = await t.post('/api/v1/accounts', {
        handle: 'ada',
        password: 'a long password',
        displayName: 'Ada 🌱',
      });
      assert.equal(made.status, 201);
      assert.deepEqual(Object.keys(made.body).sort(), ['displayName', 'handle', 'id']);
      assert.equal(made.body.displayName, 'Ada 🌱');
      const session = await t.post('/api/v1/sessions', {
        handle: 'ada',
        password: 'a long password',
      });
      assert.equal(session.status, 201);
      assert.ok(session.body.token && session.body.csrfToken);
      const cookie = session.headers.get('set-cookie') ?? '';
      assert.match(cookie, /commune_session=/);
      assert.match(cookie, /HttpOnly/i);
      assert.match(cookie, /SameSite=Lax/i);
      const me = await t.get('/api/v1/me', session.body.token);
      assert.equal(me.status, 200);
      assert.equal(me.body.handle, 'ada');
      assert.deepEqual(me.body.communes, []);
      assert.equal((await t.del('/api/v1/sessions/current', session.body.token)).status, 204);
      const afterOut = await t.get('/api/v1/me', session.body.token);
      assert.equal(afterOut.status, 401);
      assert.equal(afterOut.body.error.code, 'invalid_token');
    });

    it('answers 401 to /me without a session', async () => {
      const r = await t.get('/api/v1/me');
      assert.equal(r.status, 401);
      assert.equal(r.body.error.code, 'not_signed_in');
    });

    it('refuses a taken handle, shared with communes', async () => {
      await t.post('/api/v1/accounts', { handle: 'taken', password: 'a long password' });
      const again = await t.post('/api/v1/accounts', {
        handle: 'taken',
        password: 'another password',
      });
      assert.equal(again.status, 409);
      assert.equal(again.body.error.code, 'handle_taken');
    });

    it('keeps one account when the same handle signs up concurrently', async () => {
      const results = await Promise.all(
        Array.from({ length: 5 }, () =>
          t.post('/api/v1/accounts', { handle: 'racer', password: 'a long password' }),
        ),
      );
      assert.equal(results.filter((r) => r.status === 201).length, 1);
      assert.equal(results.filter((r) => r.status === 409).length, 4);
    });

    it('rejects bad input with a 400 naming the field', async () => {
      const cases: [unknown, string][] = [
        [{ handle: 'A', password: 'a long password' }, 'handle'],
        [{ handle: 'has space', password: 'a long password' }, 'handle'],
        [{ handle: 'x'.repeat(31), password: 'a long password' }, 'handle'],
        [{ handle: 'okay', password: 'short' }, 'password'],
        [{ handle: 'purse', password: 'a long password' }, 'handle'],
        [{ handle: 'me', password: 'a long password' }, 'handle'],
        [{ handle: 'okay', password: 12345678901 }, 'password'],
        [{ password: 'a long password' }, 'handle'],
        [
          { handle: 'okay', password: 'a long password', displayName: 'x'.repeat(101) },
          'displayName',
        ],
      ];
      for (const [body, field] of cases) {
        const r = await t.post('/api/v1/accounts', body);
        assert.equal(r.status, 400, JSON.stringify(body));
        assert.equal(r.body.error.field, field);
        assert.ok(r.body.error.message.includes(field));
      }
      const nul = await t.post('/api/v1/sessions', { handle: 'a\u0000b', password: 'whatever' });
      assert.equal(nul.status, 400);
      assert.equal(nul.body.error.field, 'handle');
      const malformed = await t.post('/api/v1/accounts', '{"handle": ');
      assert.equal(malformed.status, 400);
      assert.equal(malformed.body.error.code, 'malformed_json');
      assert.equal((await t.get('/api/v1/me')).status, 401);
    });

    it('accepts exactly the handles the contract allows', async () => {
      await fc.assert(
        fc.asyncProperty(fc.string({ maxLength: 40 }), async (handle) => {
          const r = await t.post('/api/v1/accounts', { handle, password: 'x' });
          // The password is too short on purpose, so nothing is ever created.
          const expectedField =
            /^[a-z0-9_]{2,30}$/.test(handle) && !RESERVED_HANDLES.has(handle)
              ? 'password'
              : 'handle';
          assert.equal(r.status, 400);
          assert.equal(r.body.error.field, expectedField);
        }),
        { numRuns: 60 },
      );
    });

    it('returns 401 invalid_credentials, then 429 after repeated failures per handle', async () => {
      await t.post('/api/v1/accounts', { handle: 'grace', password: 'the right password' });
      for (let i = 0; i < 5; i++) {
        const r = await t.post('/api/v1/sessions', {
          handle: 'grace',
          password: `wrong password ${i}`,
        });
        assert.equal(r.status, 401);
        assert.equal(r.body.error.code, 'invalid_credentials');
      }
      const limited = await t.post('/api/v1/sessions', {
        handle: 'grace',
        password: 'the right password',
      });
      assert.equal(limited.status, 429);
      assert.equal(limited.body.error.code, 'too_many_attempts');
    });

    it('throttles one address guessing many handles', async () => {
      const from = (handle: string) =>
        t.app.request(
          '/api/v1/sessions',
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ handle, password: 'nope nope nope' }),
          },
          { incoming: { socket: { remoteAddress: '10.9.8.7' } } },
        );
      const statuses: number[] = [];
      for (let i = 0; i < 21; i++) statuses.push((await from(`guess_${i}`)).status);
      assert.deepEqual(statuses.slice(0, 20), Array(20).fill(401));
      assert.equal(statuses[20], 429);
    });

    it('requires the CSRF header for cookie-authenticated writes', async () => {
      await t.post('/api/v1/accounts', { handle: 'cookie_user', password: 'a long password' });
      const s = await t.post('/api/v1/sessions', {
        handle: 'cookie_user',
        password: 'a long password',
      });
      const cookie = `commune_session=${s.body.token}`;
      const read = await t.call('GET', '/api/v1/me', undefined, undefined, { cookie });
      assert.equal(read.status, 200);
      assert.equal(read.body.csrfToken, s.body.csrfToken);
      const noCsrf = await t.call('DELETE', '/api/v1/sessions/current', undefined, undefined, {
        cookie,
      });
      assert.equal(noCsrf.status, 403);
      assert.equal(noCsrf.body.error.code, 'csrf_token_invalid');
      const withCsrf = await t.call('DELETE', '/api/v1/sessions/current', undefined, undefined, {
        cookie,
        'x-csrf-token': s.body.csrfToken,
      });
      assert.equal(withCsrf.status, 204);
    });

    it('limits the body to 1 MB with a JSON 413', async () => {
      const big = JSON.stringify({ handle: 'big', password: 'x'.repeat(1024 * 1024) });
      const r = await t.call('POST', '/api/v1/accounts', big, undefined, {
        'content-length': String(Buffer.byteLength(big)),
      });
      assert.equal(r.status, 413);
      assert.equal(r.body.error.code, 'body_too_large');
    });
  });
}
