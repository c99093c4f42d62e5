import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { found } from '../communes/communes.fixtures.ts';
import { availableDatabases } from '../db/testing.ts';
import { MAP_PAGE_MAX } from './map.ts';
import { foundCommunesForTest, insertAllianceForTest } from './map.fixtures.ts';

type Map = {
  nodes: { handle: string; name: string; category: string; tags: string[] }[];
  edges: { a: string; b: string; since: string }[];
  next: string | null;
};
const handles = (m: Map) => m.nodes.map((n) => n.handle).sort();
const pairs = (m: Map) => m.edges.map((e) => `${e.a}-${e.b}`).sort();

for (const { kind, skip } of await availableDatabases()) {
  describe(`network map on ${kind}`, { skip }, () => {
    let t: TestApp;
    let ana: string; // founds the public communes
    let ben: string; // founds (so is a member of) the private and the unlisted commune
    let cy: string; // outsider
    const get = async (query: string, token?: string) => {
      const r = await t.call('GET', `/api/v1/network${query}`, undefined, token);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body as Map;
    };

    before(async () => {
      t = await startTestApp(kind);
      ana = await t.person('ana', 'Ana');
      ben = await t.person('ben', 'Ben');
      cy = await t.person('cy', 'Cy');
      const farm = await found(t, ana, 'farm', { tags: ['food', 'soil'], category: 'social' });
      const choir = await found(t, ana, 'choir', { tags: ['music'], category: 'spiritual' });
      const bees = await found(t, ana, 'bees', { tags: ['food'], category: 'political' });
      // ben founds these, so he is their member (a private commune takes no applications).
      const secret = await found(t, ben, 'secret', { tags: ['food'], visibility: 'private' });
      const quiet = await found(t, ben, 'quiet', { tags: ['food'], visibility: 'unlisted' });
      const lone = await found(t, ana, 'lone', { tags: ['food'] });
      await insertAllianceForTest(t.deps.db, farm.id, choir.id);
      await insertAllianceForTest(
        t.deps.db,
        bees.id,
        farm.id,
        'active',
        '2026-03-01T00:00:00.000Z',
      );
      await insertAllianceForTest(t.deps.db, farm.id, secret.id);
      await insertAllianceForTest(t.deps.db, quiet.id, bees.id);
      await insertAllianceForTest(t.deps.db, lone.id, choir.id, 'requested');
      await insertAllianceForTest(t.deps.db, lone.id, bees.id, 'ended');
    });
    after(() => t.close());

    it('shows anonymous callers and outsiders public communes and their active alliances only', async () => {
      for (const token of [undefined, cy, ana]) {
        const m = await get('', token);
        assert.deepEqual(handles(m), ['bees', 'choir', 'farm', 'lone']);
        assert.deepEqual(pairs(m), ['bees-farm', 'farm-choir']);
        assert.ok(!JSON.stringify(m).includes('secret'), 'a private commune never leaks');
        assert.ok(!JSON.stringify(m).includes('quiet'), 'an unlisted commune is not listed');
      }
    });

    it('shows members their private and unlisted communes and the alliances they take part in', async () => {
      const m = await get('', ben);
      assert.deepEqual(handles(m), ['bees', 'choir', 'farm', 'lone', 'quiet', 'secret']);
      assert.deepEqual(pairs(m), ['bees-farm', 'farm-choir', 'farm-secret', 'quiet-bees']);
      const farm = m.nodes.find((n) => n.handle === 'farm');
      assert.deepEqual(farm, {
        handle: 'farm',
        name: 'Commune farm',
        category: 'social',
        tags: ['food', 'soil'],
      });
      const since = m.edges.find((e) => e.a === 'bees')?.since;
      assert.equal(since, '2026-03-01T00:00:00.000Z');
    });

    it('filters by tag and by category, keeping only edges between the nodes left', async () => {
      const food = await get('?tag=food', cy);
      assert.deepEqual(handles(food), ['bees', 'farm', 'lone']);
      assert.deepEqual(pairs(food), ['bees-farm']);
      // Tags are matched the way they are stored: trimmed and lower case.
      assert.deepEqual(handles(await get('?tag=%20FOOD%20', cy)), ['bees', 'farm', 'lone']);
      const spiritual = await get('?category=spiritual', cy);
      assert.deepEqual(handles(spiritual), ['choir']);
      assert.deepEqual(pairs(spiritual), []);
      const both = await get('?tag=food&category=political', ben);
      assert.deepEqual(handles(both), ['bees']);
      assert.deepEqual(handles(await get('?tag=nothing-here', ben)), []);
      assert.deepEqual(handles(await get('?tag=food&category=social', ben)), [
        'farm',
        'lone',
        'quiet',
        'secret',
      ]);
    });

    it('pages nodes by handle; each page brings the alliances it completes, each once', async () => {
      const whole = await get('', ben);
      assert.equal(whole.next, null);
      for (const limit of [1, 2, 3, 5]) {
        const nodes: string[] = [];
        const edges: string[] = [];
        let before: string | null = null;
        for (let round = 0; round < 10; round++) {
          const m = await get(`?limit=${limit}${before ? `&before=${before}` : ''}`, ben);
          assert.ok(m.nodes.length <= limit);
          nodes.push(...m.nodes.map((n) => n.handle));
          edges.push(...pairs(m));
          // What the pages so far hold is every alliance among their nodes.
          const seen = new Set(nodes);
          const among = pairs(whole).filter((p) => p.split('-').every((h) => seen.has(h)));
          assert.deepEqual([...edges].sort(), among, `limit ${limit}, after ${String(before)}`);
          before = m.next;
          if (before === null) break;
          assert.equal(before, nodes.at(-1));
        }
        assert.equal(before, null, `limit ${limit} reached the end`);
        assert.deepEqual(nodes, handles(whole), `limit ${limit}: in handle order, none twice`);
        assert.deepEqual(edges.sort(), pairs(whole), `limit ${limit}: every edge once`);
      }
    });

    it('answers a bad query with a clear 400', async () => {
      for (const q of ['?category=cult', `?tag=${'x'.repeat(41)}`, '?tag=', '?tag=%20']) {
        const r = await t.call('GET', `/api/v1/network${q}`);
        assert.equal(r.status, 400, q);
        assert.equal(typeof r.body.error.code, 'string', q);
        assert.match(r.body.error.message, /tag|category/, q);
      }
      for (const q of ['?limit=0', `?limit=${MAP_PAGE_MAX + 1}`, '?limit=x', '?before=NO%20WAY']) {
        const r = await t.call('GET', `/api/v1/network${q}`);
        assert.equal(r.status, 400, q);
        assert.match(r.body.error.message, /limit|before/, q);
      }
    });
  });
}

