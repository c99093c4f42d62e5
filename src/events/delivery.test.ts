import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import pino from 'pino';
import { manualClock } from '../communes/communes.fixtures.ts';
import { loadConfig } from '../config.ts';
import type { DbHandle } from '../db/database.ts';
import { availableDatabases, openTestPostgres, openTestSqlite } from '../db/testing.ts';
import type { Executor } from '../db/transaction.ts';
import type { Deps } from '../deps.ts';
import { jobsRepository } from '../jobs/jobs.repository.ts';
import { BATCH_CLAIM, CLAIM_BATCH, LEASE_MS, later, retryDelayMs } from '../jobs/jobs.ts';
import { jobRegistry } from '../jobs/registry.ts';
import { jobRunner } from '../jobs/runner.ts';
import { newId } from '../shared/ids.ts';
import { deliveryKind, type DomainEvent, type Envelope } from './events.ts';
import { eventBus } from './events.service.ts';

// Background delivery in batches (ADR 0033): the events of one claim reach a subscriber in
// one transaction, in the order they were published; a throw rolls the batch back and each
// event is tried alone; whatever fails, crashes or races, each event's effect commits once.
// And a publish-time filter: an event the subscriber does not want is never queued for it.

const config = loadConfig({ DATABASE_URL: 'sqlite::memory:' });
if (!config.ok) throw new Error(config.error.message);

const SUBSCRIBER = 'batch.effect';
type Payee = 'member' | 'purse' | 'clearing';
const transfer = (transferId: string, payee: Payee = 'member'): DomainEvent => ({
  type: 'transfer_posted',
  communeId: 'c1',
  transferId,
  payee,
  code: 'payment',
});
const transferIdOf = (e: DomainEvent) => (e.type === 'transfer_posted' ? e.transferId : '');
const wanted = (e: DomainEvent) => e.type === 'transfer_posted' && e.payee !== 'purse';

/**
 * The subscriber's effect, written in its delivery's transaction to a table with no unique key
 * but its id: an effect committed twice shows as two rows. (sign_up_attempts serves: nothing
 * else here reads it.)
 */
const effect = (tx: Executor, e: Envelope) =>
  tx
    .insertInto('sign_up_attempts')
    .values({ id: newId(), address: `${SUBSCRIBER}:${e.id}`, at: e.occurredAt })
    .execute();

