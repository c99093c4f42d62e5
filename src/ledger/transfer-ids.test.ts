import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import * as rekey from '../db/migrations/0006_transfer_ids_per_commune.ts';
import { availableDatabases } from '../db/testing.ts';
import { assertBooks, commune, uuid } from './ledger.fixtures.ts';

// A transfer id is unique within its commune's ledger only: an id used in a commune the caller
// cannot see is neither refused (which would reveal it) nor confused with theirs.
for (const { kind, skip } of await availableDatabases()) {
  describe(`transfer ids per commune on ${kind}`, { skip }, () => {
    let t: TestApp;
    const people = new Map<string, string>();
    const tok = (h: string) => people.get(h)!;
    const send = (c: string, who: string, body: Record<string, unknown>) =>
      t.post(`/api/v1/communes/${c}/transfers`, body, tok(who));

    before(async () => {
      t = await startTestApp(kind);
      await commune(t, 'hidden', ['ann', 'bo'], { visibility: 'private' }, people);
      await commune(t, 'open', ['eve', 'fay'], {}, people);
    });
    after(() => t.close());

    it('accepts an id already used in a private commune, and keeps the two apart', async () => {
      const id = uuid();
      const theirs = await send('hidden', 'ann', { id, to: 'bo', amount: 5, memo: 'secret' });
      assert.equal(theirs.status, 201);
      const mine = await send('open', 'eve', { id, to: 'fay', amount: 2, memo: 'bread' });
      assert.equal(mine.status, 201, JSON.stringify(mine.body));
      assert.deepEqual([mine.body.id, mine.body.amount, mine.body.memo], [id, 2, 'bread']);

      const seen = await t.get(`/api/v1/communes/open/transfers/${id}`, tok('eve'));
      assert.deepEqual([seen.body.from, seen.body.memo], ['eve', 'bread']);
      const kept = await t.get(`/api/v1/communes/hidden/transfers/${id}`, tok('ann'));
      assert.deepEqual([kept.body.from, kept.body.amount, kept.body.memo], ['ann', 5, 'secret']);
      await assertBooks(t, 'open');
      await assertBooks(t, 'hidden', tok('ann'));
    });

    it('still replays the same body and refuses another one within a commune', async () => {
      const id = uuid();
      await send('hidden', 'ann', { id, to: 'bo', amount: 1, memo: 'x' });
      const body = { id, to: 'fay', amount: 1, memo: 'tea' };
      assert.equal((await send('open', 'eve', body)).status, 201);
      const again = await send('open', 'eve', body);
      assert.deepEqual([again.status, again.body.memo], [200, 'tea']);
      const other = await send('open', 'eve', { ...body, amount: 3 });
      assert.deepEqual([other.status, other.body.error.code], [409, 'idempotency_conflict']);
      const batch = await t.post(
        '/api/v1/communes/open/transfers/batch',
        {
          transfers: [
            { id: uuid(), to: 'fay', amount: 1 },
            { ...body, amount: 4 },
          ],
        },
        tok('eve'),
      );
      assert.equal(batch.status, 409);
    });

    it('takes a batch whose ids another commune used', async () => {
      const ids = [uuid(), uuid()];
      for (const id of ids) await send('hidden', 'ann', { id, to: 'bo', amount: 1 });
      const batch = await t.post(
        '/api/v1/communes/open/transfers/batch',
        { transfers: ids.map((id) => ({ id, to: 'fay', amount: 1, memo: 'b' })) },
        tok('eve'),
      );
      assert.equal(batch.status, 201, JSON.stringify(batch.body));
    });

    it('posts, voids and reverses the transfer of its own commune only', async () => {
      const id = uuid();
      assert.equal(
        (await send('hidden', 'ann', { id, to: 'bo', amount: 2, pending: true })).status,
        201,
      );
      assert.equal(
        (await send('open', 'eve', { id, to: 'fay', amount: 2, pending: true })).status,
        201,
      );
      const posted = await t.post(`/api/v1/communes/open/transfers/${id}/post`, {}, tok('eve'));
      assert.deepEqual([posted.status, posted.body.status], [200, 'posted']);
      const still = await t.get(`/api/v1/communes/hidden/transfers/${id}`, tok('ann'));
      assert.equal(still.body.status, 'pending');
      assert.equal(
        (await t.post(`/api/v1/communes/hidden/transfers/${id}/post`, {}, tok('ann'))).status,
        200,
      );
      // One reversal per transfer, per commune.
      for (const [c, payee] of [
        ['open', 'fay'],
        ['hidden', 'bo'],
      ] as const) {
        const back = await send(c, payee, {
          id: uuid(),
          to: c === 'open' ? 'eve' : 'ann',
          amount: 2,
          reverses: id,
        });
        assert.equal(back.status, 201, `${c}: ${JSON.stringify(back.body)}`);
      }
      await assertBooks(t, 'open');
      await assertBooks(t, 'hidden', tok('ann'));
    });

    it('writes payments that arrive together with one id in two communes', async () => {
      const id = uuid();
      const both = () =>
        Promise.all([
          send('hidden', 'ann', { id, to: 'bo', amount: 1, memo: 'h' }),
          send('open', 'eve', { id, to: 'fay', amount: 1, memo: 'o' }),
        ]);
      assert.deepEqual(
        (await both()).map((r) => r.status),
        [201, 201],
      );
      assert.deepEqual(
        (await both()).map((r) => [r.status, r.body.memo]),
        [
          [200, 'h'],
          [200, 'o'],
        ],
      );
    });

    it('keeps every transfer through the migration, down and up again', async () => {
      const before = (await t.get('/api/v1/communes/open/transfers?limit=200', tok('eve'))).body;
      // Down needs globally unique ids: only the open commune's may stay for it.
      const db = t.deps.db as never;
      await t.deps.db
        .deleteFrom('ledger_transfers')
        .where(
          'commune_id',
          '=',
          (
            await t.deps.db
              .selectFrom('communes')
              .select('id')
              .where('handle', '=', 'hidden')
              .executeTakeFirstOrThrow()
          ).id,
        )
        .execute();
      await rekey.down(db);
      await rekey.up(db);
      const after = (await t.get('/api/v1/communes/open/transfers?limit=200', tok('eve'))).body;
      assert.deepEqual(after, before);
      assert.ok(before.items.length > 0);
      const id = before.items[0].id;
      const reused = await send('hidden', 'ann', { id, to: 'bo', amount: 1 });
      assert.equal(reused.status, 201, 'the composite key is back');
    });
  });
}
