import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { found, join } from '../communes/communes.fixtures.ts';
import { availableDatabases } from '../db/testing.ts';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { isEvent, sseReader, type SseReader } from '../../test/support/sse.ts';

// Live updates in-process on both databases: who hears what, through the real app and the
// real outbox (SQLite: the bus in-process; PostgreSQL: the trigger's NOTIFY and a LISTEN).

for (const { kind, skip } of await availableDatabases()) {
  describe(`live updates on ${kind}`, { skip }, () => {
    let t: TestApp;
    let ada: string;
    let bo: string;
    let cy: string;
    const open: SseReader[] = [];

    before(async () => {
      t = await startTestApp(kind, { env: { LIVE_MAX_PER_PERSON: '4' } });
      ada = await t.person('live_ada');
      bo = await t.person('live_bo');
      cy = await t.person('live_cy');
      await found(t, ada, 'live_pub');
      await found(t, ada, 'live_priv', { visibility: 'private' });
      const invite = await t.post('/api/v1/communes/live_pub/invites', undefined, ada);
      assert.equal((await join(t, bo, 'live_pub', { inviteCode: invite.body.code })).status, 201);
    });
    after(async () => {
      for (const r of open) await r.close();
      await t.close();
    });

    async function follow(query: string, token?: string, headers: Record<string, string> = {}) {
      const res = await t.app.request(`/api/v1/events${query}`, {
        headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      });
      if (res.status !== 200) return { status: res.status, body: await res.json(), reader: null };
      assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
      const reader = sseReader(res.body!);
      open.push(reader);
      await reader.next(isEvent('ready'));
      return { status: 200, body: null, reader };
    }

    const thread = async (commune: string, token: string) => {
      const r = await t.post(
        `/api/v1/communes/${commune}/threads`,
        { title: 'Live', body: 'Hi' },
        token,
      );
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body.id as string;
    };

    it('sends a new comment, its edit and its deletion to an anonymous reader of a public thread', async () => {
      const id = await thread('live_pub', ada);
      const { reader } = await follow(`?thread=${id}`);
      const c = await t.post(`/api/v1/threads/${id}/comments`, { body: 'hello @live_bo' }, bo);
      assert.equal(c.status, 201);
      const posted = await reader!.next(isEvent('comment_posted'));
      assert.deepEqual(posted.data, {
        type: 'comment_posted',
        commune: 'live_pub',
        thread: id,
        comment: c.body.id,
      });
      assert.ok(posted.id, 'events carry an id to resume from');
      assert.equal(
        (await t.call('PATCH', `/api/v1/comments/${c.body.id}`, { body: 'edited' }, bo)).status,
        200,
      );
      await reader!.next(isEvent('comment_edited', { comment: c.body.id }));
      assert.equal((await t.del(`/api/v1/comments/${c.body.id}`, bo)).status, 204);
      await reader!.next(isEvent('comment_deleted', { comment: c.body.id }));
    });

    it('hides a private commune from outsiders as its routes do, and answers bad topics before any stream', async () => {
      const id = await thread('live_priv', ada);
      for (const token of [undefined, cy]) {
        const r = await follow(`?thread=${id}`, token);
        assert.equal(r.status, 404);
        assert.equal(r.body.error.code, 'thread_not_found');
      }
      assert.equal((await follow(`?thread=${id}`, ada)).status, 200);
      const cases: [string, string | undefined, number, string][] = [
        [`?thread=${randomUUID()}`, ada, 404, 'thread_not_found'],
        ['?thread=not-an-id', ada, 404, 'thread_not_found'],
        [`?proposal=${randomUUID()}`, undefined, 404, 'proposal_not_found'],
        ['?commune=no_such_commune', ada, 404, 'not_found'],
        ['?commune=live_priv', cy, 404, 'not_found'],
        ['?topic=everything', ada, 400, 'invalid_input'],
        [`?thread=${id}&commune=live_priv`, ada, 400, 'invalid_input'],
        ['', undefined, 400, 'topic_required'],
      ];
      for (const [query, token, status, code] of cases) {
        const r = await follow(query, token);
        assert.equal(r.status, status, `${query}: ${JSON.stringify(r.body)}`);
        assert.equal(r.body.error.code, code, query);
      }
    });

    it('answers any spoiled query with JSON below 500, or a stream', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.dictionary(
            fc.constantFrom('thread', 'proposal', 'commune', 'limit', 'x'),
            fc.oneof(fc.string({ maxLength: 300 }), fc.uuid(), fc.constant('live_pub')),
            { maxKeys: 2 },
          ),
          fc.boolean(),
          async (query, signedIn) => {
            const qs = new URLSearchParams(query).toString();
            const r = await follow(qs ? `?${qs}` : '', signedIn ? cy : undefined);
            assert.ok(r.status < 500, `${qs} → ${r.status} ${JSON.stringify(r.body)}`);
            if (r.status === 200) await r.reader!.close();
            else assert.equal(typeof r.body.error.code, 'string');
          },
        ),
        { numRuns: 60 },
      );
    });

    it('keeps the ledger to members while the books are closed', async () => {
      const outsider = (await follow('?commune=live_pub')).reader!;
      const member = (await follow('?commune=live_pub', bo)).reader!;
      const paid = await t.post(
        '/api/v1/communes/live_pub/transfers',
        { id: randomUUID(), to: 'live_ada', amount: 3 },
        bo,
      );
      assert.equal(paid.status, 201, JSON.stringify(paid.body));
      const seen = await member.next(isEvent('transfer_posted'));
      assert.equal(seen.data.transfer, paid.body.id);
      // Something public after it: the anonymous reader gets that and never the payment.
      const id = await thread('live_pub', ada);
      await outsider.next(isEvent('thread_created', { thread: id }));
      await member.next(isEvent('thread_created', { thread: id }));
      assert.ok(!outsider.messages.some((m) => m.event === 'transfer_posted'));
    });

    it('sends votes and the outcome to a proposal’s followers, and its discussion', async () => {
      const made = await t.post(
        '/api/v1/communes/live_pub/proposals',
        {
          title: 'Paint the shed',
          body: 'Blue',
          method: 'consent',
          closesAt: new Date(Date.now() + 86_400_000).toISOString(),
        },
        ada,
      );
      assert.equal(made.status, 201, JSON.stringify(made.body));
      const id = made.body.id as string;
      const { reader } = await follow(`?proposal=${id}`);
      const said = await t.post(`/api/v1/proposals/${id}/comments`, { body: 'Why blue?' }, bo);
      assert.equal(said.status, 201, JSON.stringify(said.body));
      await reader!.next(isEvent('comment_posted', { comment: said.body.id }));
      for (const token of [ada, bo])
        assert.equal(
          (await t.post(`/api/v1/proposals/${id}/votes`, { position: 'consent' }, token)).status,
          201,
        );
      await reader!.next(isEvent('vote_cast', { proposal: id }));
      const closed = await reader!.next(isEvent('proposal_closed', { proposal: id }));
      assert.equal(closed.data.status, 'passed');
      assert.ok(!('voter' in closed.data));
    });

    it('tells an applicant the outcome of their application on their own stream', async () => {
      await found(t, ada, 'live_apply', { joinPolicy: 'application' });
      const applied = await join(t, cy, 'live_apply');
      assert.equal(applied.body.status, 'pending', JSON.stringify(applied.body));
      const home = (await follow('', cy)).reader!;
      const steward = (await follow('', ada)).reader!;
      const inbox = await t.get('/api/v1/me/inbox', ada);
      const proposal = inbox.body.applications.find(
        (a: { commune: string }) => a.commune === 'live_apply',
      ).proposal.id as string;
      assert.equal(
        (await t.post(`/api/v1/proposals/${proposal}/votes`, { position: 'consent' }, ada)).status,
        201,
      );
      await steward.next(isEvent('vote_cast', { proposal }));
      const outcome = await home.next(isEvent('proposal_closed', { proposal }));
      assert.equal(outcome.data.status, 'passed');
      // Admitted in the same transaction: the stream then ends, to be checked afresh as a member.
      assert.ok(home.messages.some(isEvent('member_joined', { commune: 'live_apply' })));
    });

    it('resumes from Last-Event-ID with what was missed', async () => {
      const id = await thread('live_pub', ada);
      const first = (await follow(`?thread=${id}`)).reader!;
      await t.post(`/api/v1/threads/${id}/comments`, { body: 'one' }, bo);
      const seen = await first.next(isEvent('comment_posted'));
      await first.close();
      const two = await t.post(`/api/v1/threads/${id}/comments`, { body: 'two' }, bo);
      const again = (await follow(`?thread=${id}`, undefined, { 'last-event-id': seen.id! }))
        .reader!;
      await again.next(isEvent('comment_posted', { comment: two.body.id }));
      const lost = (await follow(`?thread=${id}`, undefined, { 'last-event-id': randomUUID() }))
        .reader!;
      await lost.next(isEvent('refresh'));
    });

    it('limits the streams one person holds', async () => {
      const mine: SseReader[] = [];
      for (;;) {
        const r = await follow('?commune=live_pub', cy);
        if (r.status !== 200) {
          assert.equal(r.status, 429);
          assert.equal(r.body.error.code, 'too_many_streams');
          break;
        }
        mine.push(r.reader!);
        assert.ok(mine.length <= 4, 'LIVE_MAX_PER_PERSON is 4');
      }
      await mine[0]!.close();
      // The slot is free again once the client went away.
      const r = await follow('?commune=live_pub', cy);
      assert.equal(r.status, 200);
      for (const m of mine) await m.close();
      await r.reader!.close();
    });
  });
}
