import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { createContexts } from '../app.ts';
import { manualClock } from '../communes/communes.fixtures.ts';
import { availableDatabases } from '../db/testing.ts';
import { HOUR, communeOf, crew } from '../decisions/decisions.fixtures.ts';
import { jobRunner } from '../jobs/runner.ts';
import { DEMURRAGE_SWEEP_MS, chargeDueDemurrage } from './ledger.jobs.ts';

// Demurrage is charged by the background jobs, once per commune and month, however many
// processes tick and however often.
for (const { kind, skip } of await availableDatabases()) {
  describe(`monthly demurrage through the job queue on ${kind}`, { skip }, () => {
    // Each test starts from its own database and clock, in January, and sweeps the months
    // before the one it checks itself: the order the tests run in does not matter.
    let t: TestApp;
    let clock: ReturnType<typeof manualClock>;
    /** Two `serve` processes: each builds its own contexts and runner over the same database. */
    const processes = () => [
      jobRunner(t.deps, createContexts(t.deps).jobs),
      jobRunner(t.deps, createContexts(t.deps).jobs),
    ];
    const tickBoth = async () => void (await Promise.all(processes().map((r) => r.tick())));
    /** A member's fresh session: the books are members' (ADR 0026), and months pass here. */
    const member = async (commune: string) => {
      const handle = `${commune}_a`;
      const r = await t.post('/api/v1/sessions', { handle, password: `password-of-${handle}` });
      return r.body.token as string;
    };
    const ledgerOf = async (commune: string) =>
      (await t.get(`/api/v1/communes/${commune}/ledger`, await member(commune))).body as {
        accounts: { owner: string; balance: number }[];
        sum: number;
      };
    const balance = async (commune: string, owner: string) =>
      (await ledgerOf(commune)).accounts.find((a) => a.owner === owner)!.balance;
    const demurrage = async (commune: string) =>
      (
        (await t.get(`/api/v1/communes/${commune}/transfers?limit=200`, await member(commune))).body
          .items as {
          code: string;
          from: string;
          amount: number;
          memo: string;
        }[]
      ).filter((x) => x.code === 'demurrage');

    beforeEach(async () => {
      clock = manualClock(new Date('2030-01-10T09:00:00Z'));
      t = await startTestApp(kind, { clock });
      const c = crew();
      for (const commune of ['dues', 'plain']) {
        const [a, b, d] = [`${commune}_a`, `${commune}_b`, `${commune}_d`];
        await communeOf(t, c, commune, [a, b, d]);
        // b holds 40 in each commune (a and d stand at -20).
        for (const payer of [a, d])
          assert.equal(
            (
              await t.post(
                `/api/v1/communes/${commune}/transfers`,
                { id: randomUUID(), to: b, amount: 20 },
                c.tok(payer),
              )
            ).status,
            201,
          );
      }
      const duesId = (await t.get('/api/v1/communes/dues')).body.id as string;
      // 10 % a month in dues; plain keeps the default (none).
      assert.ok(
        (
          await createContexts(t.deps).ledger.updateCurrency(
            duesId,
            { demurrageBasisPoints: 1000 },
            null,
          )
        ).ok,
      );
    });
    afterEach(() => t.close());

    it('charges each commune with demurrage once in the month, even with two processes ticking', async () => {
      await tickBoth();
      await tickBoth();
      assert.deepEqual(
        (await demurrage('dues')).map((x) => [x.from, x.amount, x.memo]),
        [['dues_b', 4, 'Demurrage 2030-01: 10 %']],
      );
      assert.equal(await balance('dues', 'dues_b'), 36);
      assert.equal(await balance('dues', 'purse'), 4);
      assert.deepEqual(await demurrage('plain'), [], 'no demurrage where the currency has none');
      assert.equal(await balance('plain', 'plain_b'), 40);

      clock.advance(DEMURRAGE_SWEEP_MS + HOUR);
      await tickBoth();
      assert.equal(
        (await demurrage('dues')).length,
        1,
        'later sweeps in the same month charge nothing',
      );
    });

    it('charges again in the next month, and the books still balance', async () => {
      await tickBoth(); // January
      clock.advance(25 * 24 * HOUR); // into February
      await tickBoth();
      await tickBoth();
      assert.deepEqual(
        (await demurrage('dues')).map((x) => [x.amount, x.memo]),
        [
          [3, 'Demurrage 2030-02: 10 %'],
          [4, 'Demurrage 2030-01: 10 %'],
        ],
      );
      assert.equal(await balance('dues', 'dues_b'), 33);
      assert.equal((await ledgerOf('dues')).sum, 0);
      const jobs = await t.deps.db
        .selectFrom('jobs')
        .select(['status', 'last_error'])
        .where('kind', '=', 'charge_demurrage')
        .execute();
      assert.deepEqual(
        jobs.map((j) => [j.status, j.last_error]),
        [['queued', null]],
        'one recurring row, waiting for its next sweep',
      );
    });

    it('charges once when two sweeps overlap (a lease ran out while the first was still working)', async () => {
      await tickBoth(); // January
      clock.advance(25 * 24 * HOUR);
      await tickBoth(); // February
      clock.advance(31 * 24 * HOUR); // into March
      const charged = await Promise.all(
        [0, 1].map(() => chargeDueDemurrage(t.deps, createContexts(t.deps).ledger)),
      );
      assert.deepEqual(
        charged.sort(),
        [0, 1],
        'one sweep charged dues_b, the other found the month claimed',
      );
      assert.deepEqual(
        (await demurrage('dues')).map((x) => x.memo.slice(0, 17)),
        ['Demurrage 2030-03', 'Demurrage 2030-02', 'Demurrage 2030-01'],
      );
      assert.equal(await balance('dues', 'dues_b'), 30);
    });
  });
}
