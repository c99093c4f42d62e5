import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { RunningServer } from '../../bench/lib/server.ts';
import { callServer, schemaUrl, startServePair } from '../../test/support/serve-pair.ts';
import { isPostgresReachable, openTestPostgres } from '../db/testing.ts';
import { deliveryKind } from '../events/events.ts';
import { waitFor } from '../../test/support/wait.ts';

// Two real `serve` processes on one PostgreSQL schema, both running the job queue: every
// event notifies each of its people exactly once, whichever process wrote or delivered it.
const reachable = await isPostgresReachable();
if (!reachable && process.env.CI === 'true')
  throw new Error('CI=true but PostgreSQL is not reachable');
const ROUNDS = 8;

describe(
  'notifications from two processes on one PostgreSQL',
  { skip: reachable ? false : 'PostgreSQL not reachable', timeout: 120_000 },
  () => {
    let db: Awaited<ReturnType<typeof openTestPostgres>>;
    let servers: RunningServer[] = [];

    before(async () => {
      db = await openTestPostgres(4);
      const url = schemaUrl(db.schema);
      servers = await startServePair(url, { SIGN_UPS_PER_HOUR: '1000' });
    });

    after(async () => {
      await Promise.all(servers.map((s) => s.stop()));
      await db?.destroy();
    });

    const call = callServer;

    async function person(server: RunningServer, handle: string): Promise<string> {
      const password = `password of ${handle}`;
      assert.equal(
        (await call(server, 'POST', '/api/v1/accounts', { handle, password })).status,
        201,
      );
      return (await call(server, 'POST', '/api/v1/sessions', { handle, password })).body
        .token as string;
    }

    it('makes one notification per recipient, event and kind, and no more', async () => {
      const [a, b] = servers as [RunningServer, RunningServer];
      const [ann, ben, cat] = await Promise.all([
        person(a, 'ann'),
        person(b, 'ben'),
        person(a, 'cat'),
      ]);
      const made = await call(
        a,
        'POST',
        '/api/v1/communes',
        {
          handle: 'twins',
          name: 'Twins',
          vision: 'Two of everything',
          category: 'other',
          joinPolicy: 'open',
          visibility: 'public',
        },
        ann,
      );
      assert.equal(made.status, 201, JSON.stringify(made.body));
      for (const [server, token] of [
        [b, ben],
        [a, cat],
      ] as const)
        assert.equal(
          (
            await call(
              server,
              'POST',
              '/api/v1/communes/twins/applications',
              { acceptAgreements: true },
              token,
            )
          ).status,
          201,
        );
      // Each round, through alternating processes: ann's thread mentions ben and cat (2),
      // ben answers it mentioning cat (a reply to ann, a mention of cat: 2), cat pays ann (1).
      await Promise.all(
        Array.from({ length: ROUNDS }, async (_, i) => {
          const [one, two] = i % 2 === 0 ? [a, b] : [b, a];
          const thread = await call(
            one,
            'POST',
            '/api/v1/communes/twins/threads',
            { title: `Round ${i}`, body: `Hello @ben and @cat (${i})` },
            ann,
          );
          assert.equal(thread.status, 201, JSON.stringify(thread.body));
          const comment = await call(
            two,
            'POST',
            `/api/v1/threads/${thread.body.id}/comments`,
            { body: `Yes, and @cat too (${i})` },
            ben,
          );
          assert.equal(comment.status, 201, JSON.stringify(comment.body));
          const paid = await call(
            one,
            'POST',
            '/api/v1/communes/twins/transfers',
            { id: randomUUID(), to: 'ann', amount: 1 },
            cat,
          );
          assert.equal(paid.status, 201, JSON.stringify(paid.body));
        }),
      );
      const expected = ROUNDS * 5;
      const pending = async () =>
        Number(
          (
            await db.db
              .selectFrom('jobs')
              .select((eb) => eb.fn.countAll<string>().as('n'))
              .where('kind', '=', deliveryKind('notifications.notify'))
              .where('status', '!=', 'done')
              .executeTakeFirstOrThrow()
          ).n,
        );
      await waitFor(async () => (await pending()) === 0, {
        timeoutMs: 60_000,
        message: 'every event delivered to the notifications subscriber',
      });
      const rows = await db.db
        .selectFrom('notifications')
        .select(['recipient_id', 'kind', 'subject_id', 'event_id'])
        .execute();
      assert.equal(rows.length, expected);
      const keys = new Set(rows.map((r) => `${r.recipient_id}/${r.kind}/${r.subject_id}`));
      assert.equal(keys.size, expected, 'no one told twice about one thing');
      // Each kind adds up: per round three mentions (two in the thread, one in the comment) and one reply.
      const byKind = (k: string) => rows.filter((r) => r.kind === k).length;
      assert.deepEqual(
        [byKind('mention'), byKind('reply'), byKind('payment')],
        [ROUNDS * 3, ROUNDS, ROUNDS],
      );
      const annUnread = await call(
        b,
        'GET',
        '/api/v1/me/notifications?unread=true&limit=200',
        undefined,
        ann,
      );
      assert.equal(annUnread.body.unread, ROUNDS * 2);
    });
  },
);
