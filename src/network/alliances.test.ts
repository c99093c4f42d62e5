import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { manualClock } from '../communes/communes.fixtures.ts';
import { availableDatabases } from '../db/testing.ts';
import { communeOf, crew, propose, proposed, vote } from '../decisions/decisions.fixtures.ts';
import { writeItem } from '../inventory/items.fixtures.ts';

const consent = { position: 'consent' };
const MEMBERS: Record<string, string[]> = {
  orchard: ['ann', 'bob'],
  bakery: ['cy'],
  hideout: ['hal'],
};

for (const { kind, skip } of await availableDatabases()) {
  describe(`alliances on ${kind}`, { skip }, () => {
    let t: TestApp;
    let c: ReturnType<typeof crew>;
    const tok = (h: string) => c.tok(h);

    beforeEach(async () => {
      c = crew();
      t = await startTestApp(kind, { clock: manualClock() });
      await communeOf(t, c, 'orchard', MEMBERS.orchard!);
      await communeOf(t, c, 'bakery', MEMBERS.bakery!);
      await communeOf(t, c, 'hideout', MEMBERS.hideout!, { visibility: 'private' });
      c.tokens.dan = await t.person('dan');
    });
    afterEach(() => t.close());

    /** Every member of `commune` consents: the proposal passes at once. */
    async function pass(commune: string, id: string) {
      let last: { status: string; action: { executed: boolean; result: unknown } } | undefined;
      for (const m of MEMBERS[commune]!) {
        const r = await vote(t, tok(m), id, consent);
        assert.equal(r.status, 201, JSON.stringify(r.body));
        last = r.body;
      }
      return last!;
    }
    const ally = (commune: string, params: Record<string, unknown>) =>
      proposed(t, tok(MEMBERS[commune]![0]!), commune, {
        title: `Ally with ${String(params.commune)}`,
        action: { type: 'form_alliance', params },
      });
    const alliances = async (commune: string, who = 'dan') => {
      const r = await t.get(`/api/v1/communes/${commune}/alliances`, tok(who));
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return (r.body as { commune: string; status: string; [k: string]: unknown }[]).map(
        ({ since, currency, ...rest }) => {
          assert.ok(!Number.isNaN(Date.parse(String(since))));
          // Every commune here keeps the default currency; the partner's comes with it.
          assert.deepEqual(currency, {
            code: 'HOUR',
            name: 'Time credit',
            unit: 'hour',
            decimals: 0,
          });
          return rest;
        },
      );
    };
    /** The open form_alliance proposals of a commune, as their params. */
    const openRequests = async (commune: string) => {
      const r = await t.get(`/api/v1/communes/${commune}/proposals`, tok(MEMBERS[commune]![0]!));
      return (
        r.body.items as { id: string; status: string; action: { type: string; params: unknown } }[]
      )
        .filter((p) => p.status === 'open' && p.action?.type === 'form_alliance')
        .map((p) => ({ id: p.id, params: p.action.params }));
    };
    const eventTypes = async () =>
      (
        await t.deps.db
          .selectFrom('domain_events')
          .select('type')
          .orderBy('occurred_at')
          .orderBy('id')
          .execute()
      )
        .map((e) => e.type)
        .filter((x) => x.startsWith('alliance_'));

    it('forms when the asked commune passes the mirrored terms, and either side ends it', async () => {
      const asked = await pass(
        'orchard',
        (await ally('orchard', { commune: 'bakery', tradeLimit: 100, rate: 2 })).id,
      );
      assert.deepEqual([asked.status, asked.action.executed], ['passed', true]);
      const requested = { balance: 0, status: 'requested' };
      assert.deepEqual(await alliances('orchard'), [
        { commune: 'bakery', tradeLimit: 100, rate: 2, ...requested },
      ]);
      assert.deepEqual(await alliances('bakery'), [
        { commune: 'orchard', tradeLimit: 200, rate: 0.5, ...requested },
      ]);
      const [mirrored, ...more] = await openRequests('bakery');
      assert.equal(more.length, 0);
      assert.deepEqual(mirrored!.params, { commune: 'orchard', tradeLimit: 200, rate: 0.5 });
      assert.deepEqual(await openRequests('orchard'), []);

      const answered = await pass('bakery', mirrored!.id);
      assert.deepEqual([answered.status, answered.action.executed], ['passed', true]);
      const active = { balance: 0, status: 'active' };
      assert.deepEqual(await alliances('orchard'), [
        { commune: 'bakery', tradeLimit: 100, rate: 2, ...active },
      ]);
      assert.deepEqual(await alliances('bakery'), [
        { commune: 'orchard', tradeLimit: 200, rate: 0.5, ...active },
      ]);
      assert.deepEqual(await eventTypes(), [
        'alliance_consented',
        'alliance_requested',
        'alliance_consented',
        'alliance_formed',
      ]);

      // The asked side ends it alone.
      const end = await proposed(t, tok('cy'), 'bakery', {
        title: 'End it',
        action: { type: 'end_alliance', params: { commune: 'orchard' } },
      });
      const ended = await pass('bakery', end.id);
      assert.deepEqual([ended.status, ended.action.executed], ['passed', true]);
      assert.deepEqual(
        [(await alliances('orchard'))[0]!.status, (await alliances('bakery'))[0]!.status],
        ['ended', 'ended'],
      );
      assert.equal((await eventTypes()).at(-1), 'alliance_ended');
    });

    it('takes other terms from the asked commune as a counter-offer the asker passes in turn', async () => {
      await pass(
        'orchard',
        (await ally('orchard', { commune: 'bakery', tradeLimit: 100, rate: 2 })).id,
      );
      const countered = await pass(
        'bakery',
        (await ally('bakery', { commune: 'orchard', tradeLimit: 150, rate: 0.4 })).id,
      );
      assert.deepEqual([countered.status, countered.action.executed], ['passed', true]);
      assert.deepEqual(await alliances('bakery'), [
        { commune: 'orchard', tradeLimit: 150, rate: 0.4, balance: 0, status: 'requested' },
      ]);
      const [back] = await openRequests('orchard');
      assert.deepEqual(back!.params, { commune: 'bakery', tradeLimit: 60, rate: 2.5 });
      await pass('orchard', back!.id);
      assert.deepEqual(await alliances('orchard'), [
        { commune: 'bakery', tradeLimit: 60, rate: 2.5, balance: 0, status: 'active' },
      ]);
      // The first mirrored proposal in the bakery comes too late: allied already, nothing runs.
      const [late] = await openRequests('bakery');
      const refused = await pass('bakery', late!.id);
      assert.deepEqual(
        [refused.status, refused.action.executed, (refused.action.result as any).error.code], // eslint-disable-line @typescript-eslint/no-explicit-any
        ['passed', false, 'already_allied'],
      );
      assert.equal((await alliances('bakery')).length, 1);

      // The asker ends it alone too.
      const end = await proposed(t, tok('ann'), 'orchard', {
        title: 'End it',
        action: { type: 'end_alliance', params: { commune: 'bakery' } },
      });
      await pass('orchard', end.id);
      assert.equal((await alliances('bakery'))[0]!.status, 'ended');
    });

    it('refuses bad alliances when proposed, with a clear code, changing nothing', async () => {
      const tryAlly = async (params: Record<string, unknown>, by = 'ann', commune = 'orchard') => {
        const r = await propose(t, tok(by), commune, {
          title: 'x',
          action: { type: 'form_alliance', params },
        });
        return [r.status, r.body.error?.code, r.body.error?.field];
      };
      const count = async () =>
        Number(
          (
            await t.deps.db
              .selectFrom('proposals')
              .select((e) => e.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const before = await count();
      const terms = { tradeLimit: 10, rate: 1 };
      const commune = 'action.params.commune';
      assert.deepEqual(await tryAlly({ commune: 'orchard', ...terms }), [
        422,
        'self_alliance',
        commune,
      ]);
      assert.deepEqual(await tryAlly({ commune: 'nowhere', ...terms }), [
        422,
        'unknown_commune',
        commune,
      ]);
      // Private to the proposer: indistinguishable from unknown.
      assert.deepEqual(await tryAlly({ commune: 'hideout', ...terms }), [
        422,
        'unknown_commune',
        commune,
      ]);
      const rate = 'action.params.rate';
      const limit = 'action.params.tradeLimit';
      for (const r of [0, -1, 1e-7, 2_000_000])
        assert.deepEqual(await tryAlly({ commune: 'bakery', tradeLimit: 10, rate: r }), [
          422,
          'invalid_rate',
          rate,
        ]);
      for (const l of [0, -5])
        assert.deepEqual(await tryAlly({ commune: 'bakery', tradeLimit: l, rate: 1 }), [
          422,
          'invalid_trade_limit',
          limit,
        ]);
      // 10 × 0.01 rounds to 0 in the partner's currency.
      assert.deepEqual(await tryAlly({ commune: 'bakery', tradeLimit: 10, rate: 0.01 }), [
        422,
        'mirrored_limit_out_of_range',
        limit,
      ]);
      assert.equal(await count(), before);

      await pass('orchard', (await ally('orchard', { commune: 'bakery', ...terms })).id);
      assert.deepEqual(await tryAlly({ commune: 'bakery', ...terms }), [
        422,
        'alliance_already_requested',
        commune,
      ]);
      const [mirrored] = await openRequests('bakery');
      await pass('bakery', mirrored!.id);
      assert.deepEqual(await tryAlly({ commune: 'bakery', ...terms }), [
        422,
        'already_allied',
        commune,
      ]);
      assert.deepEqual(await tryAlly({ commune: 'orchard', ...terms }, 'cy', 'bakery'), [
        422,
        'already_allied',
        commune,
      ]);
      assert.equal((await alliances('orchard')).length, 1);
    });

    it('shows a private commune’s alliances to its members only, and hides private partners', async () => {
      const hidden = await t.get('/api/v1/communes/hideout/alliances', tok('dan'));
      assert.deepEqual([hidden.status, hidden.body.error.code], [404, 'not_found']);
      assert.equal((await t.get('/api/v1/communes/hideout/alliances')).status, 404);
      assert.deepEqual(await alliances('hideout', 'hal'), []);
      // hal (of the hideout) asks the bakery, which it can see; outsiders of the hideout never see it.
      await pass(
        'hideout',
        (await ally('hideout', { commune: 'bakery', tradeLimit: 5, rate: 1 })).id,
      );
      assert.equal((await alliances('hideout', 'hal'))[0]!.commune, 'bakery');
      assert.deepEqual(await alliances('bakery', 'dan'), []);
    });

    it('lets members of an allied commune see its allies items, and nobody else', async () => {
      const item = await writeItem(t, tok('ann'), 'orchard', { visibility: 'allies' });
      const see = async (who: string) => (await t.get(`/api/v1/items/${item.id}`, tok(who))).status;
      assert.deepEqual([await see('ann'), await see('cy'), await see('dan')], [200, 403, 403]);
      await pass(
        'orchard',
        (await ally('orchard', { commune: 'bakery', tradeLimit: 10, rate: 1 })).id,
      );
      assert.equal(await see('cy'), 403, 'a request is no alliance yet');
      const [mirrored] = await openRequests('bakery');
      await pass('bakery', mirrored!.id);
      assert.deepEqual([await see('cy'), await see('dan')], [200, 403]);
      const found = async (who: string) =>
        (await t.get('/api/v1/search?q=compost', tok(who))).body.items.map(
          (h: { title: string }) => h.title,
        );
      assert.deepEqual([await found('cy'), await found('dan')], [[item.title], []]);
    });
  });
}
