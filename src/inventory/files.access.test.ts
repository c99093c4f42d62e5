import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { found, join } from '../communes/communes.fixtures.ts';
import { availableDatabases } from '../db/testing.ts';
import { PNG, download, item, upload } from './files.fixtures.ts';

// Who may download an item's files (and list them): anonymous, a signed-in outsider and a
// member, against each item visibility in a public and in a private commune. `allies` acts
// as `commune` until alliances exist. The answers follow the one access rule: 404 where the
// commune is hidden, else 401 anonymous and 403 signed in.

type Caller = 'anonymous' | 'outsider' | 'member';
const CALLERS: Caller[] = ['anonymous', 'outsider', 'member'];

const EXPECTED: Record<string, Record<Caller, number>> = {
  'public/public': { anonymous: 200, outsider: 200, member: 200 },
  'public/allies': { anonymous: 401, outsider: 403, member: 200 },
  'public/commune': { anonymous: 401, outsider: 403, member: 200 },
  'private/allies': { anonymous: 404, outsider: 404, member: 200 },
  'private/commune': { anonymous: 404, outsider: 404, member: 200 },
};

for (const { kind, skip } of await availableDatabases()) {
  describe(`item file downloads by visibility on ${kind}`, { skip }, () => {
    let t: TestApp;
    const tokens: Record<Caller, string | undefined> = {
      anonymous: undefined,
      outsider: undefined,
      member: undefined,
    };
    const files: Record<string, { item: string; url: string }> = {};

    before(async () => {
      t = await startTestApp(kind);
      const steward = await t.person('steward');
      tokens.member = await t.person('member');
      tokens.outsider = await t.person('outsider');
      await found(t, steward, 'public_garden', { visibility: 'public' });
      await found(t, steward, 'private_garden', { visibility: 'private', joinPolicy: 'invite' });
      assert.equal((await join(t, tokens.member, 'public_garden')).status, 201);
      const invite = await t.post('/api/v1/communes/private_garden/invites', {}, steward);
      assert.equal(invite.status, 201);
      const joined = await join(t, tokens.member, 'private_garden', {
        inviteCode: invite.body.code,
      });
      assert.equal(joined.status, 201);
      for (const key of Object.keys(EXPECTED)) {
        const [commune, visibility] = key.split('/') as [string, string];
        const id = await item(t, steward, `${commune}_garden`, { visibility, title: key });
        const r = await upload(t, id, steward, PNG, `${key}.png`, 'image/png');
        assert.equal(r.status, 201, key);
        files[key] = { item: id, url: r.body.url };
      }
    });
    after(() => t.close());

    for (const [key, expected] of Object.entries(EXPECTED))
      for (const caller of CALLERS)
        it(`${key} item, ${caller}: ${expected[caller]}`, async () => {
          const { item: id, url } = files[key]!;
          const d = await download(t, url, tokens[caller]);
          assert.equal(d.status, expected[caller]);
          const l = await t.get(`/api/v1/items/${id}/files`, tokens[caller]);
          assert.equal(l.status, expected[caller]);
          if (expected[caller] === 200) {
            assert.deepEqual(d.bytes, PNG);
            assert.equal(l.body.items.length, 1);
          } else {
            assert.ok(d.bytes.length < 1000 && !d.bytes.includes(PNG), 'no bytes leak');
            const code = JSON.parse(d.bytes.toString()).error.code;
            assert.equal(
              code,
              { 401: 'not_signed_in', 403: 'members_only', 404: 'item_not_found' }[
                expected[caller] as 401 | 403 | 404
              ],
            );
          }
        });
  });
}
