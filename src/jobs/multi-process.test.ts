import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import type { RunningServer } from '../../bench/lib/server.ts';
import { callServer, schemaUrl, startServePair } from '../../test/support/serve-pair.ts';
import { loadConfig } from '../config.ts';
import { isPostgresReachable, openTestPostgres } from '../db/testing.ts';
import { openProposal } from '../decisions/opening.ts';
import type { Deps } from '../deps.ts';
import { eventBus } from '../events/events.service.ts';
import { newId } from '../shared/ids.ts';
import { systemClock } from '../shared/clock.ts';
import { waitFor } from '../../test/support/wait.ts';

// Two real `serve` processes share one PostgreSQL schema and both run the scheduler:
// every proposal that comes due must close once, and its spend happen once.
const reachable = await isPostgresReachable();
if (!reachable && process.env.CI === 'true')
  throw new Error('CI=true but PostgreSQL is not reachable');
const PROPOSALS = 20;

describe(
  'the scheduler in two processes on one PostgreSQL',
  { skip: reachable ? false : 'PostgreSQL not reachable', timeout: 180_000 },
  () => {
    let db: Awaited<ReturnType<typeof openTestPostgres>>;
    let servers: RunningServer[] = [];
    let deps: Deps;

    before(async () => {
      db = await openTestPostgres(4);
      const url = schemaUrl(db.schema);
      const config = loadConfig({ DATABASE_URL: url, SIGN_UPS_PER_HOUR: '1000' });
      if (!config.ok) throw new Error(config.error.message);
      deps = {
        db: db.db,
        dialect: 'postgres',
        config: config.value,
        logger: pino({ level: 'silent' }),
        clock: systemClock,
      };
      servers = await startServePair(url);
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

    it('closes each due proposal exactly once and pays each spend once', async () => {
      const [a, b] = servers as [RunningServer, RunningServer];
      const [ann, ben] = await Promise.all([person(a, 'ann'), person(b, 'ben')]);
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
      assert.equal(made.status, 201);
      assert.equal(
        (
          await call(
            b,
            'POST',
            '/api/v1/communes/twins/applications',
            { acceptAgreements: true },
            ben,
          )
        ).status,
        201,
      );
      for (const [server, token] of [
        [a, ann],
        [b, ben],
      ] as const) {
        assert.equal(
          (
            await call(
              server,
              'POST',
              '/api/v1/communes/twins/transfers',
              { id: randomUUID(), to: 'purse', amount: 20 },
              token,
            )
          ).status,
          201,
        );
      }

      // A week-long spend cannot be waited for here: the proposals go in directly, and come
      // due once every vote is in (a fixed delay would race the votes on a slow machine).
      const start = Date.now();
      const ids = Array.from({ length: PROPOSALS }, () => newId());
      await db.db.transaction().execute(async (tx) => {
        for (const [i, id] of ids.entries()) {
          await openProposal(deps, eventBus(deps), tx, {
            id,
            communeId: made.body.id as string,
            authorId: null,
            title: `Spend ${i}`,
            body: '',
            method: 'majority',
            options: ['yes', 'no'],
            quorum: 0.5,
            threshold: 0.5,
            thresholdBasis: 'cast',
            budget: null,
            anonymous: false,
            hideResults: 'never',
            topic: null,
            opensAt: new Date(start).toISOString(),
            closesAt: new Date(start + 3_600_000 + i * 25).toISOString(),
            action: { type: 'spend', params: { to: 'ben', amount: 1, memo: '' } },
            subjectId: null,
            createdAt: new Date(start).toISOString(),
          });
        }
      });
      for (const [i, id] of ids.entries()) {
        const r = await call(
          i % 2 ? a : b,
          'POST',
          `/api/v1/proposals/${id}/votes`,
          { choice: 'yes' },
          ann,
        );
        assert.deepEqual([r.status, r.body.status], [201, 'open']);
      }

      const due = new Date().toISOString();
      await db.db.transaction().execute(async (tx) => {
        await tx.updateTable('proposals').set({ closes_at: due }).where('id', 'in', ids).execute();
        await tx
          .updateTable('jobs')
          .set({ run_at: due })
          .where('kind', '=', 'close_proposal')
          .where('key', 'in', ids)
          .execute();
      });

      const shown = await waitFor(
        async () => {
          const all = await Promise.all(
            ids.map(async (id) => (await call(a, 'GET', `/api/v1/proposals/${id}`)).body),
          );
          return all.every((p) => p.status !== 'open') && all;
        },
        { timeoutMs: 90_000, intervalMs: 100, message: 'every proposal to close' },
      );

      assert.deepEqual(
        shown.map((p) => [p.status, p.action.executed]),
        ids.map(() => ['passed', true]),
      );
      const spends = await db.db
        .selectFrom('ledger_transfers')
        .select(['id', 'amount', 'status'])
        .where('code', '=', 'purse_spend')
        .execute();
      assert.deepEqual(spends.map((s) => s.id).sort(), [...ids].sort(), 'one spend per proposal');
      assert.ok(spends.every((s) => s.status === 'posted' && Number(s.amount) === 1));
      const jobs = await db.db
        .selectFrom('jobs')
        .select(['key', 'attempts', 'status'])
        .where('kind', '=', 'close_proposal')
        .execute();
      assert.ok(
        jobs.every((j) => j.status === 'done' && Number(j.attempts) === 1),
        JSON.stringify(jobs),
      );
      const ledger = (await call(b, 'GET', '/api/v1/communes/twins/ledger', undefined, ben)).body;
      const purse = ledger.accounts.find((x: { owner: string }) => x.owner === 'purse');
      assert.deepEqual([ledger.sum, purse.balance], [0, 40 - PROPOSALS]);
    });
  },
);
