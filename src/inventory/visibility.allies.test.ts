import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { availableDatabases } from '../db/testing.ts';
import { allyByDecision, endAllianceByDecision } from '../network/alliances.fixtures.ts';
import { communeWith, writeItem } from './items.fixtures.ts';

// `allies` means what it says (issue 10): members of an actively allied commune read such
// items, on every route that shows items; nobody else does, and nobody after the alliance ends.
for (const { kind, skip } of await availableDatabases()) {
  describe(`items seen by allies on ${kind}`, { skip }, () => {
    let t: TestApp;
    const tok: Record<string, string> = {};
    const v = (commune: string, person: string) => ({ commune, tokens: [tok[person]!] });
    const item: Record<string, { id: string }> = {};

    before(async () => {
      t = await startTestApp(kind);
      for (const h of ['ann', 'cy', 'hal', 'dan']) tok[h] = await t.person(h);
      await communeWith(t, 'orchard', tok.ann!, []);
      await communeWith(t, 'bakery', tok.cy!, []);
      await communeWith(t, 'hideout', tok.hal!, [], 'private');
      await communeWith(t, 'loner', tok.dan!, []);
      const w = (who: string, c: string, visibility: string, title: string) =>
        writeItem(t, tok[who]!, c, { visibility, title, tags: ['compost'] });
      item.allies = await w('ann', 'orchard', 'allies', 'Orchard allies compost');
      item.own = await w('ann', 'orchard', 'commune', 'Orchard own compost');
      item.hidden = await w('hal', 'hideout', 'allies', 'Hideout allies compost');
    });
    after(() => t.close());

    /** What one person sees of the three items, route by route. */
    async function seenBy(who: string) {
      const status = async (id: string) => (await t.get(`/api/v1/items/${id}`, tok[who])).status;
      const titles = async (path: string) => {
        const r = await t.get(path, tok[who]);
        return r.status === 200
          ? (r.body.items as { title: string }[]).map((x) => x.title).sort()
          : r.status;
      };
      return {
        item: [
          await status(item.allies!.id),
          await status(item.own!.id),
          await status(item.hidden!.id),
        ],
        versions: (await t.get(`/api/v1/items/${item.allies!.id}/versions`, tok[who])).status,
        orchard: await titles('/api/v1/communes/orchard/items'),
        hideout: await titles('/api/v1/communes/hideout/items'),
        search: await titles('/api/v1/search?q=compost&type=item'),
      };
    }
    const outsider = {
      item: [403, 403, 404],
      versions: 403,
      orchard: [],
      hideout: 404,
      search: [],
    };

    it('shows allies items to no outsider before any alliance', async () => {
      assert.deepEqual(await seenBy('cy'), outsider);
      assert.deepEqual(await seenBy('dan'), outsider);
    });

    it('shows them to members of an active ally only, a private commune’s too', async () => {
      await allyByDecision(t, v('orchard', 'ann'), v('bakery', 'cy'), { tradeLimit: 10, rate: 1 });
      await allyByDecision(t, v('hideout', 'hal'), v('bakery', 'cy'), { tradeLimit: 10, rate: 1 });
      assert.deepEqual(await seenBy('cy'), {
        item: [200, 403, 200],
        versions: 200,
        orchard: ['Orchard allies compost'],
        // A private commune's own pages stay hidden to outsiders (the one access rule), and
        // search finds nothing of a commune the reader cannot find: its allies items are
        // read by link (as shared in its threads), not listed.
        hideout: 404,
        search: ['Orchard allies compost'],
      });
      assert.deepEqual(await seenBy('dan'), outsider);
    });

    it('hides them again once the alliance has ended, whichever side ends it', async () => {
      await endAllianceByDecision(t, v('bakery', 'cy'), 'orchard');
      await endAllianceByDecision(t, v('hideout', 'hal'), 'bakery');
      assert.deepEqual(await seenBy('cy'), outsider);
      // Members still see all of their own.
      assert.deepEqual((await seenBy('ann')).item, [200, 200, 404]);
    });
  });
}
