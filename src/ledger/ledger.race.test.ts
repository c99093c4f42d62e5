import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { availableDatabases, type DatabaseKind } from '../db/testing.ts';
import {
  childServer,
  http,
  seedCommune,
  seededDatabase,
  uuid,
  type ChildServer,
  type Seeded,
} from './ledger.fixtures.ts';

// 50 concurrent HTTP clients against real server processes: one on SQLite, one on
// PostgreSQL, and two processes sharing one PostgreSQL.
const CLIENTS = 50;
const MEMBERS = ['ra', 'rb', 'rc', 'rd', 're', 'rf', 'rg', 'rh'];

const setups: { kind: DatabaseKind; processes: number }[] = [
  { kind: 'sqlite', processes: 1 },
  { kind: 'postgres', processes: 1 },
  { kind: 'postgres', processes: 2 },
];
const reachable = new Map((await availableDatabases()).map((d) => [d.kind, d.skip]));

for (const { kind, processes } of setups) {
  describe(
    `ledger races on ${kind} with ${processes} process${processes > 1 ? 'es' : ''}`,
    { skip: reachable.get(kind) ?? false },
    () => {
      let db: Seeded;
      let servers: ChildServer[];
      let tokens: Map<string, string>;
      const tok = (h: string) => tokens.get(h)!;
      // Clients spread over the processes, so that two writers really race on one database.
      const server = (i: number) => servers[i % servers.length]!.url;
      const ledger = async () =>
        (await http(server(0), 'GET', '/api/v1/communes/race/ledger', undefined, tok(MEMBERS[0]!)))
          .body;
      const balance = async (h: string) =>
        (await ledger()).accounts.find((a: { owner: string }) => a.owner === h).balance as number;
      async function assertBooks() {
        const audit = await http(
          server(0),
          'GET',
          '/api/v1/communes/race/ledger/audit',
          undefined,
          tok(MEMBERS[0]!),
        );
        assert.deepEqual([audit.status, audit.body.problems, audit.body.sum], [200, [], 0]);
      }

      before(async () => {
        db = await seededDatabase(kind);
        tokens = await seedCommune(db, 'race', MEMBERS, {
          ...Object.fromEntries(MEMBERS.slice(1).map((h) => [h, 1_000])),
          ra: 20,
        });
        servers = await Promise.all(Array.from({ length: processes }, () => childServer(db.url)));
      });
      after(async () => {
        await Promise.all(servers?.map((s) => s.stop()) ?? []);
        await db?.close();
      });

      it('lets exactly as many payments through as the credit limit allows', async () => {
        const start = await balance('ra');
        const limit = 20;
        const replies = await Promise.all(
          Array.from({ length: CLIENTS }, (_, i) =>
            http(
              server(i),
              'POST',
              '/api/v1/communes/race/transfers',
              { id: uuid(), to: MEMBERS[1 + (i % 7)], amount: 1 },
              tok('ra'),
            ),
          ),
        );
        const statuses = replies.map((r) => r.status);
        assert.equal(statuses.filter((s) => s === 201).length, start + limit);
        assert.equal(statuses.filter((s) => s === 422).length, CLIENTS - start - limit);
        assert.ok(
          replies
            .filter((r) => r.status === 422)
            .every((r) => r.body.error.code === 'credit_limit_exceeded'),
        );
        assert.equal(await balance('ra'), -limit);
        await assertBooks();
      });

      it('applies one id once when 50 clients send it together', async () => {
        const body = { id: uuid(), to: 'rc', amount: 7, memo: 'once' };
        const before = await balance('rb');
        const replies = await Promise.all(
          Array.from({ length: CLIENTS }, (_, i) =>
            http(server(i), 'POST', '/api/v1/communes/race/transfers', body, tok('rb')),
          ),
        );
        assert.deepEqual(replies.map((r) => r.status).sort(), [
          ...Array<number>(CLIENTS - 1).fill(200),
          201,
        ]);
        assert.ok(replies.every((r) => r.body.id === body.id && r.body.amount === 7));
        assert.equal(await balance('rb'), before - 7);
        await assertBooks();
      });

      it('crosses payments and batches in every direction without deadlock, lost update or overshoot', async () => {
        const payers = MEMBERS.slice(1);
        const statuses: number[] = [];
        let moved = 0;
        await Promise.all(
          Array.from({ length: CLIENTS }, async (_, i) => {
            for (let k = 0; k < 6; k += 1) {
              const from = payers[(i + k) % payers.length]!;
              const others = payers.filter((p) => p !== from);
              // Large amounts make some payments hit the 1,000 limit; batches lock many rows at once.
              const transfers =
                k % 3 === 2
                  ? others.slice(0, 4).map((to, j) => ({ id: uuid(), to, amount: 40 + j }))
                  : [
                      {
                        id: uuid(),
                        to: others[(i * 7 + k) % others.length],
                        amount: 50 + ((i + k) % 90),
                      },
                    ];
              const r =
                transfers.length > 1
                  ? await http(
                      server(i + k),
                      'POST',
                      '/api/v1/communes/race/transfers/batch',
                      { transfers },
                      tok(from),
                    )
                  : await http(
                      server(i + k),
                      'POST',
                      '/api/v1/communes/race/transfers',
                      transfers[0],
                      tok(from),
                    );
              statuses.push(r.status);
              if (r.status === 201) moved += transfers.length;
              else assert.equal(r.body.error.code, 'credit_limit_exceeded', JSON.stringify(r.body));
            }
          }),
        );
        assert.ok(
          statuses.every((s) => s === 201 || s === 422),
          `statuses: ${[...new Set(statuses)]}`,
        );
        assert.ok(
          moved > 0 && statuses.includes(422),
          'both outcomes happened: the limits were really contested',
        );
        const l = await ledger();
        for (const a of l.accounts)
          assert.ok(a.balance - a.held >= -a.creditLimit, `${a.owner} beyond its limit`);
        assert.equal(l.sum, 0);
        await assertBooks();
      });
    },
  );
}
