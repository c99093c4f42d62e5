import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { join, manualClock } from '../communes/communes.fixtures.ts';
import { availableDatabases } from '../db/testing.ts';
import { communeOf, crew, proposed, vote } from './decisions.fixtures.ts';

// Issue 7, finding 2: a member of a public and of a private commune proposed form_alliance
// with the private one in the public one, and anonymous readers saw its handle and terms.
for (const { kind, skip } of await availableDatabases()) {
  describe(`action params that name what the reader may not see, on ${kind}`, { skip }, () => {
    let t: TestApp;
    const c = crew();
    const tok = c.tok;
    const shownTo = async (id: string, token?: string) => {
      const one = (await t.get(`/api/v1/proposals/${id}`, token)).body;
      const log = (await t.get('/api/v1/communes/square/proposals?limit=200', token)).body;
      const listed = log.items.find((p: { id: string }) => p.id === id);
      assert.deepEqual(listed.action, one.action, 'the log shows what the proposal shows');
      return { action: one.action, text: JSON.stringify([one, log]) };
    };

    before(async () => {
      t = await startTestApp(kind, { clock: manualClock() });
      await communeOf(t, c, 'square', ['sam', 'tia']);
      await communeOf(t, c, 'cellar', ['cal', 'sam'], { visibility: 'private' });
      await communeOf(t, c, 'market', ['max']);
      c.tokens.out = await t.person('out');
    });
    after(() => t.close());

    it('hides a private partner, and the terms, from anonymous readers and outsiders', async () => {
      assert.equal((await t.get('/api/v1/communes/cellar')).status, 404);
      const p = await proposed(t, tok('sam'), 'square', {
        title: 'Trade with friends',
        action: { type: 'form_alliance', params: { commune: 'cellar', tradeLimit: 77, rate: 3 } },
      });
      for (const token of [undefined, tok('out'), tok('tia')]) {
        const { action, text } = await shownTo(p.id, token);
        assert.deepEqual(action, {
          type: 'form_alliance',
          params: { hidden: true },
          executed: false,
          result: null,
        });
        assert.ok(!text.includes('cellar'), 'the handle is nowhere');
        assert.ok(!text.includes('tradeLimit'), 'nor the terms');
      }
      // A member of the private commune may see it.
      const { action } = await shownTo(p.id, tok('sam'));
      assert.deepEqual(action.params, { commune: 'cellar', tradeLimit: 77, rate: 3 });
      // Passed, the result that names the partner is hidden too.
      await vote(t, tok('sam'), p.id, { position: 'consent' });
      const done = await vote(t, tok('tia'), p.id, { position: 'consent' });
      assert.deepEqual([done.body.status, done.body.action.executed], ['passed', true]);
      assert.deepEqual(done.body.action.result, { hidden: true }, 'tia is not in the cellar');
      assert.deepEqual((await shownTo(p.id)).action.result, { hidden: true });
      assert.deepEqual((await shownTo(p.id, tok('sam'))).action.result, {
        commune: 'cellar',
        kind: 'form',
      });
    });

    it('hides the partner of end_alliance the same way, and shows a public partner to anyone', async () => {
      const ending = await proposed(t, tok('sam'), 'square', {
        title: 'Stop trading',
        action: { type: 'end_alliance', params: { commune: 'cellar' } },
      });
      assert.deepEqual((await shownTo(ending.id)).action.params, { hidden: true });
      const open = await proposed(t, tok('sam'), 'square', {
        title: 'Trade with the market',
        action: { type: 'form_alliance', params: { commune: 'market', tradeLimit: 5, rate: 1 } },
      });
      assert.deepEqual((await shownTo(open.id)).action.params, {
        commune: 'market',
        tradeLimit: 5,
        rate: 1,
      });
    });

    it('shows a pending applicant only to members and to the applicant', async () => {
      await communeOf(t, c, 'porch', ['pam'], { joinPolicy: 'application' });
      c.tokens.ann = await t.person('ann');
      const applied = await join(t, tok('ann'), 'porch', {});
      assert.equal(applied.body.status, 'pending');
      const items = (await t.get('/api/v1/communes/porch/proposals', tok('pam'))).body.items;
      const p = items.find(
        (x: { action: { type: string } | null }) => x.action?.type === 'admit_member',
      );
      assert.deepEqual(p.action.params, { application: applied.body.id, applicant: 'ann' });
      for (const token of [undefined, tok('out')]) {
        const shown = (await t.get(`/api/v1/proposals/${p.id}`, token)).body;
        assert.deepEqual(shown.action.params, { hidden: true });
      }
      const own = (await t.get(`/api/v1/proposals/${p.id}`, tok('ann'))).body;
      assert.equal(own.action.params.applicant, 'ann');
    });
  });
}
