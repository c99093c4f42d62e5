import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import type { RunningServer } from '../../bench/lib/server.ts';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { callServer, schemaUrl, startServePair } from '../../test/support/serve-pair.ts';
import { isEvent, sseReader, type SseReader } from '../../test/support/sse.ts';
import { waitFor } from '../../test/support/wait.ts';
import { found } from '../communes/communes.fixtures.ts';
import { TEST_POSTGRES_URL, isPostgresReachable, openTestPostgres } from '../db/testing.ts';

// Live updates across processes on PostgreSQL: a write in one `serve` process reaches a
// follower of the other through NOTIFY at commit; a lost LISTEN connection comes back.
const reachable = await isPostgresReachable();
if (!reachable && process.env.CI === 'true')
  throw new Error('CI=true but PostgreSQL is not reachable');
const skip = reachable ? false : 'PostgreSQL not reachable';

describe('live updates across two processes on one PostgreSQL', { skip, timeout: 120_000 }, () => {
  let db: Awaited<ReturnType<typeof openTestPostgres>>;
  let servers: RunningServer[] = [];
  const readers: SseReader[] = [];

  before(async () => {
    db = await openTestPostgres(4);
    servers = await startServePair(schemaUrl(db.schema), { SIGN_UPS_PER_HOUR: '1000' });
  });
  after(async () => {
    for (const r of readers) await r.close();
    await Promise.all(servers.map((s) => s.stop()));
    await db?.destroy();
  });

  async function person(server: RunningServer, handle: string): Promise<string> {
    const password = `password of ${handle}`;
    assert.equal(
      (await callServer(server, 'POST', '/api/v1/accounts', { handle, password })).status,
      201,
    );
    return (await callServer(server, 'POST', '/api/v1/sessions', { handle, password })).body
      .token as string;
  }

  async function follow(server: RunningServer, query: string, token?: string) {
    const res = await fetch(`${server.url}/api/v1/events${query}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    assert.equal(res.status, 200);
    const reader = sseReader(res.body!);
    readers.push(reader);
    await reader.next(isEvent('ready'));
    return reader;
  }

  it('sends a comment and a vote written by one process to followers of the other', async () => {
    const [a, b] = servers as [RunningServer, RunningServer];
    const ann = await person(a, 'mp_ann');
    const ben = await person(b, 'mp_ben');
    const made = await callServer(
      a,
      'POST',
      '/api/v1/communes',
      {
        handle: 'mp_live',
        name: 'Two processes',
        vision: 'Hear each other',
        category: 'social',
        tags: ['live'],
        joinPolicy: 'open',
        visibility: 'public',
      },
      ann,
    );
    assert.equal(made.status, 201, JSON.stringify(made.body));
    assert.equal(
      (
        await callServer(
          b,
          'POST',
          '/api/v1/communes/mp_live/applications',
          { acceptAgreements: true },
          ben,
        )
      ).status,
      201,
    );
    const thread = await callServer(
      a,
      'POST',
      '/api/v1/communes/mp_live/threads',
      { title: 'Hi', body: 'Both' },
      ann,
    );
    const onA = await follow(a, `?thread=${thread.body.id}`);
    const communeOnA = await follow(a, '?commune=mp_live', ann);
    const comment = await callServer(
      b,
      'POST',
      `/api/v1/threads/${thread.body.id}/comments`,
      { body: 'from b' },
      ben,
    );
    assert.equal(comment.status, 201);
    await onA.next(isEvent('comment_posted', { comment: comment.body.id }));
    const proposal = await callServer(
      b,
      'POST',
      '/api/v1/communes/mp_live/proposals',
      {
        title: 'Meet on Sunday',
        body: 'Sunday',
        method: 'consent',
        closesAt: new Date(Date.now() + 86_400_000).toISOString(),
      },
      ben,
    );
    assert.equal(proposal.status, 201, JSON.stringify(proposal.body));
    const onB = await follow(b, `?proposal=${proposal.body.id}`);
    await callServer(
      a,
      'POST',
      `/api/v1/proposals/${proposal.body.id}/votes`,
      { position: 'consent' },
      ann,
    );
    await communeOnA.next(isEvent('vote_cast', { proposal: proposal.body.id }));
    await onB.next(isEvent('vote_cast', { proposal: proposal.body.id }));
    // Each event once, however many processes heard the NOTIFY.
    assert.equal(onA.messages.filter(isEvent('comment_posted')).length, 1);
  });
});

describe('the LISTEN connection', { skip, timeout: 120_000 }, () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp('postgres');
  });
  after(() => t.close());

  it('comes back after PostgreSQL ended it, and followers are told to refresh', async () => {
    const ada = await t.person('relisten_ada');
    await found(t, ada, 'relisten');
    const made = await t.post('/api/v1/communes/relisten/threads', { title: 'T', body: 'B' }, ada);
    const res = await t.app.request(`/api/v1/events?thread=${made.body.id}`);
    const reader = sseReader(res.body!);
    await reader.next(isEvent('ready'));
    const pid = await t.contexts.live.listenerPid();
    assert.ok(pid);
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await admin.connect();
    await admin.query('select pg_terminate_backend($1)', [pid]);
    await admin.end();
    await reader.next(isEvent('refresh'));
    const after = await waitFor(async () => {
      const p = await t.contexts.live.listenerPid();
      return p !== pid && p;
    });
    assert.notEqual(after, pid);
    const c = await t.post(`/api/v1/threads/${made.body.id}/comments`, { body: 'still here' }, ada);
    await reader.next(isEvent('comment_posted', { comment: c.body.id }));
    await reader.close();
  });
});
