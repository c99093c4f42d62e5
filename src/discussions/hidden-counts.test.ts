import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { availableDatabases } from '../db/testing.ts';

// A list the caller's own filters thin says by how many ("N hidden by your filters"): the
// server counts, per page, what the filters left out of the span that page covers, so the
// pages of a list add up to the whole list's count and the client never guesses.

type ThreadSpec = { author: 0 | 1; word: boolean };

for (const { kind, skip } of await availableDatabases()) {
  describe(`hidden by your filters: thread lists and search on ${kind}`, { skip }, () => {
    let t: TestApp;
    let tokens: string[];
    let n = 0;
    before(async () => {
      t = await startTestApp(kind);
      tokens = [await t.person('hc_ana'), await t.person('hc_ben'), await t.person('hc_cy')];
    });
    after(() => t.close());

    /** A fresh commune with these threads (oldest first), and a reader with fresh filters. */
    async function setUp(specs: ThreadSpec[], pinFirst: boolean) {
      n += 1;
      const handle = `hc_c${n}`;
      const made = await t.post(
        '/api/v1/communes',
        {
          handle,
          name: `C ${n}`,
          vision: 'v',
          category: 'other',
          tags: [],
          joinPolicy: 'open',
          visibility: 'public',
        },
        tokens[0],
      );
      assert.equal(made.status, 201);
      assert.equal(
        (
          await t.post(
            `/api/v1/communes/${handle}/applications`,
            { acceptAgreements: true },
            tokens[1],
          )
        ).status,
        201,
      );
      const ids: string[] = [];
      for (const [i, s] of specs.entries()) {
        const r = await t.post(
          `/api/v1/communes/${handle}/threads`,
          { title: `T${i} ${s.word ? 'zucchini' : 'beans'}`, body: 'b' },
          tokens[s.author],
        );
        assert.equal(r.status, 201);
        ids.push(r.body.id);
      }
      if (pinFirst && ids[0])
        assert.equal(
          (await t.post(`/api/v1/threads/${ids[0]}/pin`, { reason: 'pinned' }, tokens[0])).status,
          200,
        );
      return { handle, ids };
    }

    async function readAll(handle: string, limit: number, token: string) {
      let before: string | null = null;
      const shown: string[] = [];
      let hidden = 0;
      for (let pages = 0; pages < 100; pages++) {
        const qs: string = `?limit=${limit}${before ? `&before=${before}` : ''}`;
        const r = await t.get(`/api/v1/communes/${handle}/threads${qs}`, token);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.ok(Number.isInteger(r.body.hidden) && r.body.hidden >= 0);
        shown.push(...r.body.items.map((x: { id: string }) => x.id));
        hidden += r.body.hidden;
        before = r.body.next;
        if (before === null) break;
      }
      return { shown, hidden };
    }

    it('adds up, over the pages, to every thread the filters hide (property)', async () => {
      const cy = tokens[2]!;
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.record({ author: fc.constantFrom(0, 1), word: fc.boolean() }), {
            maxLength: 9,
          }),
          fc.integer({ min: 1, max: 4 }),
          fc.boolean(),
          fc.subarray(['person', 'word'] as const),
          async (specs, limit, pinFirst, kinds) => {
            const { handle, ids } = await setUp(specs as ThreadSpec[], pinFirst);
            const mine = (await t.get('/api/v1/me/filters', cy)).body.items as { id: string }[];
            for (const f of mine) await t.del(`/api/v1/me/filters/${f.id}`, cy);
            if (kinds.includes('person'))
              await t.post('/api/v1/me/filters', { kind: 'person', value: 'hc_ben' }, cy);
            if (kinds.includes('word'))
              await t.post('/api/v1/me/filters', { kind: 'word', value: 'zucchini' }, cy);
            const hides = (s: ThreadSpec) =>
              (kinds.includes('person') && s.author === 1) || (kinds.includes('word') && s.word);
            const expectedShown = ids.filter((_, i) => !hides(specs[i] as ThreadSpec));
            const { shown, hidden } = await readAll(handle, limit, cy);
            assert.deepEqual(new Set(shown), new Set(expectedShown));
            assert.equal(shown.length, expectedShown.length, 'each thread once');
            assert.equal(hidden, ids.length - expectedShown.length);
            // Someone without filters sees everything, and nothing hidden.
            const plain = await readAll(handle, limit, tokens[0]!);
            assert.equal(plain.hidden, 0);
            assert.equal(plain.shown.length, ids.length);
          },
        ),
        { numRuns: 12 },
      );
    });

    it('adds up, over the pages of a thread, to every comment the filters hide (property)', async () => {
      const cy = tokens[2]!;
      const { handle } = await setUp([], false);
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.record({ author: fc.constantFrom(0, 1), word: fc.boolean() }), {
            maxLength: 9,
          }),
          fc.integer({ min: 1, max: 4 }),
          fc.subarray(['person', 'word'] as const),
          async (specs, limit, kinds) => {
            const th = await t.post(
              `/api/v1/communes/${handle}/threads`,
              { title: 'talk', body: 'b' },
              tokens[0],
            );
            const ids: string[] = [];
            for (const s of specs) {
              const c = await t.post(
                `/api/v1/threads/${th.body.id}/comments`,
                { body: s.word ? 'more zucchini' : 'more beans' },
                tokens[s.author],
              );
              assert.equal(c.status, 201);
              ids.push(c.body.id);
            }
            const mine = (await t.get('/api/v1/me/filters', cy)).body.items as { id: string }[];
            for (const f of mine) await t.del(`/api/v1/me/filters/${f.id}`, cy);
            if (kinds.includes('person'))
              await t.post('/api/v1/me/filters', { kind: 'person', value: 'hc_ben' }, cy);
            if (kinds.includes('word'))
              await t.post('/api/v1/me/filters', { kind: 'word', value: 'zucchini' }, cy);
            const hides = (s: ThreadSpec) =>
              (kinds.includes('person') && s.author === 1) || (kinds.includes('word') && s.word);
            const expected = ids.filter((_, i) => !hides(specs[i] as ThreadSpec));
            let after: string | null = null;
            const shown: string[] = [];
            let hidden = 0;
            for (let pages = 0; pages < 100; pages++) {
              const qs: string = `?limit=${limit}${after ? `&after=${after}` : ''}`;
              const r = await t.get(`/api/v1/threads/${th.body.id}${qs}`, cy);
              assert.equal(r.status, 200);
              shown.push(...r.body.comments.map((c: { id: string }) => c.id));
              hidden += r.body.hidden;
              after = r.body.next;
              if (after === null) break;
            }
            assert.deepEqual(shown, expected);
            assert.equal(hidden, ids.length - expected.length);
            const plain = await t.get(`/api/v1/threads/${th.body.id}`, tokens[0]);
            assert.equal(plain.body.hidden, 0);
          },
        ),
        { numRuns: 10 },
      );
    });

    it('counts every thread of a commune the reader filtered, once', async () => {
      const cy = tokens[2]!;
      const { handle } = await setUp(
        [
          { author: 0, word: false },
          { author: 1, word: false },
          { author: 0, word: true },
        ],
        true,
      );
      const f = await t.post('/api/v1/me/filters', { kind: 'commune', value: handle }, cy);
      assert.equal(f.status, 201);
      const r = await t.get(`/api/v1/communes/${handle}/threads`, cy);
      assert.deepEqual(r.body.items, []);
      assert.equal(r.body.hidden, 3);
      assert.equal((await t.get(`/api/v1/communes/${handle}/threads`)).body.hidden, 0);
      await t.del(`/api/v1/me/filters/${f.body.id}`, cy);
    });

    it('counts the search matches the reader’s filters leave out, once, on the first page', async () => {
      const cy = tokens[2]!;
      const mine = (await t.get('/api/v1/me/filters', cy)).body.items as { id: string }[];
      for (const f of mine) await t.del(`/api/v1/me/filters/${f.id}`, cy);
      const { handle } = await setUp(
        [
          { author: 0, word: false },
          { author: 1, word: false },
          { author: 1, word: true },
        ],
        false,
      );
      const q = `/api/v1/search?q=beans+or+zucchini&commune=${handle}&type=thread`;
      const before = await t.get(q, cy);
      assert.equal(before.status, 200, JSON.stringify(before.body));
      assert.equal(before.body.items.length, 3);
      assert.equal(before.body.hidden, 0);
      await t.post('/api/v1/me/filters', { kind: 'person', value: 'hc_ben' }, cy);
      const filtered = await t.get(q, cy);
      assert.equal(filtered.body.items.length, 1);
      assert.equal(filtered.body.hidden, 2);
      const paged = await t.get(`${q}&limit=1`, cy);
      assert.equal(paged.body.hidden, 2);
      assert.equal((await t.get(q)).body.hidden, 0, 'an anonymous reader has no filters');
    });
  });
}
