import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { availableDatabases } from '../db/testing.ts';
import { assertBooks, balances } from '../ledger/ledger.fixtures.ts';
import { allyByDecision, endAllianceByDecision } from '../network/alliances.fixtures.ts';
import { communeWith, outcome, writeItem } from './items.fixtures.ts';

// Thanks for an ally's item go through clearing (docs/adr/0027-clearing-proven.md): the giver's
// commune pays in its currency, the author is paid in theirs, at the alliance's rate.
for (const { kind, skip } of await availableDatabases()) {
  describe(`thanks across an alliance on ${kind}`, { skip }, () => {
    let t: TestApp;
    const tok: Record<string, string> = {};
    const v = (commune: string, ...people: string[]) => ({
      commune,
      tokens: people.map((p) => tok[p]!),
    });
    let item: { id: string };

    before(async () => {
      t = await startTestApp(kind);
      for (const h of ['bo', 'cy', 'out', 'hal', 'lone']) tok[h] = await t.person(h);
      await communeWith(t, 'garden', tok.bo!, [tok.cy!]);
      await communeWith(t, 'other', tok.out!, []);
      await communeWith(t, 'hill', tok.hal!, [tok.out!]);
      await communeWith(t, 'far', tok.lone!, []);
      // 1 garden unit is worth 2 of other's: limits 10 garden = 20 other.
      await allyByDecision(t, v('garden', 'bo', 'cy'), v('other', 'out'), {
        tradeLimit: 10,
        rate: 2,
      });
      item = await writeItem(t, tok.bo!, 'garden', { title: 'Seed saving' });
    });
    after(() => t.close());

    const thank = (token: string, body: Record<string, unknown>, id = item.id) =>
      t.post(`/api/v1/items/${id}/thanks`, body, token);
    const books = async () => ({
      garden: await balances(t, 'garden', tok.bo),
      other: await balances(t, 'other', tok.out),
      hill: await balances(t, 'hill', tok.hal),
    });

    it('pays the author through clearing at the rate, once per id', async () => {
      const id = randomUUID();
      const first = await thank(tok.out!, { id, amount: 5 });
      assert.equal(first.status, 201, JSON.stringify(first.body));
      // The giver's half: in other's currency, to garden's clearing account.
      assert.deepEqual(
        [first.body.code, first.body.from, first.body.to, first.body.amount],
        ['thanks', 'out', 'garden', 5],
      );
      const b = await books();
      // 5 other ÷ 2 = 2.5, rounded down: bo gets 2 garden units.
      assert.deepEqual(b.garden, { purse: 0, bo: 2, cy: 0, other: -2 });
      assert.deepEqual(b.other, { purse: 0, out: -5, garden: 5 });
      const received = await t.get('/api/v1/communes/garden/transfers', tok.bo);
      assert.deepEqual(
        [received.body.items[0].code, received.body.items[0].to, received.body.items[0].amount],
        ['thanks', 'bo', 2],
      );
      await assertBooks(t, 'garden', tok.bo);
      await assertBooks(t, 'other', tok.out);
      assert.deepEqual((await t.get(`/api/v1/items/${item.id}/thanks`, tok.bo)).body, {
        people: 1,
        times: 1,
      });

      const again = await thank(tok.out!, { id, amount: 5 });
      assert.equal(again.status, 200, JSON.stringify(again.body));
      assert.deepEqual(again.body, first.body);
      assert.equal(outcome(await thank(tok.out!, { id, amount: 6 })), '409 idempotency_conflict');
      const other = await writeItem(t, tok.cy!, 'garden', { title: 'Kiln' });
      assert.equal(
        outcome(await thank(tok.out!, { id, amount: 5 }, other.id)),
        '409 idempotency_conflict',
      );
      // The same id as a plain payment across is another meaning, too.
      const plain = await t.post(
        '/api/v1/communes/other/transfers',
        { id, to: 'bo', toCommune: 'garden', amount: 5 },
        tok.out,
      );
      assert.equal(outcome(plain), '409 idempotency_conflict');
      assert.deepEqual(await books(), b);
      assert.deepEqual((await t.get(`/api/v1/items/${item.id}/thanks`, tok.bo)).body, {
        people: 1,
        times: 1,
      });
    });

    it('applies one of many identical thanks sent at once', async () => {
      const before = await books();
      const id = randomUUID();
      const replies = await Promise.all(
        Array.from({ length: 6 }, () => thank(tok.out!, { id, amount: 4 })),
      );
      assert.deepEqual(
        replies.map((r) => r.status).sort(),
        [200, 200, 200, 200, 200, 201],
        JSON.stringify(replies.map((r) => r.body)),
      );
      const now = await books();
      assert.equal(now.garden.bo! - before.garden.bo!, 2);
      assert.equal(now.other.out! - before.other.out!, -4);
    });

    it('refuses beyond the trade limit, too little to convert, and from a commune not allied; nothing moves', async () => {
      const was = await books();
      // other's clearing(garden) stands at 9 of 20; garden's clearing(other) at -4 of -10.
      const cases: [string, Record<string, unknown>, string][] = [
        [tok.out!, { id: randomUUID(), amount: 14 }, '422 trade_limit_exceeded'],
        [tok.out!, { id: randomUUID(), amount: 1 }, '422 amount_too_small'],
        [tok.lone!, { id: randomUUID(), amount: 2 }, '422 not_allied'],
        [tok.out!, { id: randomUUID(), amount: 2, fromCommune: 'far' }, '422 not_allied'],
        [tok.out!, { id: randomUUID(), amount: 2, fromCommune: 'garden' }, '422 not_allied'],
        [
          tok.out!,
          { id: randomUUID(), amount: 2, fromCommune: 'Not A Handle' },
          '400 invalid_input',
        ],
        [tok.lone!, { id: randomUUID(), amount: 2, fromCommune: 'far' }, '422 not_allied'],
      ];
      for (const [token, body, expected] of cases)
        assert.equal(outcome(await thank(token, body)), expected, JSON.stringify(body));
      assert.deepEqual(await books(), was);
    });

    it('asks which commune pays when the giver belongs to two allied ones', async () => {
      await allyByDecision(t, v('hill', 'hal', 'out'), v('garden', 'bo', 'cy'), {
        tradeLimit: 30,
        rate: 1,
      });
      const was = await books();
      assert.equal(
        outcome(await thank(tok.out!, { id: randomUUID(), amount: 3 })),
        '422 from_commune_required',
      );
      assert.deepEqual(await books(), was);
      const r = await thank(tok.out!, { id: randomUUID(), amount: 3, fromCommune: 'hill' });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      const now = await books();
      assert.equal(now.hill.out! - was.hill.out!, -3);
      assert.equal(now.garden.bo! - was.garden.bo!, 3);
      assert.deepEqual(now.other, was.other);
      // A member of the item's commune still pays in its own currency.
      const own = await thank(tok.cy!, { id: randomUUID(), amount: 1 });
      assert.deepEqual([own.status, own.body.to], [201, 'bo']);
    });

    it('stops once the alliance has ended; the balances stay', async () => {
      await endAllianceByDecision(t, v('other', 'out'), 'garden');
      const was = await books();
      assert.equal(
        outcome(await thank(tok.out!, { id: randomUUID(), amount: 4, fromCommune: 'other' })),
        '422 not_allied',
      );
      assert.deepEqual(await books(), was);
      assert.equal(was.other.garden, 9);
      await assertBooks(t, 'other', tok.out);
    });
  });
}
