import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../../test/support/wait.ts';
import { availableDatabases } from '../db/testing.ts';
import {
  childServer,
  http,
  seedCommune,
  seededDatabase,
  uuid,
  type Seeded,
} from './ledger.fixtures.ts';

// A server under payment load is killed with SIGKILL; after a restart every transfer that
// was answered 201 is there, and the books still balance.
const MEMBERS = ['ka', 'kb', 'kc', 'kd', 'ke'];
const WORKERS = 20;

for (const { kind, skip } of await availableDatabases()) {
  describe(`ledger after kill -9 on ${kind}`, { skip }, () => {
    let db: Seeded;
    let tokens: Map<string, string>;

    before(async () => {
      db = await seededDatabase(kind);
      // kd has a small limit so that some payments are refused under load as well.
      tokens = await seedCommune(db, 'crash', MEMBERS, {
        ka: 100_000,
        kb: 100_000,
        kc: 100_000,
        kd: 30,
        ke: 100_000,
      });
    });
    after(() => db?.close());

    it('keeps every 201 and balances the books', async (t) => {
      const first = await childServer(db.url);
      const answered = new Map<string, { amount: number; status: number }>();
      const unknown: { body: Record<string, unknown>; token: string }[] = [];
      let refused = 0;
      let killed = false;
      const worker = async (w: number) => {
        for (let k = 0; !killed; k += 1) {
          const from = MEMBERS[(w + k) % MEMBERS.length]!;
          const to = MEMBERS[(w + 2 * k + 1) % MEMBERS.length]!;
          if (from === to) continue;
          const batch = k % 5 === 4;
          // Now and then kd asks for more than everyone's limits together: always refused.
          const overdraw = from === 'kd' && !batch && k % 3 === 0;
          const transfers = Array.from({ length: batch ? 10 : 1 }, (_, j) => ({
            id: uuid(),
            to: MEMBERS[(MEMBERS.indexOf(from) + 1 + (j % 4)) % MEMBERS.length],
            amount: overdraw ? 1_000_000 : 1 + ((w + k + j) % 9),
          }));
          const body = batch ? { transfers } : transfers[0]!;
          let r: Awaited<ReturnType<typeof http>>;
          try {
            r = await http(
              first.url,
              'POST',
              `/api/v1/communes/crash/transfers${batch ? '/batch' : ''}`,
              body,
              tokens.get(from),
            );
          } catch {
            // The connection died with the server: this request's outcome is unknown.
            unknown.push({ body, token: tokens.get(from)! });
            continue;
          }
          // Checked outside the try above, so that an unexpected answer fails the test.
          assert.ok(!overdraw || r.status === 422, `overdraft answered ${r.status}`);
          if (r.status === 201)
            for (const x of transfers) answered.set(x.id, { amount: x.amount, status: r.status });
          else {
            assert.ok(r.status === 422, `unexpected ${r.status} ${JSON.stringify(r.body)}`);
            refused += 1;
          }
        }
      };
      const load = Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
      // The kill comes once the server has really been under load: many 201s and a refusal.
      // A worker that fails ends the wait at once (the race), and the child dies either way.
      try {
        await Promise.race([
          load,
          waitFor(() => answered.size > 50 && refused > 0, {
            timeoutMs: 60_000,
            message: 'more than 50 transfers answered 201 and one refused',
          }),
        ]);
      } finally {
        first.child.kill('SIGKILL');
        await first.exited;
        killed = true;
      }
      await load;

      t.diagnostic(
        `${answered.size} transfers answered 201 before the kill; ${unknown.length} requests cut off`,
      );
      const second = await childServer(db.url);
      try {
        const ids = [...answered.keys()];
        for (let i = 0; i < ids.length; i += 25) {
          await Promise.all(
            ids.slice(i, i + 25).map(async (id) => {
              const r = await http(
                second.url,
                'GET',
                `/api/v1/communes/crash/transfers/${id}`,
                undefined,
                tokens.get(MEMBERS[0]!),
              );
              assert.deepEqual(
                [r.status, r.body.amount, r.body.status],
                [200, answered.get(id)!.amount, 'posted'],
                `transfer ${id} answered 201 is missing`,
              );
            }),
          );
        }
        const audit = await http(
          second.url,
          'GET',
          '/api/v1/communes/crash/ledger/audit',
          undefined,
          tokens.get(MEMBERS[0]!),
        );
        assert.deepEqual([audit.status, audit.body.problems, audit.body.sum], [200, [], 0]);
        // Requests cut off by the kill are safe to retry: applied once, or applied now, never twice.
        for (const u of unknown) {
          const batch = 'transfers' in u.body;
          const r = await http(
            second.url,
            'POST',
            `/api/v1/communes/crash/transfers${batch ? '/batch' : ''}`,
            u.body,
            u.token,
          );
          assert.ok(
            [200, 201, 422].includes(r.status),
            `retry after the crash: ${r.status} ${JSON.stringify(r.body)}`,
          );
        }
        const again = await http(
          second.url,
          'GET',
          '/api/v1/communes/crash/ledger/audit',
          undefined,
          tokens.get(MEMBERS[0]!),
        );
        assert.deepEqual([again.body.problems, again.body.sum], [[], 0]);
      } finally {
        await second.stop();
      }
    });
  });
}
