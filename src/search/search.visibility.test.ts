import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import type { Visibility as CommuneVisibility } from '../communes/communes.ts';
import { availableDatabases } from '../db/testing.ts';
import { communeWith } from '../inventory/items.fixtures.ts';
import { itemsRepository } from '../inventory/items.repository.ts';
import { ITEM_VISIBILITIES, type ItemVisibility } from '../inventory/items.ts';
import { maySeeItem } from '../inventory/visibility.ts';
import { newId } from '../shared/ids.ts';
import { parseQuery, toFts5, toWebsearch } from './query.ts';
import type { After } from './search.ts';
import { postgresBoundedPage, sqliteBoundedPage } from './search-pages.view.ts';
import { searchView } from './search.view.ts';

// Search applies inventory's visibility rule (itemVisibleSql) inside its ranked query; it must
// agree with visibility.ts maySeeItem for every reader, every set of allied communes and every
// page size: no page ever holds an item its reader may not see. Search is also a list, so
// beyond maySeeItem it finds nothing of a commune the reader cannot find (unlisted and
// private communes: members only).
for (const { kind, skip } of await availableDatabases()) {
  describe(`search agrees with maySeeItem on ${kind}`, { skip }, () => {
    let t: TestApp;
    const ids: Record<string, string> = {};
    const communes: { id: string; visibility: CommuneVisibility }[] = [];
    const items: { id: string; communeId: string; visibility: ItemVisibility }[] = [];
    const memberOf = new Map<string | null, Set<string>>();

    before(async () => {
      t = await startTestApp(kind);
      const tok: Record<string, string> = {};
      for (const h of ['owner', 'v_pub', 'v_priv', 'v_none']) tok[h] = await t.person(h);
      const me = async (token: string) => (await t.get('/api/v1/me', token)).body.id as string;
      for (const h of ['owner', 'v_pub', 'v_priv', 'v_none']) ids[h] = await me(tok[h]!);
      const setup: [string, CommuneVisibility, string[]][] = [
        ['c_pub', 'public', ['v_pub']],
        ['c_unl', 'unlisted', []],
        ['c_priv', 'private', ['v_priv']],
      ];
      for (const [handle, visibility, members] of setup) {
        const c = await communeWith(
          t,
          handle,
          tok.owner!,
          members.map((m) => tok[m]!),
          visibility,
        );
        communes.push({ id: c.id, visibility });
        for (const m of ['owner', ...members]) {
          const set = memberOf.get(ids[m]!) ?? new Set<string>();
          set.add(c.id);
          memberOf.set(ids[m]!, set);
        }
      }
      // Written past the API's checks: a public item in a private commune arises when a
      // commune becomes private later, and the rule must still hide it.
      const repo = itemsRepository(t.deps.db);
      for (const c of communes)
        for (const visibility of ITEM_VISIBILITIES)
          for (let n = 0; n < 2; n += 1) {
            const id = newId();
            await repo.insert({
              id,
              communeId: c.id,
              authorId: ids.owner!,
              content: {
                kind: 'guide',
                title: `A ${visibility} lantern`,
                body: 'lantern '.repeat(n + 1),
                tags: [],
                visibility,
                license: 'CC0-1.0',
                url: null,
                estimate: null,
              },
              html: '',
              forkedFrom: null,
              at: new Date().toISOString(),
            });
            items.push({ id, communeId: c.id, visibility });
          }
    });
    after(() => t.close());

    it('for every reader, every set of allies and every page size', async () => {
      const view = searchView(t.deps.db, t.deps.dialect);
      const q = parseQuery('lantern');
      const match = t.deps.dialect === 'sqlite' ? toFts5(q) : toWebsearch(q);
      const viewerArb = fc.constantFrom(null, ids.owner!, ids.v_pub!, ids.v_priv!, ids.v_none!);
      const alliesArb = fc.subarray(communes.map((c) => c.id));
      const bounded = t.deps.dialect === 'sqlite' ? sqliteBoundedPage : postgresBoundedPage;
      let proven = 0;
      await fc.assert(
        fc.asyncProperty(
          viewerArb,
          alliesArb,
          fc.integer({ min: 1, max: 7 }),
          async (viewerId, allies, limit) => {
            const standing = await view.readerOf(viewerId);
            const allied = viewerId === null ? [] : allies;
            const reader = { ...standing, allied, scopes: [...standing.communes, ...allied] };
            const got: string[] = [];
            let cursor: After | undefined;
            for (let pages = 0; ; pages += 1) {
              assert.ok(pages < 100, 'search never ends');
              const rows = await view.page({ match, reader, narrowing: {} }, limit, cursor);
              // The bounded candidates give exactly the page the unbounded query gives.
              const unbounded = await view.unboundedPage(
                { match, reader, narrowing: {} },
                limit,
                cursor,
              );
              assert.deepEqual(rows, unbounded, 'the bounded page differs');
              const own = await bounded(t.deps.db, { match, reader, narrowing: {} }, limit, cursor);
              if (own !== undefined) {
                proven += 1;
                assert.deepEqual(own, unbounded, 'a proven bounded page differs');
              }
              got.push(...rows.map((r) => r.ref_id));
              if (rows.length < limit) break;
              const last = rows.at(-1)!;
              cursor = { score: last.score, id: last.ref_id };
            }
            const mine = memberOf.get(viewerId) ?? new Set<string>();
            const sees = items.filter((i) => {
              const communeVisibility = communes.find((c) => c.id === i.communeId)!.visibility;
              return maySeeItem(
                { visibility: i.visibility, communeVisibility },
                {
                  signedIn: viewerId !== null,
                  member: mine.has(i.communeId),
                  ally: allied.includes(i.communeId),
                },
              );
            });
            const byId = new Set(sees.map((i) => i.id));
            for (const id of got) assert.ok(byId.has(id), `found ${id}, which it may not see`);
            const findable = sees.filter(
              (i) =>
                communes.find((c) => c.id === i.communeId)!.visibility === 'public' ||
                mine.has(i.communeId),
            );
            assert.deepEqual([...got].sort(), findable.map((i) => i.id).sort());
            assert.equal(new Set(got).size, got.length, 'an item came twice');
          },
        ),
        { numRuns: 60 },
      );
      // Pages of 1 to 7 out of 24 matches: the bounded candidates prove some of them.
      assert.ok(proven > 0, 'no page came from the bounded candidates');
    });
  });
}