for (const { kind, skip } of await availableDatabases()) {
  describe(`batched background delivery on ${kind}`, { skip }, () => {
    let h: DbHandle;
    let deps: Deps;
    const clock = manualClock();
    before(async () => {
      h = kind === 'sqlite' ? await openTestSqlite() : await openTestPostgres();
      deps = {
        db: h.db,
        dialect: h.dialect,
        config: config.value,
        logger: pino({ level: 'silent' }),
        clock,
      };
    });
    after(() => h.destroy());

    /** One process: a bus whose subscriber fails on the events `failing` names, as often as it says. */
    function processOf(failing = new Map<string, number>()) {
      const jobs = jobRegistry();
      const events = eventBus(deps, jobs);
      const calls: { tx: Executor; id: string }[] = [];
      events.background(
        SUBSCRIBER,
        ['transfer_posted'],
        async (tx, e) => {
          calls.push({ tx, id: e.event.transferId });
          await effect(tx, e);
          const left = failing.get(e.event.transferId) ?? 0;
          if (left > 0) {
            failing.set(e.event.transferId, left - 1);
            throw new Error(`${e.event.transferId} failed`);
          }
        },
        { wants: wanted },
      );
      return { events, jobs, runner: jobRunner(deps, jobs), calls };
    }

    const publish = (p: ReturnType<typeof processOf>, list: DomainEvent[]) =>
      deps.db.transaction().execute(async (tx) => assert.ok((await p.events.publish(tx, list)).ok));

    /** Committed effects per transfer id, for the events published with those transfer ids. */
    async function effects(events: Envelope[]): Promise<Map<string, number>> {
      const rows = await deps.db
        .selectFrom('sign_up_attempts')
        .select('address')
        .where(
          'address',
          'in',
          events.map((e) => `${SUBSCRIBER}:${e.id}`),
        )
        .execute();
      const byId = new Map(events.map((e) => [`${SUBSCRIBER}:${e.id}`, e]));
      const out = new Map<string, number>();
      for (const r of rows) {
        const id = transferIdOf(byId.get(r.address)!.event);
        out.set(id, (out.get(id) ?? 0) + 1);
      }
      return out;
    }

    const jobsOf = async (events: Envelope[]) =>
      deps.db
        .selectFrom('jobs')
        .select(['key', 'status'])
        .where('kind', '=', deliveryKind(SUBSCRIBER))
        .where(
          'key',
          'in',
          events.map((e) => e.id),
        )
        .execute();

    const published = async (prefix: string) =>
      (await eventBus(deps).recorded({ limit: 100_000 })).filter((e) =>
        transferIdOf(e.event).startsWith(prefix),
      );

    it('delivers a claim in one transaction, in publish order, and never queues a filtered event', async () => {
      const p = processOf();
      // A full claim takes up to BATCH_CLAIM deliveries (jobs.ts): two claims, two transactions.
      const n = BATCH_CLAIM + 7;
      const list = Array.from({ length: n }, (_, i) => transfer(`a${i}`));
      list.splice(3, 0, transfer('a-purse', 'purse'));
      await publish(p, list);
      const all = await published('a');
      assert.equal(all.length, n + 1);
      assert.deepEqual(await jobsOf(all.filter((e) => !wanted(e.event))), []);
      await p.runner.drain();
      const byTx = new Map<Executor, string[]>();
      for (const c of p.calls) byTx.set(c.tx, [...(byTx.get(c.tx) ?? []), c.id]);
      assert.equal(byTx.size, 2, 'one transaction for each claim');
      assert.deepEqual([...byTx.values()].flat(), list.filter(wanted).map(transferIdOf));
      const counts = await effects(all);
      assert.equal(counts.get('a-purse'), undefined, 'the filtered event is never delivered');
      assert.equal(counts.size, n);
      assert.ok([...counts.values()].every((c) => c === 1));
      assert.ok((await jobsOf(all)).every((j) => j.status === 'done'));
    });

    it('keeps each effect once when a process dies before or after committing a batch', async () => {
      const p = processOf();
      await publish(p, [transfer('b1'), transfer('b2'), transfer('b3')]);
      const mine = await published('b');
      const repo = jobsRepository(deps.db, deps.dialect);
      // Process one claims and dies: after its lease another takes the jobs over.
      const at = clock.now();
      const claimed = await deps.db
        .transaction()
        .execute((tx) =>
          jobsRepository(tx, deps.dialect).claim(at.toISOString(), later(at, LEASE_MS), 100),
        );
      assert.equal(claimed.length, 3);
      // It had delivered the first two and committed, then died before marking them done.
      const batch = p.jobs.batchHandlerOf(deliveryKind(SUBSCRIBER))!;
      await deps.db.transaction().execute((tx) => batch(tx, claimed.slice(0, 2)));
      assert.equal(await p.runner.drain(), 0, 'a leased job waits');
      clock.advance(LEASE_MS);
      const q = processOf();
      assert.equal(await q.runner.drain(), 3);
      assert.deepEqual(
        q.calls.map((c) => c.id),
        ['b3'],
        'only the undelivered one runs',
      );
      assert.deepEqual([...(await effects(mine)).values()], [1, 1, 1]);
      assert.ok(
        (await Promise.all(claimed.map((j) => repo.find(j.kind, j.key)))).every(
          (j) => j?.status === 'done',
        ),
      );
    });

    it('commits each event once, whatever fails and how often (property)', async () => {
      let round = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.record({
              payee: fc.constantFrom('member', 'member', 'clearing', 'purse') as fc.Arbitrary<
                'member' | 'clearing' | 'purse'
              >,
              failures: fc.constantFrom(0, 0, 0, 1, 2, 3),
            }),
            { minLength: 1, maxLength: 2 * CLAIM_BATCH + 5 },
          ),
          fc.integer({ min: 1, max: 3 }),
          async (specs, commits) => {
            round += 1;
            const prefix = `p${round}-`;
            const failing = new Map(
              specs.map((s, i) => [`${prefix}${i}`, s.failures] as [string, number]),
            );
            const p = processOf(failing);
            // Published in `commits` transactions, as several writers would.
            const list = specs.map((s, i) => transfer(`${prefix}${i}`, s.payee));
            const size = Math.ceil(list.length / commits);
            for (let i = 0; i < list.length; i += size) await publish(p, list.slice(i, i + size));
            const mine = await published(prefix);
            // Retries wait for their backoff; every claim runs a failing event at least once.
            for (let attempt = 1; attempt <= 5; attempt += 1) {
              await p.runner.drain();
              clock.advance(retryDelayMs(attempt));
            }
            const counts = await effects(mine);
            const queued = mine.filter((e) => wanted(e.event));
            assert.equal(counts.size, queued.length);
            assert.ok(
              [...counts.values()].every((c) => c === 1),
              JSON.stringify([...counts]),
            );
            const jobs = await jobsOf(mine);
            assert.equal(jobs.length, queued.length, 'a filtered event has no job');
            assert.ok(jobs.every((j) => j.status === 'done'));
          },
        ),
        { numRuns: kind === 'sqlite' ? 25 : 10 },
      );
    });
  });
}