for (const { kind, skip } of await availableDatabases()) {
  describe(`network map size cap on ${kind}`, { skip }, () => {
    let t: TestApp;
    let ana: string;
    before(async () => {
      t = await startTestApp(kind);
      ana = await t.person('ana', 'Ana');
    });
    after(() => t.close());

    it(`answers at most ${MAP_PAGE_MAX} nodes a page, and the pages hold the whole chain`, async () => {
      const count = MAP_PAGE_MAX + 5;
      const ids = await foundCommunesForTest(t, ana, 'c', count);
      for (let i = 1; i < count; i++) await insertAllianceForTest(t.deps.db, ids[i]!, ids[i - 1]!);
      const first = (await t.get('/api/v1/network')).body as Map;
      assert.equal(first.nodes.length, MAP_PAGE_MAX);
      assert.equal(first.edges.length, MAP_PAGE_MAX - 1);
      assert.equal(first.next, first.nodes.at(-1)?.handle);
      const second = (await t.get(`/api/v1/network?before=${first.next}`)).body as Map;
      assert.deepEqual(
        second.nodes.map((n) => n.handle),
        ['c200', 'c201', 'c202', 'c203', 'c204'],
      );
      // c200–c199 crosses the pages: it comes with its later end, on the second page.
      assert.deepEqual(pairs(second), [
        'c200-c199',
        'c201-c200',
        'c202-c201',
        'c203-c202',
        'c204-c203',
      ]);
      assert.equal(second.next, null);
    });
  });
}
