import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { found, join } from '../communes/communes.fixtures.ts';
import { availableDatabases } from '../db/testing.ts';
import { listen } from '../http/server.ts';
import { jobRunner } from '../jobs/runner.ts';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { isEvent, sseReader, type SseReader } from '../../test/support/sse.ts';

// A new notification reaches its recipient's open pages, and only theirs (ADR 0034), over a
// real HTTP connection: SQLite hands it over in-process, PostgreSQL through its trigger.

for (const { kind, skip } of await availableDatabases()) {
  describe(`notifications on the live stream on ${kind}`, { skip }, () => {
    let t: TestApp;
    let server: ReturnType<typeof listen>;
    let base: string;
    const people: Record<string, string> = {};
    const open: SseReader[] = [];

    before(async () => {
      t = await startTestApp(kind);
      server = listen(t.app.fetch, {
        port: 0,
        hostname: '127.0.0.1',
        timeouts: t.deps.config.timeouts,
      });
      await new Promise<void>((resolve) => server.once('listening', () => resolve()));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      for (const p of ['nl_ada', 'nl_bo', 'nl_cy']) people[p] = await t.person(p);
      await found(t, people.nl_ada!, 'nl_pub');
      for (const p of ['nl_bo', 'nl_cy'])
        assert.equal((await join(t, people[p]!, 'nl_pub')).status, 201);
    });
    after(async () => {
      for (const r of open) await r.close();
      await t.contexts.live.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await t.close();
    });

    async function follow(query: string, token?: string) {
      const res = await fetch(`${base}/api/v1/events${query}`, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
      if (res.status !== 200) return { status: res.status, body: await res.json(), reader: null };
      const reader = sseReader(res.body!);
      open.push(reader);
      await reader.next(isEvent('ready'));
      return { status: 200, body: null, reader };
    }

    /** Posts a thread mentioning `who`, then runs the jobs (the notifier is one). */
    async function mention(who: string) {
      const r = await t.post(
        '/api/v1/communes/nl_pub/threads',
        { title: 'Hello', body: `Look @${who}` },
        people.nl_ada,
      );
      assert.equal(r.status, 201, JSON.stringify(r.body));
      await jobRunner(t.deps, t.contexts.jobs).drain();
    }

    it('sends a notification event to its recipient only, on their notifications and home streams', async () => {
      const bo = (await follow('?notifications=true', people.nl_bo)).reader!;
      const boHome = (await follow('', people.nl_bo)).reader!;
      const cy = (await follow('?notifications=true', people.nl_cy)).reader!;
      await mention('nl_bo');
      const got = await bo.next(isEvent('notification'));
      const mine = await t.get('/api/v1/me/notifications', people.nl_bo);
      const made = mine.body.items[0];
      assert.deepEqual(got.data, {
        type: 'notification',
        id: made.id,
        kind: 'mention',
        commune: 'nl_pub',
      });
      assert.equal(got.id, undefined, 'no id: Last-Event-ID stays a domain event');
      await boHome.next(isEvent('notification', { id: made.id }));
      // cy's next notification is their own: bo's never reached them.
      await mention('nl_cy');
      const theirs = await cy.next(isEvent('notification'));
      const cyList = await t.get('/api/v1/me/notifications', people.nl_cy);
      assert.equal(theirs.data.id, cyList.body.items[0].id);
      assert.equal(cy.messages.filter((m) => m.event === 'notification').length, 1);
      assert.ok(!bo.messages.some((m) => m.data.id === theirs.data.id));
    });

    it('asks anonymous callers to sign in, and follows one topic at a time', async () => {
      const anon = await follow('?notifications=true');
      assert.deepEqual([anon.status, anon.body.error.code], [400, 'topic_required']);
      for (const q of ['?notifications=true&commune=nl_pub', '?notifications=yes']) {
        const r = await follow(q, people.nl_bo);
        assert.deepEqual([r.status, r.body.error.code], [400, 'invalid_input'], q);
      }
    });
  });
}
