import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { isUniqueViolation } from '../db/database.ts';
import { availableDatabases } from '../db/testing.ts';
import { communeOf, crew, proposed, vote } from '../decisions/decisions.fixtures.ts';
import { newId } from '../shared/ids.ts';
import { alliancesRepository } from './alliances.repository.ts';
import { down, up } from '../db/migrations/0019_one_standing_alliance.ts';

// Two decisions about the same pair closing at once: one alliance, never two (migration 0019).

const consent = { position: 'consent' };
type Closed = { status: string; action: { executed: boolean; result: any } }; // eslint-disable-line @typescript-eslint/no-explicit-any

for (const { kind, skip } of await availableDatabases()) {
  describe(`one standing alliance per pair on ${kind}`, { skip }, () => {
    let t: TestApp;
    const c = crew();
    const ids = new Map<string, string>();
    const ROUNDS = 4;

    before(async () => {
      t = await startTestApp(kind);
      // One member each, so one vote passes a proposal.
      for (let i = 0; i < ROUNDS; i += 1)
        for (const side of ['east', 'west'])
          ids.set(
            `${side}${i}`,
            (await communeOf(t, c, `${side}${i}`, [`${side}p${i}`])).id as string,
          );
    });
    after(() => t.close());

    const standing = async (x: string, y: string) =>
      (await alliancesRepository(t.deps.db).between(ids.get(x)!, ids.get(y)!)).filter(
        (p) => p.status !== 'ended',
      );
    const ask = (who: string, commune: string, partner: string, tradeLimit: number) =>
      proposed(t, c.tok(who), commune, {
        title: `Ally with ${partner}`,
        action: { type: 'form_alliance', params: { commune: partner, tradeLimit, rate: 1 } },
      });
    const closeAll = async (votes: [string, string][]): Promise<Closed[]> =>
      (await Promise.all(votes.map(([who, id]) => vote(t, c.tok(who), id, consent)))).map((r) => {
        assert.equal(r.status, 201, JSON.stringify(r.body));
        return r.body as Closed;
      });

    it('takes one of two requests of one commune passing at once; the other is refused with a code', async () => {
      for (let i = 0; i < ROUNDS; i += 1) {
        const me = `eastp${i}`;
        const first = await ask(me, `east${i}`, `west${i}`, 10);
        const second = await ask(me, `east${i}`, `west${i}`, 20);
        const closed = await closeAll([
          [me, first.id],
          [me, second.id],
        ]);
        assert.deepEqual(
          closed.map((p) => p.status),
          ['passed', 'passed'],
        );
        const ran = closed.filter((p) => p.action.executed);
        const refused = closed.filter((p) => !p.action.executed);
        assert.equal(ran.length, 1, JSON.stringify(closed));
        assert.equal(refused[0]!.action.result.error.code, 'alliance_already_requested');
        const pairs = await standing(`east${i}`, `west${i}`);
        assert.equal(pairs.length, 1);
        assert.equal(pairs[0]!.status, 'requested');
      }
    });

    it('meets two communes asking each other at once in one pair: the second answers the first', async () => {
      const rounds = [];
      // The east requests of the test before stand: end them first, so each pair starts empty.
      for (let i = 0; i < ROUNDS; i += 1)
        await t.deps.db
          .updateTable('alliances')
          .set({ status: 'ended', ended_at: new Date().toISOString() })
          .where('commune_a', '=', ids.get(`east${i}`)!)
          .execute();
      for (let i = 0; i < ROUNDS; i += 1) {
        // Both ask with mirrored terms: whichever comes second forms the alliance.
        const e = await ask(`eastp${i}`, `east${i}`, `west${i}`, 10);
        const w = await ask(`westp${i}`, `west${i}`, `east${i}`, 10);
        rounds.push({ i, e, w });
      }
      const closed = await closeAll(
        rounds.flatMap(({ i, e, w }): [string, string][] => [
          [`eastp${i}`, e.id],
          [`westp${i}`, w.id],
        ]),
      );
      for (const p of closed) assert.equal(p.action.executed, true, JSON.stringify(p));
      for (let i = 0; i < ROUNDS; i += 1) {
        const pairs = await standing(`east${i}`, `west${i}`);
        assert.deepEqual(
          pairs.map((p) => p.status),
          ['active'],
        );
      }
    });

    it('has the database refuse a second standing pair either way round, and allow one after the end', async () => {
      const [a, b] = [ids.get('east0')!, ids.get('west0')!];
      const at = new Date().toISOString();
      const row = (x: string, y: string, status: 'requested' | 'active' | 'ended') => ({
        id: newId(),
        commune_a: x,
        commune_b: y,
        status,
        trade_limit: 5,
        rate: 1,
        requested_at: at,
        active_since: null,
        ended_at: null,
        ended_by: null,
      });
      await t.deps.db.updateTable('alliances').set({ status: 'ended' }).execute();
      await t.deps.db
        .insertInto('alliances')
        .values(row(a, b, 'requested'))
        .execute();
      for (const [x, y, s] of [
        [a, b, 'requested'],
        [b, a, 'requested'],
        [b, a, 'active'],
      ] as const)
        await assert.rejects(
          t.deps.db
            .insertInto('alliances')
            .values(row(x, y, s))
            .execute(),
          (e) => isUniqueViolation(e),
        );
      // The repository declines instead of failing the decision's transaction.
      assert.equal(
        await alliancesRepository(t.deps.db).insertRequest(b, a, { tradeLimit: 5, rate: 1 }, at),
        null,
      );
      await t.deps.db
        .insertInto('alliances')
        .values(row(b, a, 'ended'))
        .execute();
      await t.deps.db.updateTable('alliances').set({ status: 'ended' }).execute();
      assert.notEqual(
        await alliancesRepository(t.deps.db).insertRequest(b, a, { tradeLimit: 5, rate: 1 }, at),
        null,
      );
    });

    it('migrates a database a race left with two standing pairs: the active one stays', async () => {
      const [a, b] = [ids.get('east1')!, ids.get('west1')!];
      await t.deps.db.updateTable('alliances').set({ status: 'ended' }).execute();
      await down(t.deps.db as never);
      const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
      const repo = alliancesRepository(t.deps.db);
      const terms = { tradeLimit: 5, rate: 1 };
      const older = (await repo.insertRequest(a, b, terms, at(1)))!;
      const active = (await repo.insertRequest(b, a, terms, at(2)))!;
      const newer = (await repo.insertRequest(a, b, terms, at(3)))!;
      await repo.activate(active, at(4));
      await up(t.deps.db as never);
      const statuses = new Map((await repo.between(a, b)).map((p) => [p.id, p.status]));
      assert.deepEqual(
        [statuses.get(older), statuses.get(active), statuses.get(newer)],
        ['ended', 'active', 'ended'],
      );
      assert.equal(await repo.insertRequest(a, b, terms, at(5)), null);
    });
  });
}
