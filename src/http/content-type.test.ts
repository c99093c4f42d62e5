import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { availableDatabases } from '../db/testing.ts';

for (const { kind, skip } of await availableDatabases()) {
  describe(`JSON bodies need Content-Type: application/json on ${kind}`, { skip }, () => {
    let t: TestApp;
    let token: string;
    const credentials = JSON.stringify({ handle: 'ann', password: 'password-of-ann' });
    const send = (method: string, path: string, body: string, type?: string, auth?: string) =>
      t.app.request(path, {
        method,
        body,
        headers: {
          ...(type === undefined ? {} : { 'content-type': type }),
          ...(auth ? { authorization: `Bearer ${auth}` } : {}),
        },
      });
    before(async () => {
      t = await startTestApp(kind);
      token = await t.person('ann');
    });
    after(() => t.close());

    it('refuses a cross-site text/plain sign-in form with 415 and sets no cookie', async () => {
      // What <form enctype="text/plain"> on another site can post without a preflight.
      for (const type of [
        'text/plain',
        'text/plain;charset=UTF-8',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        undefined,
      ]) {
        const r = await send('POST', '/api/v1/sessions', credentials, type);
        assert.equal(r.status, 415, String(type));
        assert.equal(r.headers.get('set-cookie'), null, String(type));
        const body = (await r.json()) as { error: { code: string } };
        assert.equal(body.error.code, 'unsupported_media_type');
      }
    });

    it('accepts application/json with or without a charset, in any case', async () => {
      for (const type of [
        'application/json',
        'application/json; charset=utf-8',
        'Application/JSON',
      ])
        assert.equal((await send('POST', '/api/v1/sessions', credentials, type)).status, 201, type);
    });

    it('refuses text/plain on other JSON routes too', async () => {
      const commune = JSON.stringify({
        handle: 'garden',
        name: 'Garden',
        vision: 'v',
        category: 'other',
        tags: [],
        joinPolicy: 'open',
        visibility: 'public',
      });
      const signUp = JSON.stringify({ handle: 'bo', password: 'a long password' });
      assert.equal((await send('POST', '/api/v1/accounts', signUp, 'text/plain')).status, 415);
      assert.equal(
        (await send('POST', '/api/v1/communes', commune, 'text/plain', token)).status,
        415,
      );
      assert.equal((await t.get('/api/v1/communes/garden')).status, 404, 'nothing was made');
    });
  });
}
