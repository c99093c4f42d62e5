import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import pino from 'pino';
import { manualClock } from '../communes/communes.fixtures.ts';
import { loadConfig } from '../config.ts';
import { openDatabase, type DbHandle } from '../db/database.ts';
import {
  TEST_POSTGRES_URL,
  availableDatabases,
  openTestPostgres,
  openTestSqlite,
} from '../db/testing.ts';
import type { Deps } from '../deps.ts';
import { retryDelayMs } from '../jobs/jobs.ts';
import { jobRegistry } from '../jobs/registry.ts';
import { jobRunner } from '../jobs/runner.ts';
import { newId } from '../shared/ids.ts';
import { fail } from '../shared/result.ts';
import { deliveryKind, type DomainEvent, type Envelope } from './events.ts';
import { eventsRepository } from './events.repository.ts';
import { eventBus } from './events.service.ts';

// The bus on its own, over a real database: outbox atomicity, in-transaction refusal, and
// background delivery through the job queue (at least once, once per subscriber, retried
// with backoff, never blocked by another subscriber, once across two runners).

const config = loadConfig({ DATABASE_URL: 'sqlite::memory:' });
if (!config.ok) throw new Error(config.error.message);

type Clock = ReturnType<typeof manualClock>;
const depsOf = (h: DbHandle, clock: Clock): Deps => ({
  db: h.db,
  dialect: h.dialect,
  config: config.value,
  logger: pino({ level: 'silent' }),
  clock,
});

const posted = (i: number): DomainEvent => ({
  type: 'transfer_posted',
  communeId: 'c1',
  transferId: `t${i}`,
});

/** One process's bus and runner; `seen` counts each background handling per event id. */
function processOf(deps: Deps, subscribers: Record<string, (e: Envelope) => void>) {
  const jobs = jobRegistry();
  const events = eventBus(deps, jobs);
  for (const [name, handle] of Object.entries(subscribers))
    events.background(name, ['transfer_posted', 'member_left'], async (_tx, e) => handle(e));
  return { events, runner: jobRunner(deps, jobs) };
}

const publishCommitted = async (deps: Deps, bus: ReturnType<typeof eventBus>, e: DomainEvent[]) =>
  deps.db.transaction().execute(async (tx) => {
    const r = await bus.publish(tx, e);
    assert.ok(r.ok);
  });

