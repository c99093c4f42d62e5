import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { join, manualClock } from '../communes/communes.fixtures.ts';
import { availableDatabases } from '../db/testing.ts';
import { HOUR, communeOf, crew, hoursFrom, jobsOf, proposed, vote } from './decisions.fixtures.ts';

// When a proposal may close before closesAt (only once settled), and how quorum is judged.
for (const { kind, skip } of await availableDatabases()) {
  describe(`closing on ${kind}`, { skip }, () => {
    let t: TestApp;
    const clock = manualClock();
    const c = crew();
    const tok = c.tok;
    const six = ['ann', 'ben', 'cat', 'dan', 'eve', 'fay'];
    const yes = { choice: 'yes' };
    const close = (id: string, who: string) =>
      t.post(`/api/v1/proposals/${id}/close`, undefined, tok(who));
    const poll = (title: string, extra: Record<string, unknown> = {}) =>
      proposed(t, tok('ann'), 'hall', {
        title,
        method: 'majority',
        closesAt: hoursFrom(clock.now(), 2),
        ...extra,
      });
    const delegate = (who: string, to: string | null) =>
      t.put('/api/v1/communes/hall/delegation', { to }, tok(who));
    /** An action proposal (majority by default governance): no author may end it early. */
    const limit = (member: string) =>
      proposed(t, tok('ben'), 'hall', {
        title: `Limit of ${member}`,
        action: { type: 'set_credit_limit', params: { member, limit: 100 } },
      });

    before(async () => {
      t = await startTestApp(kind, { clock });
      await communeOf(t, c, 'hall', six);
    });
    after(() => t.close());

    it('judges quorum against every eligible member at closing time, not against those who voted', async () => {
      const p = await poll('Quorum of half', { quorum: 0.5 });
      await vote(t, tok('ann'), p.id, yes);
      await vote(t, tok('ben'), p.id, yes);
      // A seventh member joins while it is open: quorum is half of seven at the close.
      c.tokens.gus = await t.person('gus');
      assert.equal((await join(t, tok('gus'), 'hall')).status, 201);
      await vote(t, tok('cat'), p.id, yes);
      clock.advance(3 * HOUR);
      await jobsOf(t).tick();
      const closed = (await t.get(`/api/v1/proposals/${p.id}`)).body;
      assert.deepEqual(
        [closed.status, closed.tally.reason, closed.tally.eligible, closed.tally.castWeight],
        ['expired', 'quorum_not_met', 7, 3],
      );
      assert.equal(closed.tally.closedEarly, undefined);
      assert.equal((await t.del('/api/v1/communes/hall/members/me', tok('gus'))).status, 204);
    });

    it('counts delegated weight towards quorum at the close, but not as settled before it', async () => {
      await delegate('cat', 'ben');
      await delegate('dan', 'ben');
      const p = await limit('eve');
      const voted = await vote(t, tok('ben'), p.id, yes);
      assert.deepEqual(
        [voted.body.status, voted.body.tally.castWeight, voted.body.settlement],
        [
          'open',
          3,
          {
            settled: false,
            notVoted: 5,
            delegated: 2,
            outcomeCanChange: true,
            quorumCanChange: false,
            awaitingAuthor: false,
          },
        ],
      );
      const early = await close(p.id, 'ann');
      assert.deepEqual(
        [early.status, early.body.error.code, early.body.error.details],
        [
          422,
          'not_settled',
          {
            notVoted: 5,
            delegated: 2,
            awaitingAuthor: false,
            outcomeCanChange: true,
            quorumCanChange: false,
            closesAt: p.closesAt,
          },
        ],
      );
      assert.match(
        early.body.error.message,
        /5 members can still vote \(2 now through a delegate\)/,
      );
      // At its closing time the job closes it: ben's ballot carries cat and dan, 3 of 6.
      clock.advance(169 * HOUR);
      await jobsOf(t).tick();
      const closed = (await t.get(`/api/v1/proposals/${p.id}`)).body;
      assert.deepEqual(
        [closed.status, closed.tally.castWeight, closed.action.executed],
        ['passed', 3, true],
      );
      await delegate('cat', null);
      await delegate('dan', null);
    });

    it('closes an anonymous proposal by the vote that settles it, before everyone voted', async () => {
      const p = await poll('Secret', { anonymous: true });
      for (const m of ['ann', 'ben', 'cat']) {
        const r = await vote(t, tok(m), p.id, yes);
        assert.equal(r.body.status, 'open', 'three of six could still be outvoted');
      }
      const refused = await close(p.id, 'cat');
      assert.deepEqual([refused.status, refused.body.error.code], [403, 'author_or_steward']);
      // Four yes of six: the two left cannot change a majority; anonymous votes are final.
      const fourth = await vote(t, tok('dan'), p.id, yes);
      assert.deepEqual(
        [fourth.body.status, fourth.body.tally.winner, fourth.body.tally.closedEarly],
        ['passed', 'yes', undefined],
      );
    });

    it('keeps a named proposal open while anyone may still vote or change their vote', async () => {
      const p = await limit('fay');
      for (const m of ['ann', 'ben', 'cat', 'dan', 'eve']) await vote(t, tok(m), p.id, yes);
      const early = await close(p.id, 'ann');
      assert.deepEqual(
        [early.status, early.body.error.code, early.body.error.details.notVoted],
        [422, 'not_settled', 1],
      );
      const last = await vote(t, tok('fay'), p.id, { choice: 'no' });
      assert.deepEqual([last.body.status, last.body.action.executed], ['passed', true]);
      const twice = await close(p.id, 'ann');
      assert.deepEqual([twice.status, twice.body.error.code], [409, 'proposal_closed']);
    });

    it('lets the author or a steward close once the closing time has passed', async () => {
      const p = await limit('dan');
      await vote(t, tok('ben'), p.id, yes);
      clock.advance(169 * HOUR);
      // The job has not run yet; voting is over all the same.
      const closed = await close(p.id, 'ann');
      assert.deepEqual(
        [closed.status, closed.body.status, closed.body.tally.closedEarly],
        [200, 'passed', undefined],
      );
    });

    it('says only who may still vote, not whether the result can change, while results are hidden', async () => {
      const p = await limit('cat');
      const q = await proposed(t, tok('ben'), 'hall', {
        title: 'Blind too',
        method: 'majority',
        closesAt: hoursFrom(clock.now(), 2),
        hideResults: 'until_close',
      });
      await vote(t, tok('cat'), q.id, yes);
      const refused = await close(q.id, 'ann');
      assert.deepEqual(
        [refused.status, refused.body.error.details],
        [422, { notVoted: 5, delegated: 0, awaitingAuthor: false, closesAt: q.closesAt }],
      );
      assert.equal((await t.get(`/api/v1/proposals/${q.id}`, tok('ann'))).body.settlement, null);
      assert.equal(
        (await t.get(`/api/v1/proposals/${p.id}`, tok('ann'))).body.settlement.notVoted,
        6,
      );
    });
  });
}
