import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { communesService } from '../communes/communes.service.ts';
import { availableDatabases } from '../db/testing.ts';
import { newId } from '../shared/ids.ts';
import { MAX_PAGE_BYTES } from './discussions.ts';
import { discussionsService } from './discussions.service.ts';

// Comments of a thread come in pages (?after=&limit=, 50 by default, at most 200) that carry
// at most MAX_PAGE_BYTES of comments, always at least one. Reading page after page must give
// every comment exactly once, in order, whether the page comes from the cache or the database.

type Page = { comments: { id: string; body: string }[]; next: string | null };

const charter = {
  handle: 'pages',
  name: 'Pages',
  vision: 'Reading in pages',
  category: 'social',
  tags: ['talk'],
  joinPolicy: 'open',
  visibility: 'public',
};

const COMMENTS = 60;
// Every seventh comment is 50,000 two-byte characters, so a few of them fill a page.
const bodyOf = (i: number) => (i % 7 === 3 ? `big ${i} ${'é'.repeat(49_990)}` : `small ${i}`);
const weight = (c: unknown) => Buffer.byteLength(JSON.stringify(c));

for (const { kind, skip } of await availableDatabases()) {
  describe(`paged thread comments on ${kind}`, { skip }, () => {
    let t: TestApp;
    let threadId: string;
    let ids: string[];

    before(async () => {
      t = await startTestApp(kind);
      const ana = await t.person('ana', 'Ana');
      assert.equal((await t.post('/api/v1/communes', charter, ana)).status, 201);
      const r = await t.post('/api/v1/communes/pages/threads', { title: 'Long', body: 'b' }, ana);
      threadId = r.body.id as string;
      const author = (await t.get('/api/v1/me', ana)).body.id as string;
      ids = Array.from({ length: COMMENTS }, () => newId()).sort();
      await t.deps.db
        .insertInto('comments')
        .values(
          ids.map((id, i) => ({
            id,
            thread_id: threadId,
            author_id: author,
            author_handle: 'ana',
            body: bodyOf(i),
            html: `<p>${bodyOf(i)}</p>\n`,
            in_reply_to: null,
            source: 'local' as const,
            created_at: new Date().toISOString(),
          })),
        )
        .execute();
    });
    after(() => t.close());

    const refused: [string, string][] = [
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['limit=-1', 'limit'],
      ['limit=ten', 'limit'],
      ['limit=1.5', 'limit'],
      ['after=not-a-cursor', 'after'],
      ['after=', 'after'],
      [`after=${'0'.repeat(5000)}`, 'after'],
    ];
    for (const [query, field] of refused) {
      it(`answers ?${query.slice(0, 30)} with a 400 naming ${field}`, async () => {
        const r = await t.get(`/api/v1/threads/${threadId}?${query}`);
        assert.equal(r.status, 400, JSON.stringify(r.body));
        assert.equal(r.headers.get('content-type')?.startsWith('application/json'), true);
        assert.equal(r.body.error.code, 'invalid_input');
        assert.equal(r.body.error.field, field);
      });
    }

    it('refuses a NUL in the cursor before it reaches the database', async () => {
      const r = await t.get(`/api/v1/threads/${threadId}?after=%00`);
      assert.equal(r.status, 400);
      assert.equal(r.body.error.code, 'malformed_url');
    });

    it('gives 50 comments by default and at most 200, fewer when they are large', async () => {
      const first = (await t.get(`/api/v1/threads/${threadId}`)).body as Page;
      assert.ok(first.comments.length < 50, 'large comments fill the first page sooner');
      assert.ok(first.comments.reduce((n, c) => n + weight(c), 0) <= MAX_PAGE_BYTES);
      const small = (await t.get(`/api/v1/threads/${threadId}?after=${ids[3]}&limit=3`))
        .body as Page;
      assert.deepEqual(
        small.comments.map((c) => c.id),
        ids.slice(4, 7),
      );
      assert.equal(small.next, ids[6]);
      assert.equal((await t.get(`/api/v1/threads/${threadId}?limit=200`)).status, 200);
    });

    it('gives every comment once, in order, from any start and page size, cached or not (property)', async () => {
      // The uncached path: the same service with a cache that keeps nothing.
      const direct = discussionsService(t.deps, communesService(t.deps), {
        maxBytes: 0,
        maxEntryBytes: 0,
        maxComments: 0,
      });
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 200 }),
          fc.integer({ min: -1, max: COMMENTS - 1 }),
          async (limit, from) => {
            const seen: string[] = [];
            let after = from < 0 ? undefined : ids[from]!;
            for (let i = 0; i <= COMMENTS; i += 1) {
              const q = `?limit=${limit}${after === undefined ? '' : `&after=${after}`}`;
              const r = await t.get(`/api/v1/threads/${threadId}${q}`);
              assert.equal(r.status, 200);
              const page = r.body as Page;
              const uncached = await direct.threadPage(null, threadId, { limit, after });
              assert.ok(uncached.ok);
              assert.deepEqual(JSON.parse(uncached.value.toString()), page, 'cache agrees');
              assert.ok(page.comments.length >= 1 || page.next === null, 'progress');
              assert.ok(page.comments.length <= limit);
              const bytes = page.comments.reduce((n, c) => n + weight(c), 0);
              assert.ok(page.comments.length === 1 || bytes <= MAX_PAGE_BYTES, `${bytes} bytes`);
              seen.push(...page.comments.map((c) => c.id));
              if (page.next === null) break;
              after = page.next;
            }
            assert.deepEqual(seen, ids.slice(from + 1));
          },
        ),
        { numRuns: 25 },
      );
    });
  });
}
