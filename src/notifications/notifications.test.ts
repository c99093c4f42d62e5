import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { join, manualClock } from '../communes/communes.fixtures.ts';
import { availableDatabases } from '../db/testing.ts';
import { HOUR, communeOf, crew, jobsOf, proposed, vote } from '../decisions/decisions.fixtures.ts';
import { deliveryKind } from '../events/events.ts';
import { writeItem } from '../inventory/items.fixtures.ts';
import { notificationsService } from './notifications.service.ts';

// Each event notifies each of its people once, through the real app and the job queue.
for (const { kind, skip } of await availableDatabases()) {
  describe(`notifications from domain events on ${kind}`, { skip }, () => {
    let t: TestApp;
    const clock = manualClock();
    const c = crew();
    before(async () => {
      t = await startTestApp(kind, { clock });
      await communeOf(t, c, 'garden', ['ada', 'bob', 'cat'], { joinPolicy: 'application' });
      c.tokens.dan = await t.person('dan');
    });
    after(() => t.close());

    const drain = async () => {
      const jobs = jobsOf(t);
      await jobs.drain();
      // A second pass finds nothing more to do: no event notifies twice.
      await jobs.drain();
    };
    const mine = async (who: string) => {
      const r = await t.get('/api/v1/me/notifications?limit=200', c.tok(who));
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body as {
        items: { id: string; kind: string; subject: { id: string; summary: string } }[];
        unread: number;
      };
    };
    const kinds = async (who: string) => (await mine(who)).items.map((n) => n.kind).sort();

    it('an application notifies each member once, not the applicant, and not its proposal', async () => {
      const applied = await join(t, c.tok('dan'), 'garden', { message: 'Hello' });
      assert.equal(applied.status, 201, JSON.stringify(applied.body));
      await drain();
      for (const who of ['ada', 'bob', 'cat']) assert.deepEqual(await kinds(who), ['application']);
      assert.deepEqual(await kinds('dan'), []);
      const home = await t.get('/api/v1/me/inbox', c.tok('bob'));
      assert.equal(home.status, 200, JSON.stringify(home.body));
      assert.equal(home.body.applications.length, 1);
      assert.equal(home.body.applications[0].applicant.handle, 'dan');
      assert.equal(home.body.applications[0].proposal.status, 'open');
      // The admission proposal is in every member's to-vote list.
      assert.equal(home.body.proposals.length, 1);
      const own = await t.get('/api/v1/me/applications', c.tok('dan'));
      assert.equal(own.status, 200, JSON.stringify(own.body));
      assert.equal(own.body.items[0].status, 'pending');
      assert.equal(own.body.items[0].proposal.eligible, 3);
    });

    it('a proposal notifies the other members; a day before closing, those who have not voted', async () => {
      const p = await proposed(t, c.tok('ada'), 'garden', {
        title: 'Plant beans',
        method: 'consent',
        closesAt: new Date(clock.now().getTime() + 72 * HOUR).toISOString(),
      });
      await drain();
      assert.deepEqual(await kinds('ada'), ['application']);
      assert.deepEqual(await kinds('bob'), ['application', 'proposal']);
      const voted = await vote(t, c.tok('bob'), p.id, { position: 'consent' });
      assert.equal(voted.status, 201, JSON.stringify(voted.body));
      const inbox = await t.get('/api/v1/me/inbox', c.tok('cat'));
      const open = inbox.body.proposals as { title: string; closesAt: string }[];
      assert.deepEqual(open.map((x) => x.title).sort(), ['Admit @dan', 'Plant beans']);
      assert.ok(open[0]!.closesAt <= open[1]!.closesAt, 'closing soonest first');
      const bobs = await t.get('/api/v1/me/inbox', c.tok('bob'));
      assert.ok(!bobs.body.proposals.some((x: { id: string }) => x.id === p.id), 'bob voted');
      clock.advance(49 * HOUR);
      await drain();
      const reminded = async (who: string) =>
        (await mine(who)).items.filter((n) => n.kind === 'closing_soon' && n.subject.id === p.id)
          .length;
      assert.equal(await reminded('cat'), 1);
      assert.equal(await reminded('ada'), 1, 'the author has not voted either');
      assert.equal(await reminded('bob'), 0, 'bob voted');
      clock.advance(24 * HOUR);
      await drain();
      for (const who of ['ada', 'bob', 'cat']) {
        const outcomes = (await mine(who)).items.filter((n) => n.kind === 'outcome');
        assert.ok(
          outcomes.some((n) => n.subject.id === p.id),
          `${who} hears the outcome`,
        );
        assert.equal(new Set(outcomes.map((n) => n.subject.id)).size, outcomes.length);
      }
      // dan's admission closed too: the applicant hears its outcome.
      const dans = (await mine('dan')).items.filter((n) => n.kind === 'outcome');
      assert.equal(dans.filter((n) => n.subject.summary.startsWith('Admit @dan')).length, 1);
    });

    it('a payment notifies whoever received it', async () => {
      const paid = await t.post(
        '/api/v1/communes/garden/transfers',
        { id: randomUUID(), to: 'cat', amount: 5 },
        c.tok('bob'),
      );
      assert.equal(paid.status, 201, JSON.stringify(paid.body));
      await drain();
      const payments = (await mine('cat')).items.filter((n) => n.kind === 'payment');
      assert.equal(payments.length, 1);
      assert.match(payments[0]!.subject.summary, /from @bob/);
      assert.equal((await mine('bob')).items.filter((n) => n.kind === 'payment').length, 0);
    });

    it('thanks tell the author; a payment to the purse is never queued for notifications', async () => {
      const item = await writeItem(t, c.tok('cat'), 'garden', { title: 'Seed saving' });
      const thanked = await t.post(
        `/api/v1/items/${item.id}/thanks`,
        { id: randomUUID(), amount: 2 },
        c.tok('ada'),
      );
      assert.equal(thanked.status, 201, JSON.stringify(thanked.body));
      const purse = randomUUID();
      const paid = await t.post(
        '/api/v1/communes/garden/transfers',
        { id: purse, to: 'purse', amount: 1 },
        c.tok('bob'),
      );
      assert.equal(paid.status, 201, JSON.stringify(paid.body));
      const posted = (await t.contexts.events.recorded({ limit: 100_000 })).filter(
        (e) => e.event.type === 'transfer_posted',
      );
      const toPurse = posted.find(
        (e) => e.event.type === 'transfer_posted' && e.event.transferId === purse,
      )!;
      assert.deepEqual(
        { payee: toPurse.event.type === 'transfer_posted' && toPurse.event.payee },
        { payee: 'purse' },
      );
      const queued = await t.deps.db
        .selectFrom('jobs')
        .select('key')
        .where('kind', '=', deliveryKind('notifications.notify'))
        .execute();
      const keys = new Set(queued.map((j) => j.key));
      assert.ok(!keys.has(toPurse.id), 'no delivery for a payment to the purse');
      assert.ok(
        posted.filter((e) => e.id !== toPurse.id).every((e) => keys.has(e.id)),
        'every other transfer is queued',
      );
      await drain();
      const thanks = (await mine('cat')).items.filter((n) => n.kind === 'thanks');
      assert.equal(thanks.length, 1);
      assert.match(thanks[0]!.subject.summary, /@ada thanked you for “Seed saving” with 2/);
    });

    it('mentions and replies: each person once, unknown handles nobody', async () => {
      const before = {
        ada: (await mine('ada')).items.length,
        bob: (await mine('bob')).items.length,
      };
      const thread = await t.post(
        '/api/v1/communes/garden/threads',
        { title: 'Seeds', body: 'Hi @cat and @nobody_here, and @cat again' },
        c.tok('bob'),
      );
      assert.equal(thread.status, 201, JSON.stringify(thread.body));
      await drain();
      const mentions = (await mine('cat')).items.filter((n) => n.kind === 'mention');
      assert.equal(mentions.length, 1);
      const comment = await t.post(
        `/api/v1/threads/${thread.body.id}/comments`,
        { body: 'Thanks @bob, and @ada look' },
        c.tok('cat'),
      );
      assert.equal(comment.status, 201, JSON.stringify(comment.body));
      await drain();
      // bob is answered (his thread): a reply, not also a mention.
      const bob = (await mine('bob')).items.slice(0, (await mine('bob')).items.length - before.bob);
      assert.deepEqual(
        bob.map((n) => n.kind),
        ['reply'],
      );
      const ada = (await mine('ada')).items.slice(0, (await mine('ada')).items.length - before.ada);
      assert.deepEqual(
        ada.map((n) => n.kind),
        ['mention'],
      );
      const inbox = await t.get('/api/v1/me/inbox', c.tok('bob'));
      assert.equal(inbox.body.replies.length, 1);
    });

    it('marks one or all read; unknown and others’ ids are 404s; bad input is a 400', async () => {
      const cat = await mine('cat');
      assert.ok(cat.unread >= 3);
      const first = cat.items[0]!.id;
      const r = await t.post('/api/v1/me/notifications/read', { ids: [first] }, c.tok('cat'));
      assert.equal(r.status, 204);
      assert.equal((await mine('cat')).unread, cat.unread - 1);
      // bob may not mark cat's, and learns nothing from trying.
      const other = await t.post('/api/v1/me/notifications/read', { ids: [first] }, c.tok('bob'));
      assert.deepEqual([other.status, other.body.error.code], [404, 'notification_not_found']);
      const unknown = await t.post(
        '/api/v1/me/notifications/read',
        { ids: ['0190f5c4-6b1e-7c3d-8a2b-123456789abc'] },
        c.tok('cat'),
      );
      assert.deepEqual([unknown.status, unknown.body.error.code], [404, 'notification_not_found']);
      const junk = await t.post('/api/v1/me/notifications/read', { ids: ['x'] }, c.tok('cat'));
      assert.equal(junk.status, 404);
      for (const body of [{ ids: [] }, { ids: 'all' }, { other: 1 }]) {
        const bad = await t.post('/api/v1/me/notifications/read', body, c.tok('cat'));
        assert.equal(bad.status, 400, JSON.stringify(body));
        assert.ok(bad.body.error.code);
      }
      const cursor = await t.get('/api/v1/me/notifications?before=zzz', c.tok('cat'));
      assert.deepEqual(
        [cursor.status, cursor.body.error.code],
        [400, 'notification_cursor_invalid'],
      );
      assert.equal((await t.post('/api/v1/me/notifications/read', {}, c.tok('cat'))).status, 204);
      assert.equal((await mine('cat')).unread, 0);
      const unreadOnly = await t.get('/api/v1/me/notifications?unread=true', c.tok('cat'));
      assert.deepEqual(unreadOnly.body.items, []);
    });

    it('pages newest first', async () => {
      const all = (await mine('ada')).items.map((n) => n.id);
      const seen: string[] = [];
      let next: string | null = null;
      do {
        const q: string = next ? `&before=${next}` : '';
        const r = await t.get(`/api/v1/me/notifications?limit=1${q}`, c.tok('ada'));
        seen.push(...r.body.items.map((n: { id: string }) => n.id));
        next = r.body.next;
      } while (next);
      assert.deepEqual(seen, all);
    });

    it('settings: none or important only for a commune, and filters, keep notifications away', async () => {
      const put = await t.put(
        '/api/v1/me/notification-settings',
        { communes: { garden: 'important' } },
        c.tok('cat'),
      );
      assert.equal(put.status, 200, JSON.stringify(put.body));
      assert.deepEqual(put.body.communes, { garden: 'important' });
      const filter = await t.post(
        '/api/v1/me/filters',
        { kind: 'person', value: 'ada' },
        c.tok('bob'),
      );
      assert.equal(filter.status, 201, JSON.stringify(filter.body));
      const counts = {
        bob: (await mine('bob')).items.length,
        cat: (await mine('cat')).items.length,
      };
      await proposed(t, c.tok('ada'), 'garden', {
        title: 'Paint the shed',
        method: 'consent',
        closesAt: new Date(clock.now().getTime() + 12 * HOUR).toISOString(),
      });
      await drain();
      assert.equal((await mine('cat')).items.length, counts.cat, 'not important: not made');
      assert.equal((await mine('bob')).items.length, counts.bob, 'bob filtered ada out');
      for (const bad of [
        { communes: { nowhere: 'all' } },
        { email: 'hourly' },
        { address: 'not an address' },
        { level: 'loud' },
        { extra: true },
      ]) {
        const r = await t.put('/api/v1/me/notification-settings', bad, c.tok('cat'));
        assert.ok(r.status === 400 || r.status === 422, `${JSON.stringify(bad)}: ${r.status}`);
        assert.ok(r.body.error.code);
      }
      const got = await t.get('/api/v1/me/notification-settings', c.tok('cat'));
      assert.deepEqual(got.body, {
        level: 'all',
        email: 'daily',
        address: null,
        addressVerified: false,
        verificationSentAt: null,
        communes: { garden: 'important' },
      });
    });

    it('a repeated delivery of one event makes nothing new (the unique key)', async () => {
      const service = notificationsService(t.deps, t.contexts.verification);
      const ada = (await t.get('/api/v1/me', c.tok('ada'))).body.id as string;
      const draft = {
        recipientId: ada,
        kind: 'mention' as const,
        communeId: null,
        communeHandle: null,
        subjectId: 'x',
        actorHandle: 'bob',
        summary: 'once',
        link: '/',
      };
      const eventId = randomUUID();
      const first = await t.deps.db
        .transaction()
        .execute((tx) => service.record(tx, eventId, [draft]));
      const again = await t.deps.db
        .transaction()
        .execute((tx) => service.record(tx, eventId, [draft]));
      assert.equal(first.length, 1);
      assert.equal(again.length, 0);
    });
  });
}
