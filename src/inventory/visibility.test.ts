import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { VISIBILITIES } from '../communes/communes.ts';
import { ITEM_VISIBILITIES } from './items.ts';
import { itemRefusal, maySeeItem, visibleLevels, type ItemViewer } from './visibility.ts';

const viewerArb = fc
  .record({ signedIn: fc.boolean(), member: fc.boolean(), ally: fc.boolean() })
  // Members and allies are signed in by definition.
  .map((v): ItemViewer => ({ ...v, signedIn: v.signedIn || v.member || v.ally }));
const itemArb = fc.record({
  visibility: fc.constantFrom(...ITEM_VISIBILITIES),
  communeVisibility: fc.constantFrom(...VISIBILITIES),
});

const anonymous: ItemViewer = { signedIn: false, member: false, ally: false };
const outsider: ItemViewer = { signedIn: true, member: false, ally: false };
const member: ItemViewer = { signedIn: true, member: true, ally: false };
const ally: ItemViewer = { signedIn: true, member: false, ally: true };

describe('who may see an item', () => {
  it('follows the table of issue 9 (a commune that is public or unlisted)', () => {
    for (const communeVisibility of ['public', 'unlisted'] as const) {
      const see = (visibility: (typeof ITEM_VISIBILITIES)[number], v: ItemViewer) =>
        maySeeItem({ visibility, communeVisibility }, v);
      assert.deepEqual(
        [anonymous, outsider, ally, member].map((v) => see('public', v)),
        [true, true, true, true],
      );
      assert.deepEqual(
        [anonymous, outsider, ally, member].map((v) => see('allies', v)),
        [false, false, true, true],
      );
      assert.deepEqual(
        [anonymous, outsider, ally, member].map((v) => see('commune', v)),
        [false, false, false, true],
      );
    }
  });

  it('a private commune shows outsiders nothing, and its allies what it shares with allies', () => {
    for (const visibility of ITEM_VISIBILITIES) {
      assert.equal(maySeeItem({ visibility, communeVisibility: 'private' }, anonymous), false);
      assert.equal(maySeeItem({ visibility, communeVisibility: 'private' }, outsider), false);
      assert.equal(maySeeItem({ visibility, communeVisibility: 'private' }, member), true);
    }
    assert.equal(maySeeItem({ visibility: 'allies', communeVisibility: 'private' }, ally), true);
    assert.equal(maySeeItem({ visibility: 'commune', communeVisibility: 'private' }, ally), false);
  });

  it('refuses as the one access rule does: 404 hidden, 401 anonymous, 403 signed in', () => {
    const c = { visibility: 'commune', communeVisibility: 'public' } as const;
    assert.equal(itemRefusal(c, anonymous), 'not_signed_in');
    assert.equal(itemRefusal(c, outsider), 'members_only');
    assert.equal(itemRefusal(c, member), null);
    const p = { visibility: 'commune', communeVisibility: 'private' } as const;
    assert.equal(itemRefusal(p, anonymous), 'hidden');
    assert.equal(itemRefusal(p, outsider), 'hidden');
    // An ally knows the commune exists (they are allied with it): a 403, not a 404.
    assert.equal(itemRefusal(p, ally), 'members_only');
  });

  it('refuses exactly when it may not see, and never refuses a member', () => {
    fc.assert(
      fc.property(itemArb, viewerArb, (item, viewer) => {
        const refused = itemRefusal(item, viewer);
        assert.equal(refused === null, maySeeItem(item, viewer));
        if (viewer.member) assert.equal(refused, null);
        if (refused === 'not_signed_in') assert.equal(viewer.signedIn, false);
        if (refused === 'members_only') assert.equal(viewer.signedIn, true);
      }),
    );
  });

  it('more standing never sees less: anonymous ⊆ outsider ⊆ ally ⊆ member', () => {
    fc.assert(
      fc.property(itemArb, (item) => {
        const chain = [anonymous, outsider, ally, member].map((v) => maySeeItem(item, v));
        for (let i = 1; i < chain.length; i++) assert.ok(!chain[i - 1] || chain[i]);
      }),
    );
  });

  it('the levels a list filters by are exactly the visibilities maySeeItem lets through', () => {
    fc.assert(
      fc.property(itemArb, viewerArb, (item, viewer) => {
        assert.equal(
          visibleLevels(item.communeVisibility, viewer).includes(item.visibility),
          maySeeItem(item, viewer),
        );
      }),
    );
  });
});
