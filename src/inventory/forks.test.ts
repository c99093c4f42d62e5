import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { availableDatabases } from '../db/testing.ts';
import { communeWith, outcome, writeItem } from './items.fixtures.ts';

// Forks over HTTP: copies into another commune that keep their attribution, both databases.
for (const { kind, skip } of await availableDatabases()) {
  describe(`inventory forks on ${kind}`, { skip }, () => {
    let t: TestApp;
    const tok: Record<string, string> = {};

    before(async () => {
      t = await startTestApp(kind);
      for (const h of ['ada', 'bo', 'cy']) tok[h] = await t.person(h);
      await communeWith(t, 'garden', tok.ada!, [tok.bo!]);
      await communeWith(t, 'bakery', tok.bo!, []);
      await communeWith(t, 'quiet', tok.bo!, [], 'private');
      await communeWith(t, 'closed', tok.cy!, [], 'private');
      await communeWith(t, 'far', tok.cy!, [], 'public');
    });
    after(() => t.close());

    it('copies the latest version; forkedFrom keeps item, version, commune and author', async () => {
      const item = await writeItem(t, tok.ada!, 'garden', { body: 'v1' });
      await t.put(`/api/v1/items/${item.id}`, { baseVersion: 1, body: 'v2' }, tok.ada);
      const r = await t.post(`/api/v1/items/${item.id}/forks`, { commune: 'bakery' }, tok.bo);
      assert.equal(r.status, 201, JSON.stringify(r.body));
      const fork = r.body;
      assert.notEqual(fork.id, item.id);
      assert.equal(fork.version, 1);
      assert.equal(fork.commune, 'bakery');
      assert.equal(fork.author.handle, 'bo');
      assert.equal(fork.body, 'v2');
      assert.equal(fork.license, item.license);
      assert.deepEqual(fork.forkedFrom, {
        item: item.id,
        version: 2,
        commune: 'garden',
        author: { handle: 'ada', displayName: 'ada' },
      });
      // The fork is its forker's to edit, and edits there leave the original alone.
      const e = await t.put(`/api/v1/items/${fork.id}`, { baseVersion: 1, body: 'ours' }, tok.bo);
      assert.equal(e.status, 200);
      assert.equal((await t.get(`/api/v1/items/${item.id}`)).body.body, 'v2');
      const listed = (await t.get(`/api/v1/communes/bakery/items`)).body.items;
      assert.ok(listed.some((i: { id: string }) => i.id === fork.id));
    });

    it('attribution survives the original’s deletion', async () => {
      const item = await writeItem(t, tok.ada!, 'garden', { title: 'Soon gone' });
      const fork = (await t.post(`/api/v1/items/${item.id}/forks`, { commune: 'bakery' }, tok.bo))
        .body;
      assert.equal((await t.del(`/api/v1/items/${item.id}`, tok.ada)).status, 204);
      const again = (await t.get(`/api/v1/items/${fork.id}`)).body;
      assert.deepEqual(again.forkedFrom, {
        item: item.id,
        version: 1,
        commune: 'garden',
        author: { handle: 'ada', displayName: 'ada' },
      });
      assert.equal(again.body, fork.body, 'the copy keeps its own body');
      const tomb = (await t.get(`/api/v1/items/${item.id}`)).body;
      assert.equal(tomb.title, 'Soon gone');
      assert.equal(tomb.author.handle, 'ada');
      const forks = (await t.get(`/api/v1/items/${item.id}/forks`)).body.items;
      assert.deepEqual(
        forks.map((f: { id: string }) => f.id),
        [fork.id],
        'the tombstone still lists its forks',
      );
      assert.equal(
        outcome(await t.post(`/api/v1/items/${item.id}/forks`, { commune: 'bakery' }, tok.bo)),
        '409 item_deleted',
      );
    });

    it('a public item forked into a private commune stays among its members', async () => {
      const item = await writeItem(t, tok.ada!, 'garden', { visibility: 'public' });
      const r = await t.post(`/api/v1/items/${item.id}/forks`, { commune: 'quiet' }, tok.bo);
      assert.equal(r.status, 201);
      assert.equal(r.body.visibility, 'commune');
      assert.equal(outcome(await t.get(`/api/v1/items/${r.body.id}`)), '404 item_not_found');
      assert.deepEqual((await t.get(`/api/v1/items/${item.id}/forks`)).body.items, []);
    });

    it('refuses bad forks with a clear 4xx and makes nothing', async () => {
      const item = await writeItem(t, tok.ada!, 'garden');
      const hidden = await writeItem(t, tok.ada!, 'garden', { visibility: 'commune' });
      const url = `/api/v1/items/${item.id}/forks`;
      const cases: [string, unknown, string | undefined, string][] = [
        ['anonymous', { commune: 'bakery' }, undefined, '401 not_signed_in'],
        ['into a commune you are not in', { commune: 'far' }, tok.bo, '403 members_only'],
        ['into a private commune you are not in', { commune: 'closed' }, tok.bo, '404 not_found'],
        ['into no commune', { commune: 'nowhere' }, tok.bo, '404 not_found'],
        ['into its own commune', { commune: 'garden' }, tok.bo, '422 fork_into_same_commune'],
        ['without a commune', {}, tok.bo, '400 invalid_input'],
        ['a commune that is not a string', { commune: 7 }, tok.bo, '400 invalid_input'],
      ];
      for (const [name, body, token, expected] of cases)
        assert.equal(outcome(await t.post(url, body, token)), expected, name);
      // An item the caller may not see cannot be forked (and is not confirmed to exist).
      assert.equal(
        outcome(await t.post(`/api/v1/items/${hidden.id}/forks`, { commune: 'far' }, tok.cy)),
        '403 members_only',
      );
      assert.deepEqual((await t.get(url, tok.ada)).body.items, [], 'no fork was made');
    });

    it('pages the forks newest first', async () => {
      const item = await writeItem(t, tok.ada!, 'garden');
      const made: string[] = [];
      for (let i = 0; i < 3; i++)
        made.push(
          (await t.post(`/api/v1/items/${item.id}/forks`, { commune: 'bakery' }, tok.bo)).body.id,
        );
      const seen: string[] = [];
      let next: string | null = null;
      do {
        const page = await t.get(
          `/api/v1/items/${item.id}/forks?limit=2${next ? `&before=${next}` : ''}`,
        );
        assert.equal(page.status, 200);
        seen.push(...page.body.items.map((f: { id: string }) => f.id));
        next = page.body.next;
      } while (next);
      assert.deepEqual(seen, made.reverse());
    });
  });
}
