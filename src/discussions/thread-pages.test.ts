import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { MAX_PAGE_BYTES, type Comment, type Thread } from './discussions.ts';
import { NO_FILTERS, compileFilters } from './filters.ts';
import {
  ThreadPageCache,
  buildThreadPage,
  cacheComments,
  cachedBytes,
  oversized,
  renderThreadPage,
  type ThreadPage,
} from './thread-pages.ts';

const thread = (id: string): Thread => ({
  id,
  commune: 'square',
  title: `Thread ${id}`,
  body: 'b',
  html: '<p>b</p>\n',
  author: { handle: 'ana', displayName: 'Ana' },
  createdAt: '2026-01-01T00:00:00.000Z',
  editedAt: null,
  locked: false,
  pinned: false,
  proposal: null,
});
const comment = (n: number, body = `comment ${n}`, handle = 'ben'): Comment => ({
  id: `0190f5c4-6b1e-7c3d-8a2b-${String(n).padStart(12, '0')}`,
  threadId: 't',
  body,
  html: `<p>${body}</p>\n`,
  author: { handle, displayName: handle.toUpperCase() },
  inReplyTo: null,
  source: 'local',
  createdAt: '2026-01-01T00:00:00.000Z',
  editedAt: null,
  deleted: false,
  hidden: null,
});
const pageOf = (id: string, version: number, comments: number, bodyLength = 10) =>
  syncBuild(
    version,
    thread(id),
    Array.from({ length: comments }, (_, i) => comment(i, 'x'.repeat(bodyLength))),
  );

// The cache tests need entries, not their first page: the same entry as buildThreadPage, made
// synchronously.
const syncBuild = (version: number, t: Thread, comments: Comment[]): ThreadPage => {
  const cached = cacheComments(comments);
  const threadJson = JSON.stringify(t);
  return {
    threadId: t.id,
    version,
    communeHandle: t.commune,
    threadJson,
    comments: cached,
    first: Buffer.from(''),
    bytes: 2 * threadJson.length + cachedBytes(cached),
  };
};

describe('thread pages', () => {
  it('serialises exactly as JSON.stringify of the view would', async () => {
    const comments = [comment(1, 'he said "hi" \\ \u2028 😀'), comment(2, '<script>'), comment(3)];
    const page = await buildThreadPage(7, thread('t'), comments);
    const expected = JSON.stringify({ thread: thread('t'), comments, next: null, hidden: 0 });
    assert.equal(page.first.toString('utf8'), expected);
    assert.equal(await renderThreadPage(page, NO_FILTERS, { limit: 50 }), page.first);
    assert.equal(await renderThreadPage(page, NO_FILTERS, { limit: 200 }), expected);
    assert.equal(
      await renderThreadPage(page, NO_FILTERS, { limit: 2 }),
      JSON.stringify({
        thread: thread('t'),
        comments: comments.slice(0, 2),
        next: comments[1]!.id,
        hidden: 0,
      }),
    );
    assert.equal(
      await renderThreadPage(page, NO_FILTERS, { limit: 5, after: comments[0]!.id }),
      JSON.stringify({
        thread: thread('t'),
        comments: comments.slice(1),
        next: null,
        hidden: 0,
      }),
    );
  });

  it('pages through exactly the comments a reader keeps, in order (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            word: fc.constantFrom('pears', 'Apples', 'PEARS and plums', 'nothing'),
            handle: fc.constantFrom('ana', 'ben', 'cy'),
            // Some comments big enough that a few fill a page's byte budget.
            padding: fc.constantFrom(0, 0, 10, 300_000, 700_000),
          }),
          { maxLength: 40 },
        ),
        fc.subarray(['word:pears', 'word:apples', 'person:ana', 'person:cy']),
        fc.integer({ min: 1, max: 12 }),
        async (specs, filters, limit) => {
          const comments = specs.map((s, i) =>
            comment(i, `${s.word} ${i} ${'é'.repeat(s.padding)}`, s.handle),
          );
          const rules = compileFilters(
            filters.map((f) => ({
              kind: f.split(':')[0] as 'word' | 'person',
              value: f.split(':')[1]!,
            })),
          );
          const kept = comments.filter(
            (c) =>
              !rules.people.has(c.author.handle) &&
              !rules.words.some((w) => c.body.toLowerCase().includes(w)),
          );
          const page = await buildThreadPage(1, thread('t'), comments);
          const seen: string[] = [];
          let after: string | undefined;
          for (let i = 0; i < 100; i += 1) {
            const body = JSON.parse(
              (
                await renderThreadPage(
                  page,
                  rules,
                  after === undefined ? { limit } : { limit, after },
                )
              ).toString(),
            ) as { comments: Comment[]; next: string | null };
            assert.ok(body.comments.length <= limit);
            const bytes = body.comments.reduce(
              (n, c) => n + Buffer.byteLength(JSON.stringify(c)),
              0,
            );
            assert.ok(body.comments.length === 1 || bytes <= MAX_PAGE_BYTES, `${bytes} bytes`);
            seen.push(...body.comments.map((c) => c.id));
            if (body.next === null) break;
            after = body.next;
          }
          assert.deepEqual(
            seen,
            kept.map((c) => c.id),
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('carries at most MAX_PAGE_BYTES of comments, but always one comment', async () => {
    const big = Array.from({ length: 6 }, (_, i) => comment(i, 'x'.repeat(200_000)));
    const page = await buildThreadPage(1, thread('t'), big);
    const first = JSON.parse(page.first.toString()) as { comments: Comment[]; next: string };
    assert.deepEqual(
      first.comments.map((c) => c.id),
      big.slice(0, 2).map((c) => c.id),
    );
    assert.equal(first.next, big[1]!.id);
    const huge = await buildThreadPage(1, thread('t'), [
      comment(1, 'y'.repeat(2 * MAX_PAGE_BYTES)),
    ]);
    const alone = JSON.parse(
      (await renderThreadPage(huge, NO_FILTERS, { limit: 200 })).toString(),
    ) as { comments: Comment[]; next: string | null };
    assert.equal(alone.comments.length, 1);
    assert.equal(alone.next, null);
  });
});

