import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { join, manualClock } from '../communes/communes.fixtures.ts';
import { availableDatabases } from '../db/testing.ts';
import { communeOf, crew, hoursFrom, proposed, vote } from './decisions.fixtures.ts';
import { ACTION_METHODS, ACTION_TYPES, type ActionMethod, type ActionType } from './governance.ts';
import { METHODS, type MethodName } from './method-shapes.ts';

// The attack of issue 7: one member proposes an action, votes for it and closes it at once.
// For every action type under every method an action can use, neither the author nor a
// steward may close it while others can still vote; the member a removal is about may not
// close it at all. Advisory polls (no action), under every method, only their author may end
// early, and the tally says so.

const members = ['ann', 'ben', 'cat', 'dan', 'eve', 'fay'];
const favour: Record<MethodName, unknown> = {
  consent: { position: 'consent' },
  consensus: { position: 'agree' },
  majority: { choice: 'yes' },
  advice: { position: 'support', reason: 'Fine by me' },
  ranked: { ranking: ['a', 'b'] },
  score: { scores: { a: 5 } },
  allocation: { allocation: { a: 10 } },
  time: { available: ['a'] },
};

const actionOf = (type: Exclude<ActionType, 'admit_member'>): Record<string, unknown> =>
  ({
    remove_member: { member: 'fay' },
    spend: { to: 'ben', amount: 10 },
    set_credit_limit: { member: 'ben', limit: 1_000_000_000_000 },
    set_currency: { defaultCreditLimit: 1_000_000 },
    amend_charter: { vision: 'Whatever ben says' },
    form_alliance: { commune: 'partner', tradeLimit: 5, rate: 1 },
    end_alliance: { commune: 'partner' },
    change_governance: { rules: { spend: { method: 'consent' } } },
  })[type];