for (const { kind, skip } of await availableDatabases()) {
  describe(`domain events on ${kind}`, { skip }, () => {
    let h: DbHandle & { schema?: string };
    let deps: Deps;
    let clock: Clock;
    // The outbox, the queue and the clock are shared state: each test has its own.
    beforeEach(async () => {
      clock = manualClock();
      h = kind === 'sqlite' ? await openTestSqlite() : await openTestPostgres();
      deps = depsOf(h, clock);
    });
    afterEach(() => h.destroy());

    const deliveryJobs = async (subscriber: string) =>
      deps.db
        .selectFrom('jobs')
        .select(['key', 'status', 'attempts', 'run_at'])
        .where('kind', '=', deliveryKind(subscriber))
        .execute();

    it('writes events and their delivery jobs with the change, and nothing on rollback', async () => {
      const seen: string[] = [];
      const { events } = processOf(deps, { 'atomic.watch': (e) => void seen.push(e.id) });
      await assert.rejects(
        deps.db.transaction().execute(async (tx) => {
          await events.publish(tx, posted(1));
          throw new Error('the change failed after publishing');
        }),
        /the change failed/,
      );
      assert.deepEqual(await events.recorded(), []);
      assert.deepEqual(await deliveryJobs('atomic.watch'), []);

      await publishCommitted(deps, events, [posted(2)]);
      const recorded = await events.recorded();
      assert.deepEqual(
        recorded.map((e) => e.event),
        [posted(2)],
      );
      assert.deepEqual(
        (await deliveryJobs('atomic.watch')).map((j) => [j.key, j.status]),
        [[recorded[0]!.id, 'queued']],
      );
    });

    it('lets an in-transaction subscriber refuse, and publishes nothing then', async () => {
      const events = eventBus(deps);
      const calls: string[] = [];
      events.inTransaction('refuse.first', ['member_left'], async () => {
        calls.push('first');
        return fail('rule_violation', 'balance_not_zero', 'Settle first');
      });
      events.inTransaction('refuse.second', ['member_left'], async () => void calls.push('second'));
      const before = (await events.recorded()).length;
      const r = await deps.db
        .transaction()
        .execute(async (tx) => {
          const told = await events.publish(tx, {
            type: 'member_left',
            communeId: 'c1',
            accountId: 'a1',
          });
          if (!told.ok) throw told.error;
          return told;
        })
        .catch((e: { code: string }) => e);
      assert.equal((r as { code: string }).code, 'balance_not_zero');
      assert.deepEqual(calls, ['first'], 'a refusal stops the subscribers after it');
      assert.equal((await events.recorded()).length, before);
    });

    it('delivers at least once and handles each event once per subscriber', async () => {
      const counts = new Map<string, number>();
      let failNext = true;
      const p = processOf(deps, {
        'once.count': (e) => {
          if (failNext) {
            failNext = false;
            throw new Error('crashed before committing');
          }
          counts.set(e.id, (counts.get(e.id) ?? 0) + 1);
        },
      });
      await publishCommitted(deps, p.events, [posted(10)]);
      const [id] = (await deliveryJobs('once.count')).map((j) => j.key);
      // A throw rolls the delivery record back with the work: the retry runs it again.
      await p.runner.drain();
      assert.equal(counts.size, 0);
      clock.advance(retryDelayMs(1));
      await p.runner.drain();
      assert.deepEqual([...counts], [[id, 1]]);
      // A job run again after it committed (its process died before marking it done) is a no-op.
      const job = {
        id: newId(),
        kind: deliveryKind('once.count'),
        key: id!,
        runAt: '',
        attempts: 1,
      };
      const handler = jobRegistry();
      const again = eventBus(deps, handler);
      again.background('once.count', ['transfer_posted'], async (_tx, e) => {
        counts.set(e.id, (counts.get(e.id) ?? 0) + 1);
      });
      await handler.handlerOf(deliveryKind('once.count'))!(job);
      assert.deepEqual([...counts], [[id, 1]]);
      assert.deepEqual(await eventsRepository(deps.db).deliveries('once.count'), [id]);
    });

    it('retries a failing subscriber with backoff while the others proceed', async () => {
      const good: string[] = [];
      const flaky: string[] = [];
      let failures = 0;
      const p = processOf(deps, {
        'backoff.good': (e) => void good.push(e.id),
        'backoff.flaky': (e) => {
          if (failures < 3) {
            failures += 1;
            throw new Error(`down ${failures}`);
          }
          flaky.push(e.id);
        },
      });
      await publishCommitted(deps, p.events, [posted(20), posted(21)]);
      await p.runner.drain();
      assert.equal(good.length, 2, 'the healthy subscriber is not held up');
      assert.equal(flaky.length, 0);
      const waiting = await deliveryJobs('backoff.flaky');
      assert.deepEqual(
        waiting.map((j) => [j.status, Number(j.attempts)]),
        [
          ['queued', 1],
          ['queued', 1],
        ],
      );
      // Not before its backoff has passed.
      clock.advance(retryDelayMs(1) - 100);
      assert.equal(await p.runner.drain(), 0);
      clock.advance(100);
      await p.runner.drain(); // the third failure and the first success
      clock.advance(retryDelayMs(2));
      await p.runner.drain();
      assert.equal(flaky.length, 2);
      assert.deepEqual(new Set(flaky), new Set(good));
      assert.ok((await deliveryJobs('backoff.flaky')).every((j) => j.status === 'done'));
    });

    it('delivers each event once when two runners race', async () => {
      // Two processes: on PostgreSQL each has a pool of its own on the same schema.
      const second =
        kind === 'postgres' ? openDatabase(TEST_POSTGRES_URL, { schema: h.schema! }) : h;
      try {
        const counts = new Map<string, number>();
        const count = (e: Envelope) => void counts.set(e.id, (counts.get(e.id) ?? 0) + 1);
        const a = processOf(deps, { 'race.count': count });
        const b = processOf(depsOf(second, clock), { 'race.count': count });
        const many = Array.from({ length: 120 }, (_, i) => posted(100 + i));
        await publishCommitted(deps, a.events, many.slice(0, 60));
        await publishCommitted(deps, b.events, many.slice(60));
        await Promise.all([a.runner.drain(), b.runner.drain()]);
        const ran = await deliveryJobs('race.count');
        assert.equal(ran.length, 120);
        assert.ok(ran.every((j) => j.status === 'done' && Number(j.attempts) === 1));
        assert.equal(counts.size, 120);
        assert.ok(
          [...counts.values()].every((n) => n === 1),
          JSON.stringify([...counts]),
        );
        assert.equal((await eventsRepository(deps.db).deliveries('race.count')).length, 120);
      } finally {
        if (second !== h) await second.destroy();
      }
    });
  });
}
