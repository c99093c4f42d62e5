import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import type { Visibility as CommuneVisibility } from '../communes/communes.ts';
import { availableDatabases } from '../db/testing.ts';
import { newId } from '../shared/ids.ts';
import { communeWith, writeItem } from './items.fixtures.ts';
import { itemsRepository } from './items.repository.ts';
import { ITEM_VISIBILITIES, type ItemVisibility } from './items.ts';
import { itemsView } from './items.view.ts';
import { maySeeItem } from './visibility.ts';

// The forks list applies the visibility rule in SQL across many communes; it must agree with
// visibility.ts maySeeItem for every caller and every set of allied communes.
for (const { kind, skip } of await availableDatabases()) {
  describe(`the forks query agrees with maySeeItem on ${kind}`, { skip }, () => {
    let t: TestApp;
    let original: string;
    const ids: Record<string, string> = {};
    const communes: { id: string; visibility: CommuneVisibility }[] = [];
    const forks: { id: string; communeId: string; visibility: ItemVisibility }[] = [];
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
      await communeWith(t, 'origin', tok.owner!, []);
      original = (await writeItem(t, tok.owner!, 'origin')).id;
      // Written under the API's checks: a public item in a private commune arises when a
      // commune becomes private later, and the rule must still hide it.
      const repo = itemsRepository(t.deps.db);
      for (const c of communes)
        for (const visibility of ITEM_VISIBILITIES) {
          const id = newId();
          await repo.insert({
            id,
            communeId: c.id,
            authorId: ids.owner!,
            content: {
              kind: 'guide',
              title: `${visibility} fork`,
              body: '',
              tags: [],
              visibility,
              license: 'CC0-1.0',
              url: null,
              estimate: null,
            },
            html: '',
            forkedFrom: { item: original, version: 1, commune: c.id, author: ids.owner! },
            at: new Date().toISOString(),
          });
          forks.push({ id, communeId: c.id, visibility });
        }
    });
    after(() => t.close());

    it('for every caller and every set of allies', async () => {
      const view = itemsView(t.deps.db, t.deps.dialect);
      const viewerArb = fc.constantFrom(null, ids.owner!, ids.v_pub!, ids.v_priv!, ids.v_none!);
      const alliesArb = fc.subarray(communes.map((c) => c.id));
      await fc.assert(
        fc.asyncProperty(viewerArb, alliesArb, async (viewerId, allied) => {
          const alliedWith = viewerId === null ? [] : allied;
          const rows = await view.forks({ itemId: original, viewerId, alliedWith, limit: 100 });
          const got = rows.map((r) => r.id).sort();
          const expected = forks
            .filter((f) =>
              maySeeItem(
                {
                  visibility: f.visibility,
                  communeVisibility: communes.find((c) => c.id === f.communeId)!.visibility,
                },
                {
                  signedIn: viewerId !== null,
                  member: memberOf.get(viewerId)?.has(f.communeId) ?? false,
                  ally: alliedWith.includes(f.communeId),
                },
              ),
            )
            .map((f) => f.id)
            .sort();
          assert.deepEqual(got, expected);
        }),
        { numRuns: 60 },
      );
    });
  });
}
