import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createContexts } from '../app.ts';
import { found, join } from '../communes/communes.fixtures.ts';
import { availableDatabases } from '../db/testing.ts';
import { jobRunner } from '../jobs/runner.ts';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { insertAllianceForTest } from './map.fixtures.ts';

type Entry = {
  commune: string;
  name: string;
  score: number;
  degree: number | null;
  reasons: string[];
};

/** An alliance as the alliances engine leaves it: the row and its event, then the subscribers. */
async function ally(t: TestApp, a: string, b: string) {
  await insertAllianceForTest(t.deps.db, a, b);
  const contexts = createContexts(t.deps);
  await t.deps.db.transaction().execute(async (tx) => {
    await contexts.events.publish(tx, {
      type: 'alliance_formed',
      communeId: a,
      partnerId: b,
      allianceId: `${a}-${b}`,
    });
  });
  await jobRunner(t.deps, contexts.jobs).drain();
}

const drain = (t: TestApp) => jobRunner(t.deps, createContexts(t.deps).jobs).drain();

for (const { kind, skip } of await availableDatabases()) {
  describe(`affinity routes on ${kind}`, { skip }, () => {
    let t: TestApp;
    let ana: string;
    let ben: string;
    let cy: string;
    const get = (path: string, token?: string) => t.get(`/api/v1${path}`, token);

    before(async () => {
      t = await startTestApp(kind);
      ana = await t.person('ana');
      ben = await t.person('ben');
      cy = await t.person('cy');
      const vision = 'We grow food and save seeds and share water';
      const farm = await found(t, ana, 'farm', { tags: ['food', 'seeds', 'water'], vision });
      const bees = await found(t, ana, 'bees', {
        tags: ['Food', 'seeds', 'water', 'bees'],
        vision,
      });
      const river = await found(t, ana, 'river', {
        name: 'Riverbank',
        tags: ['boats'],
        vision: 'Boats',
      });
      await found(t, ana, 'choir', { tags: ['music'], vision: 'We sing', category: 'spiritual' });
      await found(t, ben, 'secret', { tags: ['food'], visibility: 'private', vision });
      for (const c of ['farm', 'bees']) assert.equal((await join(t, ben, c)).status, 201);
      await ally(t, farm.id, river.id);
      await ally(t, river.id, bees.id);
      await drain(t);
    });
    after(() => t.close());

    it('lists related communes best first, with reasons a person can read', async () => {
      const r = await get('/communes/farm/affinity', cy);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const list = r.body as Entry[];
      // ana founded them all: each shares her with farm; river is also allied to it.
      assert.deepEqual(
        list.map((e) => e.commune),
        ['bees', 'river', 'choir'],
      );
      const bees = list[0]!;
      assert.equal(bees.degree, 2);
      assert.ok(bees.score > list[1]!.score && bees.score <= 1);
      assert.deepEqual(bees.reasons, [
        'allied through Riverbank, 2 steps',
        '2 shared members: ana, ben',
        '3 shared tags: food, seeds, water',
        'visions 100 % alike',
        'same category: social',
      ]);
      assert.deepEqual(list[1]!.reasons.slice(0, 2), ['allied directly', '1 shared member: ana']);
      assert.equal(list[2]!.degree, null);
    });

    it('never shows a private commune to outsiders, nor names it in reasons', async () => {
      for (const token of [undefined, cy, ana]) {
        const r = await get('/communes/farm/affinity', token);
        assert.equal(r.status, 200);
        assert.ok(!JSON.stringify(r.body).includes('secret'));
      }
      const inside = (await get('/communes/farm/affinity', ben)).body as Entry[];
      assert.ok(
        inside.some((e) => e.commune === 'secret'),
        'its members see it',
      );
      for (const token of [undefined, cy, ana]) {
        const r = await get('/communes/secret/affinity', token);
        assert.equal(r.status, 404);
      }
    });

    it('gives a person the communes near theirs, their own left out', async () => {
      const r = await get('/me/affinity', ben);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const list = r.body as (Entry & { from: string })[];
      assert.deepEqual(
        list.map((e) => e.commune),
        ['river', 'choir'],
      );
      assert.ok(list.every((e) => e.from === 'farm' || e.from === 'bees'));
      assert.equal((await get('/me/affinity')).status, 401);
      const none = await get('/me/affinity', cy);
      assert.deepEqual(none.body, []);
    });

    it('sorts discovery by affinity or by name, never by size', async () => {
      const near = await get('/communes?sort=affinity&near=farm', cy);
      assert.equal(near.status, 200, JSON.stringify(near.body));
      const items = near.body.items as { handle: string; affinity: { reasons: string[] } }[];
      assert.deepEqual(
        items.map((c) => c.handle),
        ['bees', 'river', 'choir'],
      );
      assert.ok(items[0]!.affinity.reasons.includes('3 shared tags: food, seeds, water'));
      assert.equal(near.body.next, null);
      const filtered = await get('/communes?sort=affinity&near=farm&tag=boats', cy);
      assert.deepEqual(
        filtered.body.items.map((c: { handle: string }) => c.handle),
        ['river'],
      );
      const mine = await get('/communes?sort=affinity', ben);
      assert.deepEqual(
        mine.body.items.map((c: { handle: string }) => c.handle),
        ['river', 'choir'],
      );
      const byName = await get('/communes', cy);
      assert.deepEqual(
        byName.body.items.map((c: { handle: string }) => c.handle),
        ['bees', 'choir', 'farm', 'river'],
      );
      for (const sort of ['members', 'memberCount', 'size', 'activity']) {
        const r = await get(`/communes?sort=${sort}`, cy);
        assert.equal(r.status, 400, sort);
      }
      assert.equal((await get('/communes?sort=affinity')).status, 401);
      assert.equal((await get('/communes?sort=affinity&near=secret', cy)).status, 404);
      assert.equal((await get('/communes?sort=affinity&near=Bad-Handle', cy)).status, 400);
      const inside = await get('/communes?sort=affinity&near=secret', ben);
      assert.equal(inside.status, 200);
    });

    it('pages discovery by affinity with a cursor, each entry once, in order', async () => {
      const pages = async (query: string, as: string | undefined, limit: number) => {
        const seen: string[] = [];
        let before: string | null = null;
        for (let n = 0; n < 20; n++) {
          const cursor: string = before === null ? '' : `&before=${before}`;
          const r = await get(`/communes?sort=affinity${query}&limit=${limit}${cursor}`, as);
          assert.equal(r.status, 200, JSON.stringify(r.body));
          const handles = r.body.items.map((c: { handle: string }) => c.handle) as string[];
          assert.ok(handles.length <= limit);
          // Every page but the last is full.
          if (r.body.next !== null) assert.equal(handles.length, limit);
          seen.push(...handles);
          before = r.body.next;
          if (before === null) return seen;
        }
        assert.fail('the pages never ended');
      };
      for (const [query, as] of [
        ['&near=farm', cy],
        ['&near=farm', undefined],
        ['', ben],
        ['&near=farm&category=social', cy],
      ] as const) {
        const whole = await get(`/communes?sort=affinity${query}&limit=200`, as);
        const all = whole.body.items.map((c: { handle: string }) => c.handle);
        assert.ok(all.length >= 2, `${query}: ${JSON.stringify(all)}`);
        for (let limit = 1; limit <= all.length + 1; limit++)
          assert.deepEqual(await pages(query, as, limit), all, `${query}, ${limit} a page`);
      }
      for (const bad of ['nonsense', 'W10', 'WyJhIiwiYiJd', 'WyIiLCJiZWVzIl0']) {
        const r = await get(`/communes?sort=affinity&near=farm&before=${bad}`, cy);
        assert.equal(r.status, 400, bad);
        assert.equal(r.body.error.code, 'invalid_cursor');
      }
    });

    it('answers bad input with a clear 4xx', async () => {
      for (const q of ['?limit=0', '?limit=abc', '?limit=201']) {
        const r = await get(`/communes/farm/affinity${q}`, cy);
        assert.equal(r.status, 400, q);
        assert.equal(typeof r.body.error.code, 'string');
      }
      assert.equal((await get('/communes/nobody/affinity', cy)).status, 404);
      const one = await get('/communes/farm/affinity?limit=1', cy);
      assert.equal(one.body.length, 1);
    });
  });
}
