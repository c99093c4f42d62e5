import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { join, manualClock } from '../communes/communes.fixtures.ts';
import { availableDatabases } from '../db/testing.ts';
import { HOUR, communeOf, crew, jobsOf, proposed, vote } from '../decisions/decisions.fixtures.ts';
import { eventsRepository } from './events.repository.ts';
import type { DomainEvent } from './events.ts';

// What the contexts publish, seen from the outbox, through the real app.
for (const { kind, skip } of await availableDatabases()) {
  describe(`events the contexts publish on ${kind}`, { skip }, () => {
    let t: TestApp;
    const clock = manualClock();
    const c = crew();
    before(async () => {
      t = await startTestApp(kind, { clock });
    });
    after(() => t.close());

    const idOf = async (handle: string) =>
      (await t.get('/api/v1/me', c.tok(handle))).body.id as string;
    const outbox = async (communeId: string): Promise<DomainEvent[]> =>
      (await eventsRepository(t.deps.db).list({ communeId, limit: 500 })).map((e) => e.event);
    const ofType = (events: DomainEvent[], ...types: DomainEvent['type'][]) =>
      events.filter((e) => types.includes(e.type));

    it('founding and joining: commune_created, then member_joined for each', async () => {
      const made = await communeOf(t, c, 'ev_join', ['ada', 'bob']);
      const [ada, bob] = [await idOf('ada'), await idOf('bob')];
      assert.deepEqual(ofType(await outbox(made.id), 'commune_created', 'member_joined'), [
        { type: 'commune_created', communeId: made.id, createdBy: ada },
        { type: 'member_joined', communeId: made.id, accountId: ada, role: 'steward' },
        { type: 'member_joined', communeId: made.id, accountId: bob, role: 'member' },
      ]);
    });

    it('a posted transfer is announced; a refused departure publishes nothing', async () => {
      const made = await communeOf(t, c, 'ev_pay', ['cat', 'dan']);
      const id = randomUUID();
      const paid = await t.post(
        '/api/v1/communes/ev_pay/transfers',
        { id, to: 'dan', amount: 5 },
        c.tok('cat'),
      );
      assert.equal(paid.status, 201, JSON.stringify(paid.body));
      assert.deepEqual(ofType(await outbox(made.id), 'transfer_posted'), [
        {
          type: 'transfer_posted',
          communeId: made.id,
          transferId: id,
          payee: 'member',
          code: 'payment',
        },
      ]);
      // A pending transfer is announced when it is posted, not before.
      const held = randomUUID();
      await t.post(
        '/api/v1/communes/ev_pay/transfers',
        { id: held, to: 'dan', amount: 1, pending: true },
        c.tok('cat'),
      );
      assert.equal(ofType(await outbox(made.id), 'transfer_posted').length, 1);
      const post = await t.post(`/api/v1/communes/ev_pay/transfers/${held}/post`, {}, c.tok('cat'));
      assert.equal(post.status, 200, JSON.stringify(post.body));
      assert.deepEqual(
        ofType(await outbox(made.id), 'transfer_posted').map(
          (e) => 'transferId' in e && e.transferId,
        ),
        [id, held],
      );
      // A batch announces each of its transfers; a refused batch announces none.
      const batch = [randomUUID(), randomUUID()];
      const refusedBatch = await t.post(
        '/api/v1/communes/ev_pay/transfers/batch',
        {
          transfers: [
            { id: randomUUID(), to: 'dan', amount: 1 },
            { id: randomUUID(), to: 'nobody', amount: 1 },
          ],
        },
        c.tok('cat'),
      );
      assert.equal(refusedBatch.status, 422, JSON.stringify(refusedBatch.body));
      const paidBatch = await t.post(
        '/api/v1/communes/ev_pay/transfers/batch',
        { transfers: batch.map((id) => ({ id, to: 'dan', amount: 1 })) },
        c.tok('cat'),
      );
      assert.equal(paidBatch.status, 201, JSON.stringify(paidBatch.body));
      assert.deepEqual(
        ofType(await outbox(made.id), 'transfer_posted').map(
          (e) => 'transferId' in e && e.transferId,
        ),
        [id, held, ...batch],
      );
      // The ledger, subscribed in the transaction, refuses to let cat leave in debt.
      const refused = await t.del('/api/v1/communes/ev_pay/members/me', c.tok('cat'));
      assert.equal(refused.status, 422, JSON.stringify(refused.body));
      assert.deepEqual(ofType(await outbox(made.id), 'member_left'), []);
      assert.equal((await t.del('/api/v1/communes/ev_pay/members/me', c.tok('dan'))).status, 204);
      assert.deepEqual(ofType(await outbox(made.id), 'member_left'), [
        { type: 'member_left', communeId: made.id, accountId: await idOf('dan') },
      ]);
    });

    it('an application opens its admission proposal; closing publishes proposal_closed', async () => {
      const made = await communeOf(t, c, 'ev_apply', ['eve', 'fay'], {
        joinPolicy: 'application',
      });
      c.tokens.gus = await t.person('gus');
      const applied = await join(t, c.tok('gus'), 'ev_apply', { message: 'hello' });
      assert.equal(applied.status, 201);
      const events = await outbox(made.id);
      const opened = ofType(events, 'application_submitted', 'proposal_opened');
      assert.deepEqual(opened[0], {
        type: 'application_submitted',
        communeId: made.id,
        applicationId: applied.body.id,
        accountId: await idOf('gus'),
      });
      assert.equal(opened[1]?.type, 'proposal_opened');
      const proposalId = opened[1]!.type === 'proposal_opened' ? opened[1]!.proposalId : '';
      // Nothing of the application's message travels in an event.
      assert.ok(!JSON.stringify(events).includes('hello'));

      const p = await proposed(t, c.tok('eve'), 'ev_apply', {
        title: 'Picnic?',
        method: 'majority',
        closesAt: new Date(clock.now().getTime() + 48 * HOUR).toISOString(),
      });
      await vote(t, c.tok('eve'), p.id, { choice: 'yes' });
      clock.advance(8 * 24 * HOUR);
      await jobsOf(t).drain();
      const closed = ofType(await outbox(made.id), 'proposal_closed');
      assert.deepEqual(
        closed.map((e) => e.type === 'proposal_closed' && [e.proposalId, e.status]).sort(),
        [
          [p.id, 'passed'],
          [proposalId, 'passed'],
        ].sort(),
      );
    });

    it('amending the charter publishes charter_amended', async () => {
      const made = await communeOf(t, c, 'ev_amend', ['hal', 'ida'], {
        joinPolicy: 'application',
      });
      assert.equal(ofType(await outbox(made.id), 'charter_amended').length, 1);
    });
  });
}