describe('ThreadPageCache', () => {
  it('serves an entry only while it is not older than the thread', () => {
    const cache = new ThreadPageCache();
    cache.keep(pageOf('a', 3, 2));
    assert.equal(cache.current('a', 3)?.version, 3);
    assert.equal(cache.current('a', 2)?.version, 3, 'a newer copy is fine');
    assert.equal(cache.current('a', 4), undefined);
    assert.equal(cache.size, 0, 'the stale copy is dropped');
    assert.equal(cache.bytes, 0);
  });

  it('never replaces a newer entry with an older one', () => {
    const cache = new ThreadPageCache();
    cache.keep(pageOf('a', 5, 1));
    cache.keep(pageOf('a', 4, 1));
    assert.equal(cache.current('a', 0)?.version, 5);
  });

  it('stays within its byte budget, dropping the least recently read first', () => {
    const one = pageOf('x', 1, 3).bytes;
    const cache = new ThreadPageCache({
      maxBytes: one * 3,
      maxEntryBytes: one * 2,
      maxComments: 100,
    });
    for (const id of ['a', 'b', 'c']) cache.keep(pageOf(id, 1, 3));
    assert.ok(cache.current('a', 1), 'a is read, so b is now the oldest');
    cache.keep(pageOf('d', 1, 3));
    assert.equal(cache.current('b', 1), undefined);
    for (const id of ['a', 'c', 'd']) assert.ok(cache.current(id, 1), id);
    for (let i = 0; i < 50; i += 1) {
      cache.keep(pageOf(`e${i}`, 1, 1 + (i % 3)));
      assert.ok(cache.bytes <= one * 3, `${cache.bytes} bytes`);
    }
  });

  it('keeps a page over the entry budget only as a marker, so it is read from the database', () => {
    const cache = new ThreadPageCache({
      maxBytes: 1_000_000,
      maxEntryBytes: 10_000,
      maxComments: 100,
    });
    const big = pageOf('big', 1, 20, 1_000);
    assert.equal(cache.keep(big), big, 'the caller still gets the page it built');
    const kept = cache.current('big', 1);
    assert.ok(kept && 'oversized' in kept);
    assert.ok(cache.bytes < 1_000);
  });

  it('keeps serving an Oversized marker after the thread changes: it holds nothing stale', () => {
    const cache = new ThreadPageCache();
    cache.keep(oversized('long', 3, 'square'));
    assert.ok(cache.current('long', 9));
    cache.keep(pageOf('long', 10, 1));
    const kept = cache.current('long', 10);
    assert.ok(kept && !('oversized' in kept), 'a page built later replaces the marker');
  });
});
