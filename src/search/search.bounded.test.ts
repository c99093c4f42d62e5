import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { availableDatabases } from '../db/testing.ts';
import { communeWith } from '../inventory/items.fixtures.ts';
import { itemsRepository } from '../inventory/items.repository.ts';
import { newId } from '../shared/ids.ts';
import { parseQuery, toFts5, toWebsearch } from './query.ts';
import type { After } from './search.ts';
import { postgresBoundedPage, sqliteBoundedPage } from './search-pages.view.ts';
import { searchView, type HitRow } from './search.view.ts';

// Bounded candidates (ADR 0032, 0035) where they are hardest to get right: many more matches
// than candidates, few distinct scores, so that long runs of equal scores straddle the cut θ
// and every page size walks into them. Each page the bounded query proves must be the page
// of the query that ranks every match, and walking the result must give it all, in order.
for (const { kind, skip } of await availableDatabases()) {
  describe(`bounded search pages on ${kind}`, { skip }, () => {
    let t: TestApp;
    let memberId = '';

    before(async () => {
      t = await startTestApp(kind);
      const owner = await t.person('owner');
      memberId = (await t.get('/api/v1/me', owner)).body.id as string;
      const repo = itemsRepository(t.deps.db);
      for (const [handle, visibility] of [
        ['b_pub', 'public'],
        ['b_priv', 'private'],
      ] as const) {
        const c = await communeWith(t, handle, owner, [], visibility);
        for (let n = 0; n < 45; n += 1)
          await repo.insert({
            id: newId(),
            communeId: c.id,
            authorId: memberId,
            content: {
              kind: 'guide',
              title: n % 5 === 0 ? 'A heron guide' : 'A guide',
              body: `${'heron '.repeat((n % 3) + 1)}and reeds`,
              tags: [],
              visibility: n % 4 === 0 ? 'commune' : 'public',
              license: 'CC0-1.0',
              url: null,
              estimate: null,
            },
            html: '',
            forkedFrom: null,
            at: new Date().toISOString(),
          });
      }
    });
    after(() => t.close());

    it('every proven page is the unbounded one, for every reader and page size', async () => {
      const view = searchView(t.deps.db, t.deps.dialect);
      const bounded = kind === 'sqlite' ? sqliteBoundedPage : postgresBoundedPage;
      const q = parseQuery('heron');
      const match = kind === 'sqlite' ? toFts5(q) : toWebsearch(q);
      let proven = 0;
      for (const viewerId of [null, memberId])
        for (let limit = 1; limit <= 9; limit += 1) {
          const reader = await view.readerOf(viewerId);
          const scope = { match, reader, narrowing: {} };
          const walked: HitRow[] = [];
          let cursor: After | undefined;
          for (let pages = 0; ; pages += 1) {
            assert.ok(pages < 200, 'search never ends');
            const unbounded = await view.unboundedPage(scope, limit, cursor);
            const own = await bounded(t.deps.db, scope, limit, cursor);
            if (own !== undefined) {
              proven += 1;
              assert.deepEqual(own, unbounded, `page ${pages} of ${limit} differs`);
            }
            assert.deepEqual(await view.page(scope, limit, cursor), unbounded);
            walked.push(...unbounded);
            if (unbounded.length < limit) break;
            const last = unbounded.at(-1)!;
            cursor = { score: last.score, id: last.ref_id };
          }
          const all = await view.unboundedPage(scope, 1000, undefined);
          assert.deepEqual(
            walked.map((r) => r.ref_id),
            all.map((r) => r.ref_id),
          );
          // The member finds both communes' items, an outsider the public ones only.
          assert.equal(all.length, viewerId === null ? 45 - 12 : 90);
        }
      assert.ok(proven > 20, `only ${proven} pages came from the bounded candidates`);
    });
  });
}