for (const { kind, skip } of await availableDatabases()) {
  describe(`early close on ${kind}`, { skip }, () => {
    let t: TestApp;
    const clock = manualClock();
    const c = crew();
    const tok = c.tok;
    const close = (id: string, who: string) =>
      t.post(`/api/v1/proposals/${id}/close`, undefined, tok(who));
    const stillOpen = async (id: string) => {
      const p = (await t.get(`/api/v1/proposals/${id}`, tok('ann'))).body;
      assert.deepEqual([p.status, p.action?.executed ?? false, p.closedAt], ['open', false, null]);
    };

    /** A commune whose every action is decided by `method`, set by its own change_governance. */
    async function communeDecidingBy(method: ActionMethod): Promise<string> {
      const handle = `by_${method}`;
      await communeOf(t, c, handle, members, { joinPolicy: 'application' });
      const rules = Object.fromEntries(
        ACTION_TYPES.map((type) => [type, { method, quorum: 0, durationHours: 24 }]),
      );
      const change = await proposed(t, tok('ann'), handle, {
        title: `Decide everything by ${method}`,
        action: { type: 'change_governance', params: { rules } },
      });
      let last = change;
      for (const m of members) last = (await vote(t, tok(m), change.id, favour.consensus)).body;
      assert.deepEqual([last.status, last.action.executed], ['passed', true]);
      return handle;
    }

    before(async () => {
      t = await startTestApp(kind, { clock });
      await communeOf(t, c, 'partner', ['pia']);
      c.tokens.zed = await t.person('zed');
    });
    after(() => t.close());

    for (const method of ACTION_METHODS) {
      it(`${method}: no action proposal closes early on one member's say`, async () => {
        const commune = await communeDecidingBy(method);
        for (const type of ACTION_TYPES) {
          let id: string;
          if (type === 'admit_member') {
            // An application opens its admission proposal by itself; nobody has voted.
            const applied = await join(t, tok('zed'), commune, { acceptAgreements: true });
            assert.equal(applied.body.status, 'pending', JSON.stringify(applied.body));
            const open = await t.get(
              `/api/v1/communes/${commune}/proposals?status=open`,
              tok('ann'),
            );
            id = open.body.items.find(
              (p: { action: { type: string } | null }) => p.action?.type === 'admit_member',
            ).id;
          } else {
            const p = await proposed(t, tok('ben'), commune, {
              title: `ben wants ${type}`,
              action: { type, params: actionOf(type) },
            });
            assert.equal(p.method, method);
            const voted = await vote(t, tok('ben'), p.id, favour[method]);
            assert.equal(voted.status, 201, JSON.stringify(voted.body));
            assert.equal(voted.body.status, 'open', `${type}: one vote does not settle it`);
            id = p.id;
          }
          const label = `${method} ${type}`;
          if (method === 'advice') {
            if (type !== 'admit_member') {
              const decided = await t.post(
                `/api/v1/proposals/${id}/decide`,
                { decision: 'passed' },
                tok('ben'),
              );
              assert.deepEqual(
                [decided.status, decided.body.error?.code],
                [422, 'not_settled'],
                label,
              );
            }
          } else {
            for (const who of type === 'admit_member' ? ['ann'] : ['ben', 'ann']) {
              const r = await close(id, who);
              assert.deepEqual([r.status, r.body.error?.code], [422, 'not_settled'], label);
              // Everyone but ben; fay does not vote on her own removal.
              const expected = type === 'admit_member' ? 6 : type === 'remove_member' ? 4 : 5;
              assert.equal(r.body.error.details.notVoted, expected, label);
            }
          }
          if (type === 'remove_member') {
            const bySubject = await close(id, 'fay');
            assert.deepEqual(
              [bySubject.status, bySubject.body.error.code],
              [403, 'subject_cannot_close'],
              label,
            );
          }
          await stillOpen(id);
        }
        // Settled by everyone's vote, the same kind of proposal closes and its action runs.
        const p = await proposed(t, tok('ben'), commune, {
          title: 'ben wants a higher limit',
          action: { type: 'set_credit_limit', params: { member: 'ben', limit: 500 } },
        });
        let last = p;
        for (const m of members) last = (await vote(t, tok(m), p.id, favour[method])).body;
        if (method === 'advice') {
          assert.equal(last.status, 'open', 'advice waits for its author');
          last = (
            await t.post(`/api/v1/proposals/${p.id}/decide`, { decision: 'passed' }, tok('ben'))
          ).body;
        }
        assert.deepEqual([last.status, last.action.executed], ['passed', true]);
      });
    }

    it('lets only the author end an advisory poll early, under every method; the tally says so', async () => {
      await communeOf(t, c, 'polls', members);
      for (const method of METHODS) {
        const p = await proposed(t, tok('ben'), 'polls', {
          title: `A ${method} poll`,
          method,
          ...(['ranked', 'score', 'allocation', 'time'].includes(method)
            ? { options: ['a', 'b'] }
            : {}),
          // One agree carries consensus only when counted on votes cast, not of all members.
          ...(method === 'consensus' ? { thresholdBasis: 'cast' } : {}),
          closesAt: hoursFrom(clock.now(), 24),
        });
        await vote(t, tok('ben'), p.id, favour[method]);
        if (method === 'advice') {
          const decided = await t.post(
            `/api/v1/proposals/${p.id}/decide`,
            { decision: 'passed' },
            tok('ben'),
          );
          assert.deepEqual(
            [decided.status, decided.body.status, decided.body.tally.closedEarly],
            [200, 'passed', true],
          );
          continue;
        }
        const bySteward = await close(p.id, 'ann');
        assert.deepEqual([bySteward.status, bySteward.body.error.code], [422, 'not_settled']);
        const byAuthor = await close(p.id, 'ben');
        assert.equal(byAuthor.status, 200, JSON.stringify(byAuthor.body));
        assert.deepEqual(
          [byAuthor.body.status, byAuthor.body.tally.closedEarly],
          ['passed', true],
          method,
        );
        const again = await close(p.id, 'ben');
        assert.deepEqual([again.status, again.body.error.code], [409, 'proposal_closed']);
      }
    });
  });
}
