import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { availableDatabases } from '../db/testing.ts';
import { communeWith, outcome, writeItem } from './items.fixtures.ts';

// The permission matrix of issue 9: each item visibility, in a public and a private commune,
// against an anonymous caller, a signed-in outsider and a member, on every read route.
type Caller = 'anonymous' | 'outsider' | 'member';
const CALLERS: readonly Caller[] = ['anonymous', 'outsider', 'member'];

// Written out by hand (not computed by visibility.ts) so that the rule is checked, not echoed.
const MATRIX: {
  commune: 'public' | 'private';
  visibility: 'public' | 'allies' | 'commune';
  expect: Record<Caller, string>;
}[] = [
  {
    commune: 'public',
    visibility: 'public',
    expect: { anonymous: '200', outsider: '200', member: '200' },
  },
  {
    commune: 'public',
    visibility: 'allies',
    expect: { anonymous: '401 not_signed_in', outsider: '403 members_only', member: '200' },
  },
  {
    commune: 'public',
    visibility: 'commune',
    expect: { anonymous: '401 not_signed_in', outsider: '403 members_only', member: '200' },
  },
  {
    commune: 'private',
    visibility: 'allies',
    expect: { anonymous: '404 item_not_found', outsider: '404 item_not_found', member: '200' },
  },
  {
    commune: 'private',
    visibility: 'commune',
    expect: { anonymous: '404 item_not_found', outsider: '404 item_not_found', member: '200' },
  },
];

for (const { kind, skip } of await availableDatabases()) {
  describe(`inventory permission matrix on ${kind}`, { skip }, () => {
    let t: TestApp;
    const tok: Record<string, string> = {};
    const items = new Map<string, string>();
    const forks = new Map<string, string>();
    const key = (commune: string, visibility: string) => `${commune}/${visibility}`;
    const token = (c: Caller) => (c === 'anonymous' ? undefined : tok[c]);

    before(async () => {
      t = await startTestApp(kind);
      for (const h of ['stew', 'member', 'outsider']) tok[h] = await t.person(h);
      await communeWith(t, 'open_c', tok.stew!, [tok.member!], 'public');
      await communeWith(t, 'closed_c', tok.stew!, [tok.member!], 'private');
      // Forks go where the member is not: the forks list must leave out what they cannot see.
      await communeWith(t, 'elsewhere', tok.stew!, [], 'public');
      for (const row of MATRIX) {
        const commune = row.commune === 'public' ? 'open_c' : 'closed_c';
        const item = await writeItem(t, tok.stew!, commune, {
          visibility: row.visibility,
          title: `A ${row.visibility} item`,
        });
        const edited = await t.put(
          `/api/v1/items/${item.id}`,
          { baseVersion: 1, body: 'Second version' },
          tok.stew,
        );
        assert.equal(edited.status, 200);
        const fork = await t.post(
          `/api/v1/items/${item.id}/forks`,
          { commune: 'elsewhere' },
          tok.stew,
        );
        assert.equal(fork.status, 201, JSON.stringify(fork.body));
        items.set(key(row.commune, row.visibility), item.id);
        forks.set(item.id, fork.body.id);
      }
    });
    after(() => t.close());

    for (const row of MATRIX)
      for (const caller of CALLERS)
        it(`a ${row.visibility} item of a ${row.commune} commune, as ${caller}`, async () => {
          const id = items.get(key(row.commune, row.visibility))!;
          const expected = row.expect[caller];
          const routes = [
            `/api/v1/items/${id}`,
            `/api/v1/items/${id}/versions`,
            `/api/v1/items/${id}/versions/1`,
            `/api/v1/items/${id}/diff?from=1&to=2`,
            `/api/v1/items/${id}/forks`,
          ];
          for (const url of routes)
            assert.equal(outcome(await t.get(url, token(caller))), expected, url);

          // The commune's list never refuses for an item: it leaves out what the caller cannot see.
          const commune = row.commune === 'public' ? 'open_c' : 'closed_c';
          const list = await t.get(`/api/v1/communes/${commune}/items`, token(caller));
          if (row.commune === 'private' && caller !== 'member') {
            assert.equal(outcome(list), '404 not_found');
          } else {
            assert.equal(list.status, 200);
            const listed = list.body.items.some((i: { id: string }) => i.id === id);
            assert.equal(listed, expected === '200');
          }

          // The fork lives in a commune the member is not in: it shows only if public there.
          if (expected === '200') {
            const listedForks = (await t.get(`/api/v1/items/${id}/forks`, token(caller))).body;
            const shown = listedForks.items.map((f: { id: string }) => f.id);
            assert.deepEqual(shown, row.visibility === 'public' ? [forks.get(id)] : []);
          }
        });

    it('the fork’s own commune members see every fork; steward of both sees them all', async () => {
      for (const [original, fork] of forks) {
        const r = await t.get(`/api/v1/items/${original}/forks`, tok.stew);
        assert.deepEqual(
          r.body.items.map((f: { id: string }) => f.id),
          [fork],
        );
        assert.equal(r.body.items[0].forkedFrom.item, original);
      }
    });

    it('only the author or a steward may change an item; others who see it get 403', async () => {
      const id = items.get(key('public', 'public'))!;
      const bodyOf = (v: number) => ({ baseVersion: v, title: 'Changed' });
      assert.equal(outcome(await t.put(`/api/v1/items/${id}`, bodyOf(2))), '401 not_signed_in');
      assert.equal(
        outcome(await t.put(`/api/v1/items/${id}`, bodyOf(2), tok.outsider)),
        '403 not_item_editor',
      );
      assert.equal(
        outcome(await t.put(`/api/v1/items/${id}`, bodyOf(2), tok.member)),
        '403 not_item_editor',
      );
      assert.equal(outcome(await t.del(`/api/v1/items/${id}`, tok.member)), '403 not_item_editor');
      // Hidden stays hidden for writes too.
      const hidden = items.get(key('private', 'commune'))!;
      assert.equal(
        outcome(await t.put(`/api/v1/items/${hidden}`, bodyOf(2), tok.outsider)),
        '404 item_not_found',
      );
      assert.equal(
        outcome(await t.del(`/api/v1/items/${hidden}`, tok.outsider)),
        '404 item_not_found',
      );
      assert.equal((await t.get(`/api/v1/items/${id}`)).body.version, 2, 'nothing changed');
    });
  });
}
