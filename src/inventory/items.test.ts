import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { availableDatabases } from '../db/testing.ts';
import { communeWith, guide, outcome, writeItem } from './items.fixtures.ts';
import {
  DEFAULT_LICENSE,
  MAX_BODY_CHARS,
  MAX_TAG_CHARS,
  MAX_TAGS,
  MAX_TITLE_CHARS,
} from './items.ts';

// Items of the knowledge inventory over HTTP (API.md "Knowledge inventory"), on both databases.
for (const { kind, skip } of await availableDatabases()) {
  describe(`inventory items on ${kind}`, { skip }, () => {
    let t: TestApp;
    const tok: Record<string, string> = {};

    before(async () => {
      t = await startTestApp(kind);
      for (const h of ['ada', 'bo', 'cy', 'out']) tok[h] = await t.person(h);
      await communeWith(t, 'garden', tok.ada!, [tok.bo!, tok.cy!]);
      await communeWith(t, 'hidden', tok.ada!, [tok.bo!], 'private');
    });
    after(() => t.close());

    it('writes an item at version 1 with rendered, sanitized html and the default license', async () => {
      const r = await t.post(
        '/api/v1/communes/garden/items',
        guide({ body: 'Hello **you** <script>alert(1)</script> [x](javascript:alert(1))' }),
        tok.bo,
      );
      assert.equal(r.status, 201, JSON.stringify(r.body));
      const item = r.body;
      assert.equal(item.version, 1);
      assert.equal(item.license, DEFAULT_LICENSE);
      assert.equal(item.commune, 'garden');
      assert.equal(item.author.handle, 'bo');
      assert.equal(item.forkedFrom, null);
      assert.equal(item.deletedAt, null);
      assert.equal(item.canEdit, true);
      assert.match(item.html, /<strong>you<\/strong>/);
      assert.doesNotMatch(item.html, /<script|javascript:/);
      const got = await t.get(`/api/v1/items/${item.id}`);
      assert.equal(got.status, 200);
      assert.deepEqual({ ...got.body, canEdit: true }, item);
      assert.equal(got.body.canEdit, false, 'an anonymous caller cannot edit');
    });

    it('lists newest first, filters by kind and tag, and pages with limit/before', async () => {
      await communeWith(t, 'lists', tok.ada!, []);
      const made = [];
      for (let i = 0; i < 5; i++)
        made.push(
          await writeItem(t, tok.ada!, 'lists', {
            kind: i % 2 ? 'skill' : 'guide',
            title: `Item ${i}`,
            tags: i < 2 ? ['seeds'] : ['tools'],
          }),
        );
      const all = await t.get('/api/v1/communes/lists/items');
      assert.deepEqual(
        all.body.items.map((i: { title: string }) => i.title),
        ['Item 4', 'Item 3', 'Item 2', 'Item 1', 'Item 0'],
      );
      const skills = await t.get('/api/v1/communes/lists/items?kind=skill');
      assert.deepEqual(
        skills.body.items.map((i: { title: string }) => i.title),
        ['Item 3', 'Item 1'],
      );
      const seeds = await t.get('/api/v1/communes/lists/items?tag=SEEDS');
      assert.deepEqual(
        seeds.body.items.map((i: { title: string }) => i.title),
        ['Item 1', 'Item 0'],
      );
      const seen: string[] = [];
      let next: string | null = null;
      do {
        const page = await t.get(
          `/api/v1/communes/lists/items?limit=2${next ? `&before=${next}` : ''}`,
        );
        assert.equal(page.status, 200);
        assert.ok(page.body.items.length <= 2);
        seen.push(...page.body.items.map((i: { title: string }) => i.title));
        next = page.body.next;
      } while (next);
      assert.deepEqual(seen, ['Item 4', 'Item 3', 'Item 2', 'Item 1', 'Item 0']);
      assert.equal(
        outcome(await t.get('/api/v1/communes/lists/items?before=nonsense')),
        '400 invalid_cursor',
      );
    });

    it('edits into a new version; a stale base gets 409 edit_conflict with the current item', async () => {
      const item = await writeItem(t, tok.bo!, 'garden');
      const e = await t.put(
        `/api/v1/items/${item.id}`,
        { baseVersion: 1, title: 'Better' },
        tok.bo,
      );
      assert.equal(e.status, 200, JSON.stringify(e.body));
      assert.equal(e.body.version, 2);
      assert.equal(e.body.title, 'Better');
      assert.equal(e.body.body, item.body, 'fields not named stay');
      const stale = await t.put(
        `/api/v1/items/${item.id}`,
        { baseVersion: 1, title: 'Mine' },
        tok.ada,
      );
      assert.equal(outcome(stale), '409 edit_conflict');
      assert.equal(stale.body.error.details.current.version, 2);
      assert.equal(stale.body.error.details.current.title, 'Better');
      assert.equal((await t.get(`/api/v1/items/${item.id}`)).body.title, 'Better');
      // A steward may edit anyone's item; another member may not.
      const steward = await t.put(
        `/api/v1/items/${item.id}`,
        { baseVersion: 2, tags: [] },
        tok.ada,
      );
      assert.equal(steward.status, 200);
      assert.deepEqual(steward.body.tags, []);
      const other = await t.put(`/api/v1/items/${item.id}`, { baseVersion: 3, title: 'x' }, tok.cy);
      assert.equal(outcome(other), '403 not_item_editor');
      assert.equal(
        outcome(await t.put(`/api/v1/items/${item.id}`, { baseVersion: 3 })),
        '401 not_signed_in',
      );
    });

    it('deletes into a tombstone that keeps title and attribution; only author or steward', async () => {
      const item = await writeItem(t, tok.bo!, 'garden', { title: 'Going away' });
      assert.equal(outcome(await t.del(`/api/v1/items/${item.id}`, tok.cy)), '403 not_item_editor');
      assert.equal(outcome(await t.del(`/api/v1/items/${item.id}`)), '401 not_signed_in');
      // A file row as the files routes would write it; deleting the item takes it along.
      const sha = 'a'.repeat(64);
      await t.deps.db
        .insertInto('item_files')
        .values({
          item_id: item.id,
          sha256: sha,
          name: 'plan.pdf',
          type: 'application/pdf',
          size: 10,
          added_by: (await t.get('/api/v1/me', tok.bo)).body.id,
          added_at: new Date().toISOString(),
        })
        .execute();
      assert.equal((await t.del(`/api/v1/items/${item.id}`, tok.bo)).status, 204);
      const files = await t.deps.db
        .selectFrom('item_files')
        .select('sha256')
        .where('item_id', '=', item.id)
        .execute();
      assert.deepEqual(files, [], 'its file rows went with it');
      const tomb = (await t.get(`/api/v1/items/${item.id}`)).body;
      assert.equal(tomb.title, 'Going away');
      assert.equal(tomb.author.handle, 'bo');
      assert.equal(tomb.body, '');
      assert.equal(tomb.html, '');
      assert.notEqual(tomb.deletedAt, null);
      assert.equal((await t.get(`/api/v1/items/${item.id}/versions/1`)).body.body, '');
      assert.equal(
        (await t.del(`/api/v1/items/${item.id}`, tok.bo)).status,
        204,
        'again: no change',
      );
      const list = await t.get('/api/v1/communes/garden/items?limit=200');
      assert.ok(!list.body.items.some((i: { id: string }) => i.id === item.id));
      const edit = await t.put(
        `/api/v1/items/${item.id}`,
        { baseVersion: 1, title: 'Back' },
        tok.bo,
      );
      assert.equal(outcome(edit), '409 item_deleted');
      const events = await t.deps.db
        .selectFrom('domain_events')
        .select('payload')
        .where('type', '=', 'item_deleted')
        .execute();
      assert.deepEqual(
        events.map((e) => JSON.parse(e.payload)),
        [
          {
            type: 'item_deleted',
            communeId: (await t.get('/api/v1/communes/garden')).body.id,
            itemId: item.id,
            files: [sha],
          },
        ],
        'one item_deleted event, written with the tombstone, naming its files',
      );
    });

    describe('bad input: a clear 400 and nothing changed', () => {
      const cases: [string, Record<string, unknown>, string][] = [
        ['unknown kind', { kind: 'essay' }, 'invalid_kind'],
        ['unknown visibility', { visibility: 'friends' }, 'invalid_visibility'],
        ['unknown license', { license: 'MIT-ish' }, 'invalid_license'],
        ['body over the limit', { body: 'x'.repeat(MAX_BODY_CHARS + 1) }, 'invalid_body'],
        ['title over the limit', { title: 't'.repeat(MAX_TITLE_CHARS + 1) }, 'invalid_title'],
        ['empty title', { title: '  ' }, 'invalid_title'],
        [
          'too many tags',
          { tags: Array.from({ length: MAX_TAGS + 1 }, (_, i) => `t${i}`) },
          'invalid_tags',
        ],
        ['a tag too long', { tags: ['x'.repeat(MAX_TAG_CHARS + 1)] }, 'invalid_tags'],
        ['javascript: link', { kind: 'link', url: 'javascript:alert(1)' }, 'invalid_url'],
        ['data: link', { kind: 'link', url: 'data:text/html,hi' }, 'invalid_url'],
        ['ftp: link', { kind: 'link', url: 'ftp://example.org/x' }, 'invalid_url'],
        ['relative link', { kind: 'link', url: '/etc/passwd' }, 'invalid_url'],
        ['a link without url', { kind: 'link' }, 'invalid_url'],
        ['a url on a guide', { url: 'https://example.org' }, 'invalid_url'],
        ['an estimate on a guide', { estimate: 3 }, 'invalid_estimate'],
        ['a negative estimate', { kind: 'offer', estimate: -1 }, 'invalid_estimate'],
        ['a fractional estimate', { kind: 'need', estimate: 1.5 }, 'invalid_estimate'],
        ['a NUL in the body', { body: 'a\u0000b' }, 'invalid_body'],
      ];
      for (const [name, overrides, code] of cases)
        it(name, async () => {
          const beforeList = (await t.get('/api/v1/communes/garden/items?limit=200', tok.ada)).body;
          const r = await t.post('/api/v1/communes/garden/items', guide(overrides), tok.bo);
          assert.equal(outcome(r), `400 ${code}`);
          assert.equal(typeof r.body.error.message, 'string');
          const afterList = (await t.get('/api/v1/communes/garden/items?limit=200', tok.ada)).body;
          assert.deepEqual(afterList, beforeList);
        });

      it('accepts every limit exactly at the edge', async () => {
        const r = await t.post(
          '/api/v1/communes/garden/items',
          guide({
            title: 't'.repeat(MAX_TITLE_CHARS),
            body: 'b'.repeat(MAX_BODY_CHARS),
            tags: Array.from({ length: MAX_TAGS }, (_, i) => `${i}`.padEnd(MAX_TAG_CHARS, 'x')),
          }),
          tok.bo,
        );
        assert.equal(r.status, 201, JSON.stringify(r.body).slice(0, 300));
        assert.equal(r.body.tags.length, MAX_TAGS);
        const link = await t.post(
          '/api/v1/communes/garden/items',
          guide({ kind: 'link', url: 'https://example.org/a?b=c', license: 'MIT' }),
          tok.bo,
        );
        assert.equal(link.status, 201);
        assert.equal(link.body.url, 'https://example.org/a?b=c');
        assert.equal(link.body.license, 'MIT');
        const offer = await t.post(
          '/api/v1/communes/garden/items',
          guide({ kind: 'offer', estimate: 0 }),
          tok.bo,
        );
        assert.equal(offer.body.estimate, 0);
      });

      it('a public item in a private commune is a 400, at creation and by edit', async () => {
        const r = await t.post('/api/v1/communes/hidden/items', guide(), tok.bo);
        assert.equal(outcome(r), '400 public_in_private_commune');
        const item = await writeItem(t, tok.bo!, 'hidden', { visibility: 'commune' });
        const e = await t.put(
          `/api/v1/items/${item.id}`,
          { baseVersion: 1, visibility: 'public' },
          tok.bo,
        );
        assert.equal(outcome(e), '400 public_in_private_commune');
        assert.equal((await t.get(`/api/v1/items/${item.id}`, tok.bo)).body.version, 1);
      });

      it('a bad edit changes nothing (no new version)', async () => {
        const item = await writeItem(t, tok.bo!, 'garden');
        for (const bad of [
          { baseVersion: 1, kind: 'essay' },
          { baseVersion: 1, url: 'javascript:x' },
          { baseVersion: 0, title: 'x' },
          { title: 'no base' },
          { baseVersion: 1, kind: 'link' },
        ]) {
          const r = await t.put(`/api/v1/items/${item.id}`, bad, tok.bo);
          assert.equal(r.status, 400, JSON.stringify(bad));
        }
        const versions = await t.get(`/api/v1/items/${item.id}/versions`);
        assert.equal(versions.body.items.length, 1);
      });

      it('unknown and malformed item ids are 404, never 5xx', async () => {
        for (const id of ['nope', '00000000-0000-7000-8000-000000000000', '%E2%80%AE'])
          assert.equal(outcome(await t.get(`/api/v1/items/${id}`)), '404 item_not_found');
        assert.equal(outcome(await t.get('/api/v1/items/%00')), '400 malformed_url');
      });
    });
  });
}
