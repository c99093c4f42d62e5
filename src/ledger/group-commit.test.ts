import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { availableDatabases } from '../db/testing.ts';
import { eventBus } from '../events/events.service.ts';
import { assertBooks, balances, commune, uuid } from './ledger.fixtures.ts';
import { ledgerService, type LedgerService } from './ledger.service.ts';
import type { TransferRequest } from './transfers.types.ts';

// Single transfers sent together are written as one group (ADR 0021): each is judged on its
// own, in arrival order, against what the ones before it left, and answered on its own.
for (const { kind, skip } of await availableDatabases()) {
  describe(`group commit on ${kind}`, { skip }, () => {
    let t: TestApp;
    let ledger: LedgerService;
    let communeId: string;
    const ids = new Map<string, string>();

    before(async () => {
      t = await startTestApp(kind);
      const people = new Map<string, string>();
      communeId = (await commune(t, 'grouped', ['ga', 'gb', 'gc'], {}, people)).communeId;
      people.set('gout', await t.person('gout'));
      for (const [h, token] of people) ids.set(h, (await t.get('/api/v1/me', token)).body.id);
      ledger = ledgerService(t.deps);
      const limit = await ledger.setCreditLimit(undefined, {
        communeId,
        owner: 'ga',
        limit: 10,
        by: null,
      });
      assert.ok(limit.ok, JSON.stringify(limit));
    });
    after(() => t?.close());

    it('answers each transfer of a mixed group on its own', async () => {
      const earlier = { id: uuid(), to: 'gb', amount: 1, memo: 'earlier' };
      const first = await ledger.pay(communeId, ids.get('ga')!, [earlier]);
      assert.ok(first.ok, JSON.stringify(first));
      const before = await balances(t, 'grouped');
      const twice = { id: uuid(), to: 'gb', amount: 2, memo: 'twice' };
      const sent: [string, TransferRequest][] = [
        ['ga', { id: uuid(), to: 'gb', amount: 4, memo: 'ok 1' }], // ga -5
        ['ga', { id: uuid(), to: 'gc', amount: 5, memo: 'ok 2' }], // ga -10: at the limit
        ['ga', { id: uuid(), to: 'gb', amount: 1, memo: 'over' }], // would be -11
        ['ga', earlier], // a retry: answered with the original although ga is at the limit
        ['gb', { id: uuid(), to: 'ga', amount: 3, memo: 'ok 3' }], // ga -7
        ['ga', { id: uuid(), to: 'gc', amount: 2, memo: 'ok 4' }], // ga -9, after a refusal
        ['ga', { ...earlier, memo: 'another meaning' }], // the id again, another body
        ['gout', { id: uuid(), to: 'gb', amount: 1, memo: 'outsider' }],
        ['gc', { id: uuid(), to: 'nobody', amount: 1, memo: 'no payee' }],
        ['gc', { id: uuid(), to: 'gc', amount: 1, memo: 'self' }],
        ['gc', twice], // new here, and sent twice in the group
        ['gc', twice],
        ['gb', { ...twice, amount: 3 }], // the group's own id, another body
        ['ga', { id: uuid(), to: 'gb', amount: 2, memo: 'over again' }], // would be -11
      ];
      // Sent in one turn of the event loop: they all go into one group.
      const answers = await Promise.all(
        sent.map(([payer, request]) => ledger.pay(communeId, ids.get(payer)!, [request])),
      );
      const outcome = answers.map((a) =>
        a.ok ? (a.value.replayed ? 'replayed' : 'created') : a.error.code,
      );
      assert.deepEqual(outcome, [
        'created',
        'created',
        'credit_limit_exceeded',
        'replayed',
        'created',
        'created',
        'idempotency_conflict',
        'payer_not_member',
        'payee_not_member',
        'self_payment',
        'created',
        'replayed',
        'idempotency_conflict',
        'credit_limit_exceeded',
      ]);
      const created = answers.flatMap((a) => (a.ok && !a.value.replayed ? a.value.transfers : []));
      assert.deepEqual(
        created.map((x) => x.memo),
        ['ok 1', 'ok 2', 'ok 3', 'ok 4', 'twice'],
      );
      // One transaction: every transfer of the group carries its one moment.
      assert.equal(new Set(created.map((x) => x.createdAt)).size, 1);
      const replayed = answers[3]!;
      assert.ok(replayed.ok);
      assert.deepEqual(replayed.value.transfers[0], first.ok && first.value.transfers[0]);
      const after = await balances(t, 'grouped');
      assert.deepEqual(
        {
          ga: after.ga! - before.ga!,
          gb: after.gb! - before.gb!,
          gc: after.gc! - before.gc!,
        },
        { ga: -4 - 5 + 3 - 2, gb: 4 - 3 + 2, gc: 5 + 2 - 2 },
      );
      assert.equal(after.ga, -9);
      // One transfer_posted for each transfer the group created, none for the rest.
      const posted = (await eventBus(t.deps).recorded({ communeId })).flatMap((e) =>
        e.event.type === 'transfer_posted' ? [e.event.transferId] : [],
      );
      for (const x of created) assert.equal(posted.filter((id) => id === x.id).length, 1);
      assert.equal(posted.filter((id) => id === earlier.id).length, 1);
      await assertBooks(t, 'grouped');
    });

    it('stays right for groups arriving while one is being written', async () => {
      const before = await balances(t, 'grouped');
      const waves = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          ledger.pay(communeId, ids.get(i % 2 ? 'gb' : 'gc')!, [
            { id: uuid(), to: i % 2 ? 'gc' : 'gb', amount: 1 + (i % 3), memo: '' },
          ]),
        ),
      );
      assert.ok(waves.every((w) => w.ok && !w.value.replayed));
      const after = await balances(t, 'grouped');
      const moved = Array.from({ length: 60 }, (_, i) => (i % 2 ? -1 : 1) * (1 + (i % 3)));
      assert.equal(
        after.gb! - before.gb!,
        moved.reduce((a, b) => a + b, 0),
      );
      await assertBooks(t, 'grouped');
    });

    it('answers every queued transfer before the database closes', async () => {
      // Its own database: this one is closed while transfers are still queued for groups.
      const s = await startTestApp(kind);
      let closed = false;
      try {
        const people = new Map<string, string>();
        const { communeId: id } = await commune(s, 'closing', ['ca', 'cb'], {}, people);
        const payer = (await s.get('/api/v1/me', people.get('ca'))).body.id as string;
        const own = ledgerService(s.deps);
        const limit = await own.setCreditLimit(undefined, {
          communeId: id,
          owner: 'ca',
          limit: 1000,
          by: null,
        });
        assert.ok(limit.ok, JSON.stringify(limit));
        // More than one group (256 each): most are still queued when idle() is called.
        const pending = Array.from({ length: 600 }, () =>
          own.pay(id, payer, [{ id: uuid(), to: 'cb', amount: 1, memo: '' }]),
        );
        await own.idle();
        await s.close();
        closed = true;
        const answers = await Promise.allSettled(pending);
        const failed = answers.filter((a) => a.status === 'rejected' || !a.value.ok);
        assert.deepEqual(failed, []);
      } finally {
        if (!closed) await s.close();
      }
    });
  });
}
