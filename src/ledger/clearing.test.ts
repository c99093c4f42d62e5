import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { availableDatabases } from '../db/testing.ts';
import { eventBus } from '../events/events.service.ts';
import { newId } from '../shared/ids.ts';
import { assertBooks, balances, commune, uuid } from './ledger.fixtures.ts';
import { ledgerService } from './ledger.service.ts';
import { subscribeLedger } from './ledger.subscribers.ts';

// FIXTURE until network-alliances publishes alliance_formed: an active alliances row and the
// event, in one transaction, through a bus with the ledger's real subscribers.
async function ally(t: TestApp, a: string, b: string, tradeLimit: number, rate: number) {
  const bus = eventBus(t.deps);
  subscribeLedger(bus, ledgerService(t.deps, bus));
  const id = newId();
  const at = new Date().toISOString();
  await t.deps.db.transaction().execute(async (tx) => {
    await tx
      .insertInto('alliances')
      .values({
        id,
        commune_a: a,
        commune_b: b,
        status: 'active',
        trade_limit: tradeLimit,
        rate,
        requested_at: at,
        active_since: at,
        ended_at: null,
        ended_by: null,
      })
      .execute();
    const r = await bus.publish(tx, {
      type: 'alliance_formed',
      communeId: a,
      partnerId: b,
      allianceId: id,
    });
    assert.ok(r.ok);
  });
  return id;
}

for (const { kind, skip } of await availableDatabases()) {
  describe(`payments across an alliance on ${kind}`, { skip }, () => {
    let t: TestApp;
    const people = new Map<string, string>();
    const tok = (h: string) => people.get(h)!;
    let east: string;
    let west: string;
    let allianceId: string;
    const across = (from: string, c: string, body: Record<string, unknown>) =>
      t.post(`/api/v1/communes/${c}/transfers`, { id: uuid(), memo: '', ...body }, tok(from));

    before(async () => {
      t = await startTestApp(kind);
      east = (await commune(t, 'east', ['ada', 'bo'], {}, people)).communeId;
      west = (await commune(t, 'west', ['cy', 'dee'], {}, people)).communeId;
      await commune(t, 'north', ['eve'], {}, people);
      // 1 east unit = 2.5 west units; trade limit 4 east = 10 west.
      allianceId = await ally(t, east, west, 4, 2.5);
    });
    after(() => t.close());

    it('opens each side’s clearing account with the trade limit in its currency', async () => {
      const e = (await t.get('/api/v1/communes/east/ledger', tok('ada'))).body;
      const w = (await t.get('/api/v1/communes/west/ledger', tok('cy'))).body;
      const ce = e.accounts.find((a: { owner: string }) => a.owner === 'west');
      const cw = w.accounts.find((a: { owner: string }) => a.owner === 'east');
      assert.deepEqual([ce.kind, ce.creditLimit], ['clearing', 4]);
      assert.deepEqual([cw.kind, cw.creditLimit], ['clearing', 10]);
    });

    it('converts, rounds down, shows in both ledgers, and both sum to zero', async () => {
      const r = await across('ada', 'east', { to: 'cy', toCommune: 'west', amount: 3 });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.code, 'clearing');
      assert.deepEqual(await balances(t, 'east', tok('ada')), {
        purse: 0,
        ada: -3,
        bo: 0,
        west: 3,
      });
      // 3 × 2.5 = 7.5 → 7
      assert.deepEqual(await balances(t, 'west', tok('cy')), { purse: 0, cy: 7, dee: 0, east: -7 });
      await assertBooks(t, 'east', tok('ada'));
      await assertBooks(t, 'west', tok('cy'));
      // The other way: 5 west × 0.4 = 2 east.
      const back = await across('dee', 'west', { to: 'bo', toCommune: 'east', amount: 5 });
      assert.equal(back.status, 201, JSON.stringify(back.body));
      assert.equal((await balances(t, 'east', tok('ada'))).bo, 2);
      assert.equal((await balances(t, 'west', tok('cy'))).east, -2);
    });

    it('is idempotent by id: a retry gets the original, another body under the id 409', async () => {
      const id = uuid();
      const body = { id, to: 'cy', toCommune: 'west', amount: 2, memo: 'seeds' };
      const first = await t.post('/api/v1/communes/east/transfers', body, tok('ada'));
      assert.equal(first.status, 201, JSON.stringify(first.body));
      const before = await balances(t, 'west', tok('cy'));
      const again = await t.post('/api/v1/communes/east/transfers', body, tok('ada'));
      assert.equal(again.status, 200, JSON.stringify(again.body));
      assert.deepEqual(again.body, first.body);
      const other = await t.post(
        '/api/v1/communes/east/transfers',
        { ...body, amount: 4 },
        tok('ada'),
      );
      assert.equal(other.status, 409);
      assert.equal(other.body.error.code, 'idempotency_conflict');
      assert.deepEqual(await balances(t, 'west', tok('cy')), before);
    });

    it('refuses beyond the trade limit both ways, and bad payments, moving nothing', async () => {
      const e0 = await balances(t, 'east', tok('ada'));
      const w0 = await balances(t, 'west', tok('cy'));
      const cases: [string, string, Record<string, unknown>, string][] = [
        // east's clearing(west) is at 3 of 4, west's clearing(east) at -7 of -10.
        ['ada', 'east', { to: 'cy', toCommune: 'west', amount: 2 }, 'trade_limit_exceeded'],
        ['cy', 'west', { to: 'ada', toCommune: 'east', amount: 18 }, 'trade_limit_exceeded'],
        ['ada', 'east', { to: 'eve', toCommune: 'west', amount: 1 }, 'payee_not_member'],
        ['ada', 'east', { to: 'eve', toCommune: 'north', amount: 1 }, 'no_alliance'],
        ['ada', 'east', { to: 'cy', toCommune: 'nowhere', amount: 1 }, 'no_alliance'],
        ['cy', 'west', { to: 'ada', toCommune: 'east', amount: 2 }, 'amount_too_small'],
      ];
      for (const [who, c, body, code] of cases) {
        const r = await across(who, c, body);
        assert.equal(r.status, 422, `${code}: ${JSON.stringify(r.body)}`);
        assert.equal(r.body.error.code, code, JSON.stringify(r.body));
      }
      assert.deepEqual(await balances(t, 'east', tok('ada')), e0);
      assert.deepEqual(await balances(t, 'west', tok('cy')), w0);
    });

    it('refuses once the alliance has ended', async () => {
      await t.deps.db
        .updateTable('alliances')
        .set({ status: 'ended', ended_at: new Date().toISOString(), ended_by: east })
        .where('id', '=', allianceId)
        .execute();
      const r = await across('ada', 'east', { to: 'cy', toCommune: 'west', amount: 1 });
      assert.equal(r.status, 422);
      assert.equal(r.body.error.code, 'no_alliance');
      await assertBooks(t, 'east', tok('ada'));
      await assertBooks(t, 'west', tok('cy'));
    });
  });
}

