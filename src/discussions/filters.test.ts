import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { availableDatabases } from '../db/testing.ts';
import { MAX_FILTERS_PER_PERSON } from './filters.ts';

const charter = (handle: string) => ({
  handle,
  name: `Commune ${handle}`,
  vision: 'Talking things through',
  category: 'social',
  tags: [],
  joinPolicy: 'open',
  visibility: 'public',
});

type Item = { id: string; title: string };

for (const { kind, skip } of await availableDatabases()) {
  describe(`filters on ${kind}`, { skip }, () => {
    let t: TestApp;
    let ana: string;
    let ben: string;
    let cy: string;
    const FILTERS = '/api/v1/me/filters';

    const addFilter = async (token: string, kind: string, value: string) => {
      const r = await t.post(FILTERS, { kind, value }, token);
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body as { id: string; kind: string; value: string; createdAt: string };
    };
    const startThread = async (token: string, c: string, title: string, body = 'plain words') => {
      const r = await t.post(`/api/v1/communes/${c}/threads`, { title, body }, token);
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body as Item;
    };
    const titles = async (c: string, token?: string, query = '') => {
      const r = await t.get(`/api/v1/communes/${c}/threads${query}`, token);
      assert.equal(r.status, 200);
      return (r.body.items as Item[]).map((x) => x.title);
    };

    /** A commune of ana's that ben joined, for a test that needs to know every thread in it. */
    const commune = async (c: string) => {
      assert.equal((await t.post('/api/v1/communes', charter(c), ana)).status, 201);
      const joined = await t.post(
        `/api/v1/communes/${c}/applications`,
        { acceptAgreements: true },
        ben,
      );
      assert.equal(joined.status, 201);
    };

    before(async () => {
      t = await startTestApp(kind);
      ana = await t.person('ana');
      ben = await t.person('ben');
      cy = await t.person('cy');
      for (const c of ['garden', 'orchard']) await commune(c);
    });
    after(() => t.close());

    describe('managing filters', () => {
      it('creates, lists and deletes a filter', async () => {
        // Someone with no filters yet: other tests give cy some.
        const lee = await t.person('lee');
        const made = await addFilter(lee, 'word', '  Turnips ');
        assert.equal(made.kind, 'word');
        assert.equal(made.value, 'turnips');
        assert.ok(!Number.isNaN(Date.parse(made.createdAt)));
        const listed = await t.get(FILTERS, lee);
        assert.equal(listed.status, 200);
        assert.deepEqual(listed.body, { items: [made], next: null });
        assert.equal((await t.del(`${FILTERS}/${made.id}`, lee)).status, 204);
        assert.deepEqual((await t.get(FILTERS, lee)).body.items, []);
        assert.equal((await t.del(`${FILTERS}/${made.id}`, lee)).status, 404);
      });

      it('409 filter_exists for a duplicate, including a word in other case', async () => {
        await addFilter(cy, 'word', 'radish');
        for (const value of ['radish', 'RADISH']) {
          const r = await t.post(FILTERS, { kind: 'word', value }, cy);
          assert.equal(r.status, 409);
          assert.equal(r.body.error.code, 'filter_exists');
        }
        // The same value under another kind or for another person is not a duplicate.
        await addFilter(ben, 'word', 'radish');
      });

      it('400 naming the field for bad input, and malformed JSON', async () => {
        const cases: [unknown, string][] = [
          [{ kind: 'word' }, 'value'],
          [{ kind: 'word', value: '' }, 'value'],
          [{ kind: 'word', value: 'x'.repeat(101) }, 'value'],
          [{ kind: 'person', value: 'Not A Handle!' }, 'value'],
          [{ kind: 'thread', value: 'not-a-uuid' }, 'value'],
          [{ kind: 'commune', value: 'x' }, 'value'],
          [{ kind: 'colour', value: 'red' }, 'kind'],
          [{ value: 'red' }, 'kind'],
        ];
        for (const [body, field] of cases) {
          const r = await t.post(FILTERS, body, cy);
          assert.equal(r.status, 400, JSON.stringify(body));
          assert.equal(r.body.error.field, field, JSON.stringify(body));
        }
        const bad = await t.call('POST', FILTERS, '{kind:', cy);
        assert.equal(bad.status, 400);
        assert.equal(bad.body.error.code, 'malformed_json');
        assert.equal((await addFilter(cy, 'word', 'x'.repeat(100))).value.length, 100);
      });

      it("401 without a session, and 404 for someone else's filter", async () => {
        assert.equal((await t.get(FILTERS)).status, 401);
        assert.equal((await t.post(FILTERS, { kind: 'word', value: 'x' })).status, 401);
        const mine = await addFilter(ana, 'word', 'private matter');
        assert.equal((await t.del(`${FILTERS}/${mine.id}`)).status, 401);
        assert.equal((await t.del(`${FILTERS}/${mine.id}`, cy)).status, 404);
        assert.equal((await t.del(`${FILTERS}/not-an-id`, cy)).status, 404);
        assert.ok(
          (await t.get(FILTERS, cy)).body.items.every((f: { id: string }) => f.id !== mine.id),
        );
        assert.ok(
          (await t.get(FILTERS, ana)).body.items.some((f: { id: string }) => f.id === mine.id),
        );
        assert.equal((await t.del(`${FILTERS}/${mine.id}`, ana)).status, 204);
      });

      it('concurrent duplicates: exactly one is created, the rest are 409', async () => {
        const kit = await t.person('kit');
        const results = await Promise.all(
          Array.from({ length: 12 }, () => t.post(FILTERS, { kind: 'person', value: 'ana' }, kit)),
        );
        assert.deepEqual(results.map((r) => r.status).sort(), [201, ...Array(11).fill(409)]);
        assert.equal((await t.get(FILTERS, kit)).body.items.length, 1);
      });

      it(`422 too_many_filters past ${MAX_FILTERS_PER_PERSON}`, async () => {
        const dee = await t.person('dee');
        for (let i = 0; i < MAX_FILTERS_PER_PERSON; i += 1)
          await addFilter(dee, 'word', `word${i}`);
        const r = await t.post(FILTERS, { kind: 'word', value: 'one more' }, dee);
        assert.equal(r.status, 422);
        assert.equal(r.body.error.code, 'too_many_filters');
        assert.equal((await t.get(FILTERS, dee)).body.items.length, MAX_FILTERS_PER_PERSON);
      });
    });

    describe('applying filters', () => {
      it('a word filter removes threads with the word in title or body, case-insensitively, for that person only', async () => {
        await startThread(ana, 'garden', 'About SLUGS', 'they eat everything');
        await startThread(ana, 'garden', 'Lettuce', 'the slugs got it again');
        await startThread(ana, 'garden', 'Sunflowers');
        const eve = await t.person('eve');
        assert.deepEqual((await titles('garden', eve)).slice(0, 3), [
          'Sunflowers',
          'Lettuce',
          'About SLUGS',
        ]);
        const f = await addFilter(eve, 'word', 'Slugs');
        const filtered = await titles('garden', eve);
        assert.ok(filtered.includes('Sunflowers'));
        assert.equal(
          filtered.some((x) => x === 'Lettuce' || x === 'About SLUGS'),
          false,
        );
        assert.ok((await titles('garden', ben)).includes('Lettuce'), 'others are not affected');
        assert.ok(
          (await titles('garden')).includes('Lettuce'),
          'anonymous readers are not affected',
        );
        await t.del(`${FILTERS}/${f.id}`, eve);
        assert.ok(
          (await titles('garden', eve)).includes('Lettuce'),
          'removing the filter brings them back',
        );
      });

      it('a person filter removes their threads and comments', async () => {
        const fay = await t.person('fay');
        await commune('by_person');
        const byBen = await startThread(ben, 'by_person', 'Ben asks');
        await startThread(ana, 'by_person', 'Ana asks');
        const ok = await t.post(`/api/v1/threads/${byBen.id}/comments`, { body: 'from ana' }, ana);
        assert.equal(ok.status, 201);
        assert.equal(
          (await t.post(`/api/v1/threads/${byBen.id}/comments`, { body: 'from ben' }, ben)).status,
          201,
        );
        await addFilter(fay, 'person', 'ben');
        assert.deepEqual(await titles('by_person', fay), ['Ana asks']);
        // The thread itself stays readable when asked for directly; ben's comment is left out.
        const view = await t.get(`/api/v1/threads/${byBen.id}`, fay);
        assert.equal(view.status, 200);
        assert.deepEqual(
          view.body.comments.map((c: { body: string }) => c.body),
          ['from ana'],
        );
        assert.equal((await t.get(`/api/v1/threads/${byBen.id}`, cy)).body.comments.length, 2);
      });

      it('a word filter removes matching comments from a thread', async () => {
        const gus = await t.person('gus');
        const thread = await startThread(ana, 'orchard', 'Apples');
        for (const body of ['Pears are better', 'apples forever', 'I love PEARS']) {
          assert.equal(
            (await t.post(`/api/v1/threads/${thread.id}/comments`, { body }, ben)).status,
            201,
          );
        }
        await addFilter(gus, 'word', 'pears');
        const view = await t.get(`/api/v1/threads/${thread.id}`, gus);
        assert.deepEqual(
          view.body.comments.map((c: { body: string }) => c.body),
          ['apples forever'],
        );
      });

      it('a thread filter removes the thread from lists but it stays readable directly', async () => {
        const hal = await t.person('hal');
        await startThread(ana, 'orchard', 'Quiet thread');
        const noisy = await startThread(ana, 'orchard', 'Noisy thread');
        await addFilter(hal, 'thread', noisy.id.toUpperCase());
        const listed = await titles('orchard', hal);
        assert.ok(!listed.includes('Noisy thread'));
        assert.ok(listed.includes('Quiet thread'));
        const direct = await t.get(`/api/v1/threads/${noisy.id}`, hal);
        assert.equal(direct.status, 200);
        assert.equal(direct.body.thread.title, 'Noisy thread');
      });

      it("a commune filter hides the commune's threads from lists", async () => {
        const ida = await t.person('ida');
        for (const c of ['garden', 'orchard']) await startThread(ana, c, `News from ${c}`);
        assert.ok((await titles('garden', ida)).length > 0);
        await addFilter(ida, 'commune', 'garden');
        const r = await t.get('/api/v1/communes/garden/threads', ida);
        assert.deepEqual({ ...r.body, hidden: 0 }, { items: [], next: null, hidden: 0 });
        assert.ok(r.body.hidden >= 1, 'and says how many it hides');
        assert.ok((await titles('orchard', ida)).length > 0, 'other communes are unaffected');
      });

      it('pages stay full and complete when filters remove rows in between', async () => {
        assert.equal((await t.post('/api/v1/communes', charter('paging'), ana)).status, 201);
        const made: Item[] = [];
        for (let i = 0; i < 12; i += 1)
          made.push(await startThread(ana, 'paging', i % 3 === 0 ? `keep ${i}` : `skip ${i}`));
        const jo = await t.person('jo');
        await addFilter(jo, 'word', 'skip');
        const seen: string[] = [];
        let query = '?limit=2';
        for (let pages = 0; pages < 10; pages += 1) {
          const r = await t.get(`/api/v1/communes/paging/threads${query}`, jo);
          assert.equal(r.status, 200);
          seen.push(...r.body.items.map((x: Item) => x.title));
          if (r.body.next === null) break;
          assert.equal(r.body.items.length, 2);
          query = `?limit=2&before=${r.body.next}`;
        }
        assert.deepEqual(seen, ['keep 9', 'keep 6', 'keep 3', 'keep 0']);
      });
    });
  });
}
