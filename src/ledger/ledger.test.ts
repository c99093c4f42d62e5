import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { availableDatabases } from '../db/testing.ts';
import { assertBooks, balances, commune, pay, uuid } from './ledger.fixtures.ts';
import { ledgerService } from './ledger.service.ts';
import { MAX_BATCH } from './ledger.ts';

// The HTTP contract of the ledger (API.md "Ledger"), on both databases.
for (const { kind, skip } of await availableDatabases()) {
  describe(`ledger API on ${kind}`, { skip }, () => {
    let t: TestApp;
    let communeId: string;
    const people = new Map<string, string>();
    const tok = (h: string) => people.get(h)!;

    before(async () => {
      t = await startTestApp(kind);
      communeId = (await commune(t, 'garden', ['ada', 'bo', 'cy', 'dee'], {}, people)).communeId;
      people.set('out', await t.person('out'));
    });
    after(() => t.close());

    it('opens a currency, a purse and one account per member, summing to zero', async () => {
      const r = await t.get('/api/v1/communes/garden/ledger', tok('ada'));
      assert.equal(r.status, 200);
      const { currency, accounts, sum } = r.body;
      assert.deepEqual(Object.keys(currency).sort(), [
        'code',
        'decimals',
        'defaultCreditLimit',
        'demurrageBasisPoints',
        'maxBalance',
        'name',
        'unit',
      ]);
      assert.ok(currency.defaultCreditLimit > 0, 'a new commune starts with credit');
      assert.equal(currency.demurrageBasisPoints, 0, 'demurrage is off by default');
      assert.deepEqual(
        accounts.map((a: { owner: string }) => a.owner),
        ['purse', 'ada', 'bo', 'cy', 'dee'],
      );
      for (const a of accounts)
        assert.deepEqual(Object.keys(a).sort(), [
          'balance',
          'creditLimit',
          'frozen',
          'held',
          'kind',
          'owner',
        ]);
      assert.equal(accounts[0].creditLimit, 0, "the purse's floor is zero");
      assert.equal(sum, 0);
    });

    it('pays, answers 200 with the original to a retry and 409 to another body under the same id', async () => {
      const id = uuid();
      const first = await t.post(
        '/api/v1/communes/garden/transfers',
        { id, to: 'bo', amount: 3, memo: 'bread' },
        tok('ada'),
      );
      assert.equal(first.status, 201, JSON.stringify(first.body));
      assert.deepEqual(
        { ...first.body, createdAt: undefined, resolvedAt: undefined },
        {
          id,
          from: 'ada',
          to: 'bo',
          amount: 3,
          memo: 'bread',
          createdAt: undefined,
          status: 'posted',
          code: 'payment',
          timeoutAt: null,
          resolvedAt: undefined,
          reverses: null,
        },
      );
      const before = await balances(t, 'garden');
      const again = await t.post(
        '/api/v1/communes/garden/transfers',
        { id: id.toUpperCase(), to: 'bo', amount: 3, memo: 'bread' },
        tok('ada'),
      );
      assert.equal(again.status, 200);
      assert.deepEqual(again.body, first.body);
      for (const other of [
        { amount: 4, memo: 'bread', to: 'bo' },
        { amount: 3, memo: 'cake', to: 'bo' },
        { amount: 3, memo: 'bread', to: 'cy' },
      ]) {
        const clash = await t.post(
          '/api/v1/communes/garden/transfers',
          { id, ...other },
          tok('ada'),
        );
        assert.deepEqual([clash.status, clash.body.error.code], [409, 'idempotency_conflict']);
      }
      // The same id and body from someone else is not a retry of ada's transfer.
      const stolen = await t.post(
        '/api/v1/communes/garden/transfers',
        { id, to: 'bo', amount: 3, memo: 'bread' },
        tok('cy'),
      );
      assert.deepEqual([stolen.status, stolen.body.error.code], [409, 'idempotency_conflict']);
      assert.deepEqual(await balances(t, 'garden'), before);
      await assertBooks(t, 'garden');
    });

    it('keeps credit limits hard and accepts payments up to the very limit', async () => {
      const { currency } = (await t.get('/api/v1/communes/garden/ledger', tok('ada'))).body;
      const room = (await balances(t, 'garden')).cy! + currency.defaultCreditLimit;
      const over = await pay(t, tok('cy'), 'garden', 'dee', room + 1);
      assert.deepEqual([over.status, over.body.error.code], [422, 'credit_limit_exceeded']);
      assert.equal((await pay(t, tok('cy'), 'garden', 'dee', room)).status, 201);
      const after = await balances(t, 'garden');
      assert.equal(after.cy, -currency.defaultCreditLimit);
      const one = await pay(t, tok('cy'), 'garden', 'purse', 1);
      assert.deepEqual([one.status, one.body.error.code], [422, 'credit_limit_exceeded']);
      // Paying back restores room.
      assert.equal((await pay(t, tok('dee'), 'garden', 'cy', room)).status, 201);
      await assertBooks(t, 'garden');
    });

    it('judges concurrent payments one by one, even when they share a commit', async () => {
      await commune(t, 'rush', ['ro', 'rp', 'rq'], {}, people);
      const limit = (await t.get('/api/v1/communes/rush/ledger', tok('ro'))).body.currency
        .defaultCreditLimit as number;
      const first = { id: uuid(), to: 'rp', amount: 3 };
      assert.equal((await t.post('/api/v1/communes/rush/transfers', first, tok('ro'))).status, 201);
      const fresh = Array.from({ length: 12 }, (_, i) => ({
        id: uuid(),
        to: i % 2 ? 'rp' : 'rq',
        amount: 3,
      }));
      const bodies = [
        ...fresh,
        first,
        { ...first, amount: 4 },
        { id: uuid(), to: 'ro', amount: 1 },
      ];
      const replies = await Promise.all(
        bodies.map((b) => t.post('/api/v1/communes/rush/transfers', b, tok('ro'))),
      );
      const codes = replies.map((r) => (r.status >= 400 ? r.body.error.code : r.status));
      const room = Math.floor((limit - 3) / 3);
      assert.deepEqual(codes.slice(0, 12).filter((c) => c === 201).length, room, `codes: ${codes}`);
      assert.deepEqual(
        codes.slice(0, 12).filter((c) => c === 'credit_limit_exceeded').length,
        12 - room,
      );
      assert.deepEqual(codes.slice(12), [200, 'idempotency_conflict', 'self_payment']);
      assert.equal((await balances(t, 'rush')).ro, -3 * (room + 1));
      await assertBooks(t, 'rush');
    });

    it('refuses bad input with a clear code and loses or creates no unit', async () => {
      await pay(t, tok('dee'), 'garden', 'purse', 2); // the purse holds something
      const before = (await t.get('/api/v1/communes/garden/ledger', tok('ada'))).body;
      const count = (await t.get('/api/v1/communes/garden/transfers?limit=200', tok('ada'))).body
        .items.length;
      const body = (extra: Record<string, unknown>) => ({
        id: uuid(),
        to: 'bo',
        amount: 1,
        ...extra,
      });
      const cases: [string, unknown, string | undefined, number, string][] = [
        ['zero', body({ amount: 0 }), 'ada', 400, 'invalid_amount'],
        ['negative', body({ amount: -5 }), 'ada', 400, 'invalid_amount'],
        ['fractional', body({ amount: 1.5 }), 'ada', 400, 'invalid_amount'],
        ['a string', body({ amount: '5' }), 'ada', 400, 'invalid_amount'],
        ['beyond safe', body({ amount: 2 ** 53 }), 'ada', 400, 'invalid_amount'],
        ['huge', body({ amount: 1e300 }), 'ada', 400, 'invalid_amount'],
        ['missing amount', { id: uuid(), to: 'bo' }, 'ada', 400, 'invalid_amount'],
        ['yourself', body({ to: 'ada' }), 'ada', 422, 'self_payment'],
        ['a non-member', body({ to: 'out' }), 'ada', 422, 'payee_not_member'],
        ['nobody', body({ to: 'nobody_here' }), 'ada', 422, 'payee_not_member'],
        ['a bad handle', body({ to: 'Not A Handle' }), 'ada', 400, 'invalid_payee'],
        // The one access rule: the same 403 a non-member gets posting a proposal.
        ['a non-member paying', body({}), 'out', 403, 'members_only'],
        ['a malformed id', body({ id: 'not-a-uuid' }), 'ada', 400, 'invalid_id'],
        ['a numeric id', body({ id: 42 }), 'ada', 400, 'invalid_id'],
        ['from the purse', body({ from: 'purse' }), 'ada', 422, 'purse_requires_decision'],
        [
          "from someone else's account",
          body({ from: 'bo', to: 'cy' }),
          'ada',
          422,
          'not_your_account',
        ],
        ['an unallied commune', body({ toCommune: 'elsewhere' }), 'ada', 422, 'no_alliance'],
        ['a timeout without pending', body({ timeoutSeconds: 60 }), 'ada', 400, 'invalid_timeout'],
        ['pending as a string', body({ pending: 'yes' }), 'ada', 400, 'invalid_input'],
        ['a long memo', body({ memo: 'x'.repeat(501) }), 'ada', 400, 'invalid_memo'],
        ['malformed JSON', '{"id": ', 'ada', 400, 'malformed_json'],
        ['an array', [body({})], 'ada', 400, 'invalid_input'],
      ];
      for (const [name, payload, who, status, code] of cases) {
        const r = await t.post('/api/v1/communes/garden/transfers', payload, who && tok(who));
        assert.deepEqual(
          [r.status, r.body?.error?.code],
          [status, code],
          `${name}: ${JSON.stringify(r.body)}`,
        );
        assert.equal(typeof r.body.error.message, 'string');
      }
      const unsigned = await t.post('/api/v1/communes/garden/transfers', body({}));
      assert.equal(unsigned.status, 401);
      assert.deepEqual((await t.get('/api/v1/communes/garden/ledger', tok('ada'))).body, before);
      assert.equal(
        (await t.get('/api/v1/communes/garden/transfers?limit=200', tok('ada'))).body.items.length,
        count,
      );
      await assertBooks(t, 'garden');
    });

    it('applies a batch all or none and names the failing index', async () => {
      const before = await balances(t, 'garden');
      const ok3 = [
        { id: uuid(), to: 'bo', amount: 1 },
        { id: uuid(), to: 'purse', amount: 1 },
        { id: uuid(), to: 'cy', amount: 1, memo: 'x' },
      ];
      const made = await t.post(
        '/api/v1/communes/garden/transfers/batch',
        { transfers: ok3 },
        tok('dee'),
      );
      assert.equal(made.status, 201, JSON.stringify(made.body));
      assert.deepEqual(
        made.body.transfers.map((x: { id: string; status: string }) => [x.id, x.status]),
        ok3.map((x) => [x.id, 'posted']),
      );
      const replay = await t.post(
        '/api/v1/communes/garden/transfers/batch',
        { transfers: ok3 },
        tok('dee'),
      );
      assert.equal(replay.status, 200);
      assert.deepEqual(replay.body, made.body);
      const moved = await balances(t, 'garden');
      assert.deepEqual(
        [moved.dee! - before.dee!, moved.bo! - before.bo!, moved.purse! - before.purse!],
        [-3, 1, 1],
      );

      const room =
        moved.dee! +
        (await t.get('/api/v1/communes/garden/ledger', tok('ada'))).body.currency
          .defaultCreditLimit;
      const failing = [
        { id: uuid(), to: 'bo', amount: 1 },
        { id: uuid(), to: 'cy', amount: 1 },
        { id: uuid(), to: 'bo', amount: room },
      ];
      const refused = await t.post(
        '/api/v1/communes/garden/transfers/batch',
        { transfers: failing },
        tok('dee'),
      );
      assert.deepEqual(
        [refused.status, refused.body.error.code, refused.body.error.field],
        [422, 'credit_limit_exceeded', 'transfers.2'],
      );
      assert.match(refused.body.error.message, /transfer 2/);
      for (const x of failing)
        assert.equal(
          (await t.get(`/api/v1/communes/garden/transfers/${x.id}`, tok('ada'))).status,
          404,
        );
      assert.deepEqual(await balances(t, 'garden'), moved);

      const bad = await t.post(
        '/api/v1/communes/garden/transfers/batch',
        {
          transfers: [
            { id: uuid(), to: 'bo', amount: 1 },
            { id: uuid(), to: 'bo', amount: 0 },
          ],
        },
        tok('dee'),
      );
      assert.deepEqual(
        [bad.status, bad.body.error.code, bad.body.error.field],
        [400, 'invalid_amount', 'transfers.1.amount'],
      );
      const dup = uuid();
      const twice = await t.post(
        '/api/v1/communes/garden/transfers/batch',
        {
          transfers: [
            { id: dup, to: 'bo', amount: 1 },
            { id: dup, to: 'bo', amount: 1 },
          ],
        },
        tok('dee'),
      );
      assert.deepEqual(
        [twice.status, twice.body.error.code, twice.body.error.field],
        [400, 'duplicate_id', 'transfers.1.id'],
      );
      const mixed = await t.post(
        '/api/v1/communes/garden/transfers/batch',
        { transfers: [{ id: uuid(), to: 'bo', amount: 1 }, ok3[0]] },
        tok('dee'),
      );
      assert.deepEqual(
        [mixed.status, mixed.body.error.code, mixed.body.error.field],
        [409, 'idempotency_conflict', 'transfers.1.id'],
      );
      const self = await t.post(
        '/api/v1/communes/garden/transfers/batch',
        {
          transfers: [
            { id: uuid(), to: 'bo', amount: 1 },
            { id: uuid(), to: 'dee', amount: 1 },
          ],
        },
        tok('dee'),
      );
      assert.deepEqual(
        [self.status, self.body.error.code, self.body.error.field],
        [422, 'self_payment', 'transfers.1.to'],
      );
      const tooMany = Array.from({ length: MAX_BATCH + 1 }, () => ({
        id: uuid(),
        to: 'bo',
        amount: 1,
      }));
      const big = await t.post(
        '/api/v1/communes/garden/transfers/batch',
        { transfers: tooMany },
        tok('dee'),
      );
      assert.deepEqual([big.status, big.body.error.code], [400, 'batch_too_large']);
      const empty = await t.post(
        '/api/v1/communes/garden/transfers/batch',
        { transfers: [] },
        tok('dee'),
      );
      assert.deepEqual([empty.status, empty.body.error.code], [400, 'batch_empty']);
      // Only the batch route declares more room than 1 MB; a single transfer keeps the default.
      const bloated = await t.post(
        '/api/v1/communes/garden/transfers',
        { id: uuid(), to: 'bo', amount: 1, memo: 'x'.repeat(2 * 1024 * 1024) },
        tok('dee'),
      );
      assert.deepEqual([bloated.status, bloated.body.error.code], [413, 'body_too_large']);
      assert.deepEqual(await balances(t, 'garden'), moved);
      await assertBooks(t, 'garden');
    });

    it('takes a full batch of 8,190 transfers in one request', async () => {
      // Room for the whole batch; limits change by decision, here straight through the ledger.
      const limit = await ledgerService(t.deps).setCreditLimit(undefined, {
        communeId,
        owner: 'ada',
        limit: 100_000,
        by: null,
      });
      assert.ok(limit.ok, JSON.stringify(limit));
      const before = await balances(t, 'garden');
      const to = ['bo', 'cy', 'dee', 'purse'];
      const transfers = Array.from({ length: MAX_BATCH }, (_, i) => ({
        id: uuid(),
        to: to[i % 4],
        amount: 1 + (i % 3),
      }));
      const r = await t.post('/api/v1/communes/garden/transfers/batch', { transfers }, tok('ada'));
      assert.equal(r.status, 201, JSON.stringify(r.body).slice(0, 300));
      assert.equal(r.body.transfers.length, MAX_BATCH);
      const total = transfers.reduce((n, x) => n + x.amount, 0);
      assert.equal((await balances(t, 'garden')).ada, before.ada! - total);
      const statement = await t.get(
        '/api/v1/communes/garden/accounts/ada/statement?limit=1',
        tok('ada'),
      );
      assert.equal(
        statement.body.items[0].transferId,
        transfers.at(-1)!.id,
        'the last of the batch is the newest posting',
      );
      await assertBooks(t, 'garden');
    });

    it('lists transfers newest first, per account, in pages', async () => {
      const seen: string[] = [];
      let next: string | null = null;
      do {
        const r = await t.get(
          `/api/v1/communes/garden/transfers?account=bo&limit=7${next ? `&before=${next}` : ''}`,
          tok('ada'),
        );
        assert.equal(r.status, 200);
        for (const x of r.body.items) {
          assert.ok(x.from === 'bo' || x.to === 'bo');
          seen.push(`${x.createdAt}|${x.id}`);
        }
        next = r.body.next;
      } while (next && seen.length < 40);
      assert.deepEqual(seen, [...seen].sort().reverse());
      assert.equal(new Set(seen).size, seen.length);
      assert.equal(
        (await t.get('/api/v1/communes/garden/transfers?account=nobody_here', tok('ada'))).status,
        404,
      );
      assert.equal(
        (await t.get('/api/v1/communes/garden/transfers?before=garbage', tok('ada'))).body.error
          .code,
        'invalid_cursor',
      );
      assert.equal(
        (await t.get('/api/v1/communes/garden/transfers?limit=0', tok('ada'))).status,
        400,
      );
    });

    it('gives a statement with running balances, and the same as CSV', async () => {
      await pay(t, tok('bo'), 'garden', 'cy', 2, { memo: '=SUM(A1), "quoted"' });
      const pages: { seq: number; amount: number; balance: number }[] = [];
      let next: string | null = null;
      do {
        const r = await t.get(
          `/api/v1/communes/garden/accounts/bo/statement?limit=200${next ? `&before=${next}` : ''}`,
          tok('ada'),
        );
        assert.equal(r.status, 200);
        pages.push(...r.body.items);
        next = r.body.next;
      } while (next);
      const lines = pages.reverse();
      assert.deepEqual(
        lines.map((l) => l.seq),
        lines.map((_, i) => i + 1),
      );
      let running = 0;
      for (const l of lines) {
        running += l.amount;
        assert.equal(l.balance, running);
      }
      assert.equal(running, (await balances(t, 'garden')).bo);
      const csv = await t.get('/api/v1/communes/garden/accounts/bo/statement.csv', tok('ada'));
      assert.equal(csv.status, 200);
      assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
      const rows = (csv.body as string).trimEnd().split('\r\n');
      assert.equal(rows[0], 'seq,at,transfer_id,counterparty,amount,balance,code,memo');
      assert.equal(rows.length, lines.length + 1);
      assert.ok(rows.at(-1)!.endsWith(`"'=SUM(A1), ""quoted"""`), rows.at(-1));
      assert.equal(
        (await t.get('/api/v1/communes/garden/accounts/nobody_here/statement', tok('ada'))).status,
        404,
      );
    });

    it('serves the ledger routes in the OpenAPI document', async () => {
      const doc = (await t.get('/api/openapi.json')).body;
      for (const p of [
        '/api/v1/communes/{c}/ledger',
        '/api/v1/communes/{c}/transfers',
        '/api/v1/communes/{c}/transfers/batch',
        '/api/v1/communes/{c}/accounts/{owner}/statement',
      ]) {
        assert.ok(doc.paths[p], p);
      }
    });
  });
}