for (const { kind, skip } of await availableDatabases()) {
  describe(`payments across under 50 concurrent clients on ${kind}`, { skip }, () => {
    it('applies each payment exactly once, both ways, within the limit, without deadlock', async () => {
      const t = await startTestApp(kind);
      try {
        const people = new Map<string, string>();
        const ea = ['p1', 'p2', 'p3', 'p4', 'p5'];
        const wa = ['q1', 'q2', 'q3', 'q4', 'q5'];
        const e = (await commune(t, 'sun', ea, {}, people)).communeId;
        const w = (await commune(t, 'moon', wa, {}, people)).communeId;
        // A tight limit: 25 × 3 out against 25 × 1 back cannot all pass.
        await ally(t, e, w, 30, 1);
        type Sent = { c: string; from: string; body: Record<string, unknown> };
        const calls = Array.from({ length: 50 }, (_, i) => {
          const outbound = i % 2 === 0;
          const from = (outbound ? ea : wa)[i % 5]!;
          const body = outbound
            ? { id: uuid(), to: wa[i % 5], toCommune: 'moon', amount: 3, memo: '' }
            : { id: uuid(), to: ea[i % 5], toCommune: 'sun', amount: 1, memo: '' };
          const c = outbound ? 'sun' : 'moon';
          // Each client sends its payment twice at once, and every fifth also another body
          // under the same id: one applies, the same body replays, the other conflicts.
          const tries: Sent[] = [
            { c, from, body },
            { c, from, body },
          ];
          if (i % 5 === 0) tries.push({ c, from, body: { ...body, amount: 2 } });
          return Promise.all(
            tries.map(async (s) => ({
              s,
              r: await t.post(`/api/v1/communes/${s.c}/transfers`, s.body, people.get(s.from)),
            })),
          );
        });
        const replies = await Promise.all(calls);
        let trade = 0; // sun's clearing(moon): out minus back
        const appliedIds: string[] = [];
        for (const group of replies) {
          const made = group.filter(({ r }) => r.status === 201);
          assert.ok(made.length <= 1, JSON.stringify(group.map(({ r }) => r.body)));
          for (const { s, r } of group) {
            const said = `${JSON.stringify(s.body)} → ${r.status} ${JSON.stringify(r.body)}`;
            if (r.status === 200 || r.status === 201) {
              assert.equal(made.length, 1, said);
              assert.equal(r.body.amount, made[0]!.s.body.amount, said);
              assert.deepEqual(r.body, made[0]!.r.body, said);
            } else if (r.status === 409) assert.equal(r.body.error.code, 'idempotency_conflict');
            else {
              assert.equal(r.status, 422, said);
              assert.ok(
                ['trade_limit_exceeded', 'credit_limit_exceeded'].includes(r.body.error.code),
                said,
              );
            }
          }
          if (made[0]) {
            const { s } = made[0];
            trade += s.c === 'sun' ? (s.body.amount as number) : -(s.body.amount as number);
            appliedIds.push(s.body.id as string);
          }
        }
        assert.ok(appliedIds.length > 25, `only ${appliedIds.length} applied`);
        // 75 out against at most 30 + 25 of room: some must be refused; the clashes conflict.
        const codes = replies.flat().map(({ r }) => r.body.error?.code);
        assert.ok(codes.includes('trade_limit_exceeded'));
        assert.ok(codes.includes('idempotency_conflict'));
        const sun = await balances(t, 'sun', people.get('p1'));
        const moon = await balances(t, 'moon', people.get('q1'));
        assert.deepEqual([sun.moon, moon.sun], [trade, -trade]);
        assert.ok(Math.abs(trade) <= 30, `trade balance ${trade}`);
        await assertBooks(t, 'sun', people.get('p1'));
        await assertBooks(t, 'moon', people.get('q1'));
        for (const c of [e, w]) {
          const stored = await t.deps.db
            .selectFrom('ledger_transfers')
            .select('id')
            .where('commune_id', '=', c)
            .where('code', '=', 'clearing')
            .execute();
          assert.deepEqual(stored.map((x) => x.id).sort(), [...appliedIds].sort());
        }
      } finally {
        await t.close();
      }
    });
  });
}
