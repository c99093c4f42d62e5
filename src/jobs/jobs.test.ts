import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { createContexts } from '../app.ts';
import { manualClock } from '../communes/communes.fixtures.ts';
import { availableDatabases } from '../db/testing.ts';
import { communeOf, crew, jobsOf, proposed, vote } from '../decisions/decisions.fixtures.ts';
import { openProposal } from '../decisions/opening.ts';
import { newId } from '../shared/ids.ts';
import { eventBus } from '../events/events.service.ts';
import { jobRegistry } from './registry.ts';
import { BATCH_CLAIM, CLAIM_BATCH, LEASE_MS, MAX_ATTEMPTS, later, type Job } from './jobs.ts';
import { jobsRepository } from './jobs.repository.ts';
import { jobQueue, jobRunner } from './runner.ts';

for (const { kind, skip } of await availableDatabases()) {
  describe(`job queue on ${kind}`, { skip }, () => {
    // The queue, the clock and the runners are shared state: each test has its own.
    let t: TestApp;
    let clock: ReturnType<typeof manualClock>;
    let c: ReturnType<typeof crew>;
    beforeEach(async () => {
      clock = manualClock();
      c = crew();
      t = await startTestApp(kind, { clock });
    });
    afterEach(() => t.close());
    const queue = () => jobQueue(t.deps);
    const enqueue = (kind: string, key: string, inMs = 0) =>
      queue().enqueue(undefined, { kind, key, runAt: later(clock.now(), inMs) });

    it('runs a job once it is due, and only once', async () => {
      const ran: string[] = [];
      const runner = jobRunner(
        t.deps,
        jobRegistry().handle('note', async (job) => void ran.push(job.key)),
      );
      await enqueue('note', 'a', 60_000);
      await enqueue('note', 'a', 0); // the same kind and key again: still one job
      assert.equal(await runner.tick(), 0);
      clock.advance(60_000);
      assert.equal(await runner.tick(), 1);
      assert.equal(await runner.tick(), 0);
      assert.deepEqual(ran, ['a']);
      assert.equal((await queue().find('note', 'a'))?.status, 'done');
    });

    it('retries a failing job later, and gives up after MAX_ATTEMPTS', async () => {
      let calls = 0;
      const runner = jobRunner(
        t.deps,
        jobRegistry().handle('flaky', async () => {
          calls += 1;
          throw new Error(`boom ${calls}`);
        }),
      );
      await enqueue('flaky', 'x');
      await runner.tick();
      const first = await queue().find('flaky', 'x');
      assert.deepEqual([first?.status, first?.attempts, first?.lastError], ['queued', 1, 'boom 1']);
      await runner.tick();
      assert.equal(calls, 1, 'not again before the backoff');
      for (let i = 0; i < MAX_ATTEMPTS + 2; i += 1) {
        clock.advance(600_000);
        await runner.tick();
      }
      const last = await queue().find('flaky', 'x');
      assert.deepEqual(
        [last?.status, last?.attempts, calls],
        ['failed', MAX_ATTEMPTS, MAX_ATTEMPTS],
      );
    });

    it('tops a full claim up to BATCH_CLAIM with its batch kinds, never its other kinds', async () => {
      const batches: number[] = [];
      const plain: string[] = [];
      const runner = jobRunner(
        t.deps,
        jobRegistry()
          .handle('one', async (job) => void plain.push(job.key))
          .handle(
            'many',
            async () => undefined,
            async (_tx, jobs) => void batches.push(jobs.length),
          ),
      );
      const extra = 20;
      const queueAll = (kind: string, n: number, inMs: number) =>
        jobsRepository(t.deps.db, t.deps.dialect).enqueueAll(
          Array.from({ length: n }, (_, i) => ({
            kind,
            key: `${kind}-${i}`,
            runAt: later(clock.now(), inMs),
          })),
          clock.now().toISOString(),
        );
      // Due first: plain jobs, more than a claim; then the batch kind, more than BATCH_CLAIM.
      await queueAll('one', CLAIM_BATCH + extra, -2000);
      await queueAll('many', BATCH_CLAIM + extra, -1000);
      assert.equal(await runner.tick(() => false), CLAIM_BATCH, 'plain jobs: one claim');
      assert.equal(plain.length, CLAIM_BATCH);
      // Next claim: the other plain jobs, then the batch kind, topped up in the same claim.
      assert.equal(await runner.tick(() => false), BATCH_CLAIM + extra);
      assert.deepEqual(batches, [BATCH_CLAIM], 'one transaction for the batch kind');
      assert.equal(plain.length, CLAIM_BATCH + extra);
      assert.equal(await runner.tick(), extra, 'the rest, in a claim that is not full');
      assert.deepEqual(batches, [BATCH_CLAIM, extra]);
    });

    it('takes over a job whose process died, once its lease has run out', async () => {
      const ran: Job[] = [];
      const runner = jobRunner(
        t.deps,
        jobRegistry().handle('orphan', async (job) => void ran.push(job)),
      );
      await enqueue('orphan', 'y');
      // Another process claims it and dies.
      const at = clock.now();
      const claimed = await t.deps.db
        .transaction()
        .execute((tx) =>
          jobsRepository(tx, t.deps.dialect).claim(at.toISOString(), later(at, LEASE_MS), 10),
        );
      assert.ok(claimed.some((j) => j.key === 'y'));
      await runner.tick();
      assert.equal(ran.length, 0);
      clock.advance(LEASE_MS + 1000);
      await runner.tick();
      assert.deepEqual(
        ran.map((j) => [j.key, j.attempts]),
        [['y', 2]],
      );
    });

    it('runs a recurring job every interval, one runner at a time', async () => {
      let runs = 0;
      const every = { kind: 'heartbeat', everyMs: 1000, run: async () => void (runs += 1) };
      const [a, b] = [
        jobRunner(t.deps, jobRegistry().every(every)),
        jobRunner(t.deps, jobRegistry().every(every)),
      ];
      await Promise.all([a.tick(), b.tick()]);
      assert.equal(runs, 1);
      await Promise.all([a.tick(), b.tick()]);
      assert.equal(runs, 1, 'not due again yet');
      clock.advance(1000);
      await Promise.all([a.tick(), b.tick()]);
      assert.equal(runs, 2);
    });

    it('expires ledger holds without anyone reading the ledger', async () => {
      await communeOf(t, c, 'holds', ['ann', 'ben']);
      const id = randomUUID();
      const r = await t.post(
        '/api/v1/communes/holds/transfers',
        { id, to: 'ben', amount: 3, pending: true, timeoutSeconds: 60 },
        c.tok('ann'),
      );
      assert.equal(r.status, 201, JSON.stringify(r.body));
      const status = async () =>
        (
          await t.deps.db
            .selectFrom('ledger_transfers')
            .select('status')
            .where('id', '=', id)
            .executeTakeFirstOrThrow()
        ).status;
      const jobs = jobsOf(t);
      await jobs.tick();
      assert.equal(await status(), 'pending');
      clock.advance(61_000);
      await jobs.tick();
      assert.equal(await status(), 'expired');
    });

    it('closes each due proposal once, and spends once, when two runners race', async () => {
      await communeOf(t, c, 'racers', ['rae', 'rex']);
      for (const h of ['rae', 'rex'])
        await t.post(
          '/api/v1/communes/racers/transfers',
          { id: randomUUID(), to: 'purse', amount: 10 },
          c.tok(h),
        );
      const communeId = (await t.get('/api/v1/communes/racers')).body.id as string;
      const ids: string[] = [];
      for (let i = 0; i < 12; i += 1) {
        const p = await proposed(t, c.tok('rae'), 'racers', {
          title: `Spend ${i}`,
          action: { type: 'spend', params: { to: 'rex', amount: 1 } },
        });
        await vote(t, c.tok('rae'), p.id, { choice: 'yes' });
        ids.push(p.id);
      }
      // Proposals written straight in with a close that is already due, as after a long pause.
      const contexts = createContexts(t.deps);
      const due = later(clock.now(), 1000);
      await t.deps.db.transaction().execute(async (tx) => {
        for (let i = 0; i < 8; i += 1) {
          const id = newId();
          ids.push(id);
          await openProposal(t.deps, eventBus(t.deps), tx, {
            id,
            communeId,
            authorId: null,
            title: `Due ${i}`,
            body: '',
            method: 'majority',
            options: ['yes', 'no'],
            quorum: 0,
            threshold: 0.5,
            thresholdBasis: 'cast',
            budget: null,
            anonymous: false,
            hideResults: 'never',
            topic: null,
            opensAt: clock.now().toISOString(),
            closesAt: due,
            action: { type: 'spend', params: { to: 'rex', amount: 1, memo: '' } },
            subjectId: null,
            createdAt: clock.now().toISOString(),
          });
        }
      });
      clock.advance(8 * 24 * 3_600_000);
      await Promise.all([
        jobRunner(t.deps, contexts.jobs).tick(),
        jobRunner(t.deps, contexts.jobs).tick(),
        jobsOf(t).tick(),
      ]);
      const spends = (
        await t.get('/api/v1/communes/racers/transfers?account=purse&limit=200', c.tok('rae'))
      ).body.items.filter((x: { code: string }) => x.code === 'purse_spend');
      const shown = await Promise.all(
        ids.map(async (id) => (await t.get(`/api/v1/proposals/${id}`)).body),
      );
      // The 12 with one yes vote pass (quorum 0.5 of 2); the 8 nobody voted on are rejected.
      assert.deepEqual(
        shown.map((p) => p.status),
        [...Array(12).fill('passed'), ...Array(8).fill('rejected')],
      );
      assert.ok(shown.slice(0, 12).every((p) => p.action.executed === true));
      assert.deepEqual(spends.map((s: { id: string }) => s.id).sort(), ids.slice(0, 12).sort());
      const jobRows = await t.deps.db
        .selectFrom('jobs')
        .select(['key', 'attempts', 'status'])
        .where('kind', '=', 'close_proposal')
        .where('key', 'in', ids)
        .execute();
      assert.ok(
        jobRows.every((j) => j.status === 'done' && Number(j.attempts) === 1),
        JSON.stringify(jobRows),
      );
    });
  });
}
