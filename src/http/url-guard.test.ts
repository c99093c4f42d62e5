import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { availableDatabases } from '../db/testing.ts';
import { isStorableUrl } from './url-guard.ts';

const SPOILS = ['a%00b', '%00', 'a%ffb', '%C0%80', '%ED%A0%80', 'a%zzb', 'a%', '%E2%82'];

describe('isStorableUrl', () => {
  it('accepts ordinary and well-escaped URLs', () => {
    for (const u of [
      'http://h/',
      'http://h/api/v1/communes/garden',
      'http://h/api/v1/search?q=caf%C3%A9+%F0%9F%8C%B1&tag=a%2Bb',
      'http://h/x?a=1&b=&c',
      'http://h/x#%00', // the fragment never reaches the server
    ])
      assert.ok(isStorableUrl(u), u);
  });

  it('refuses NUL, bytes that are not UTF-8 and malformed escapes, in path or query', () => {
    for (const s of SPOILS) {
      assert.equal(isStorableUrl(`http://h/api/v1/x/${s}/y`), false, `path ${s}`);
      assert.equal(isStorableUrl(`http://h/api/v1/x?q=${s}`), false, `query value ${s}`);
      assert.equal(isStorableUrl(`http://h/api/v1/x?a=1&${s}=2`), false, `query key ${s}`);
    }
  });
});

for (const { kind, skip } of await availableDatabases()) {
  describe(`spoilt URLs on ${kind}`, { skip }, () => {
    let t: TestApp;
    let token: string;
    before(async () => {
      t = await startTestApp(kind);
      token = await t.person('ann');
      const made = await t.post(
        '/api/v1/communes',
        {
          handle: 'garden',
          name: 'Garden',
          vision: 'v',
          category: 'other',
          tags: [],
          joinPolicy: 'open',
          visibility: 'public',
        },
        token,
      );
      assert.equal(made.status, 201);
    });
    after(() => t.close());

    const refused = async (method: string, path: string) => {
      const r = await t.call(
        method,
        path,
        method === 'GET' || method === 'HEAD' ? undefined : {},
        token,
      );
      assert.equal(r.status, 400, `${method} ${path} → ${r.status} ${JSON.stringify(r.body)}`);
      if (method !== 'HEAD') assert.equal(r.body.error.code, 'malformed_url', path);
    };

    it('answers 400 for a NUL in a statement path, JSON or CSV, GET or HEAD', async () => {
      for (const method of ['GET', 'HEAD'])
        for (const tail of ['statement', 'statement.csv'])
          await refused(method, `/api/v1/communes/garden/accounts/a%00b/${tail}`);
    });

    it('answers 400 for every documented route with a spoilt parameter or query', async () => {
      const doc = (await t.get('/api/openapi.json')).body as {
        paths: Record<string, Record<string, unknown>>;
      };
      for (const [path, ops] of Object.entries(doc.paths))
        for (const m of Object.keys(ops)) {
          const method = m.toUpperCase();
          for (const s of SPOILS) {
            if (path.includes('{'))
              await refused(method, path.replace(/\{\w+\}/, s).replace(/\{\w+\}/g, 'x'));
            await refused(method, `${path.replace(/\{\w+\}/g, 'garden')}?limit=1&q=${s}`);
          }
        }
    });

    it('still serves well-escaped paths and queries', async () => {
      assert.equal((await t.get('/api/v1/communes/garden?x=caf%C3%A9')).status, 200);
      assert.equal((await t.get('/api/v1/communes/gard%65n')).status, 200);
    });
  });
}
