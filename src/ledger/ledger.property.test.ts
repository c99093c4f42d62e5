import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { manualClock } from '../communes/communes.fixtures.ts';
import { availableDatabases } from '../db/testing.ts';
import { commune, uuid } from './ledger.fixtures.ts';
import { DEFAULT_TIMEOUT_SECONDS, PURSE } from './ledger.ts';
import { ledgerService, type LedgerService } from './ledger.service.ts';
import type { TransferRequest } from './transfers.types.ts';

// Random sequences of payments, retries, clashes, batches, holds, posts, voids and timeouts
// against an independent model of the rules; after every step the books are audited.

const MEMBERS = ['pa', 'pb', 'pc', 'pd'];
const member = fc.integer({ min: 0, max: MEMBERS.length - 1 });
const payee = fc.integer({ min: -1, max: MEMBERS.length - 1 }); // -1: the purse
const amount = fc.integer({ min: 1, max: 8 });
const item = fc.record({
  to: payee,
  amount,
  pending: fc.boolean(),
  timeout: fc.integer({ min: 1, max: 4 }),
});
const op = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('pay' as const), from: member, item }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('retry' as const), k: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('clash' as const), k: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('batch' as const),
      from: member,
      items: fc.array(item, { minLength: 1, maxLength: 5 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('settle' as const),
      k: fc.nat(),
      post: fc.boolean(),
      byPayee: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('advance' as const),
      seconds: fc.integer({ min: 0, max: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('sweep' as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('purse' as const),
      to: member,
      amount,
      then: fc.constantFrom('post', 'void', 'keep'),
    }),
  },
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

type Hold = {
  from: string;
  to: string;
  amount: number;
  timeoutAt: number;
  status: 'pending' | 'posted' | 'voided' | 'expired';
};
type Sent = { payer: string; request: TransferRequest };

/** The rules, written again from the issue text, independently of src/ledger/posting.ts. */
class Model {
  balance = new Map<string, number>([
    [PURSE, 0],
    ...MEMBERS.map((m) => [m, 0] as [string, number]),
  ]);
  limit = new Map<string, number>([[PURSE, 0]]);
  holds = new Map<string, Hold>();
  applied = new Map<string, Sent>();
  readonly now: () => number;
  constructor(now: () => number) {
    this.now = now;
  }
  status(id: string): Hold['status'] {
    const h = this.holds.get(id)!;
    return h.status === 'pending' && h.timeoutAt <= this.now() ? 'expired' : h.status;
  }
  held(who: string): number {
    let n = 0;
    for (const [id, h] of this.holds)
      if (h.from === who && this.status(id) === 'pending') n += h.amount;
    return n;
  }
  /** Applies one request to copies; null when a rule refuses it. */
  tryApply(
    payer: string,
    r: TransferRequest,
    bal: Map<string, number>,
    held: Map<string, number>,
  ): string | null {
    const to = r.to;
    if (to === payer) return 'self_payment';
    const room = bal.get(payer)! - held.get(payer)! + this.limit.get(payer)!;
    if (room < r.amount)
      return payer === PURSE ? 'purse_insufficient_funds' : 'credit_limit_exceeded';
    if (r.pending) held.set(payer, held.get(payer)! + r.amount);
    else {
      bal.set(payer, bal.get(payer)! - r.amount);
      bal.set(to, bal.get(to)! + r.amount);
    }
    return null;
  }
  /** All or none; returns the refusal code and index, or null after applying. */
  apply(payer: string, requests: TransferRequest[]): { code: string; index: number } | null {
    const bal = new Map(this.balance);
    const held = new Map([...this.balance.keys()].map((k) => [k, this.held(k)]));
    for (let i = 0; i < requests.length; i += 1) {
      const code = this.tryApply(payer, requests[i]!, bal, held);
      if (code) return { code, index: i };
    }
    this.balance = bal;
    for (const r of requests) {
      this.applied.set(r.id, { payer, request: r });
      if (r.pending)
        this.holds.set(r.id, {
          from: payer,
          to: r.to,
          amount: r.amount,
          timeoutAt: this.now() + (r.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000,
          status: 'pending',
        });
    }
    return null;
  }
}

for (const { kind, skip } of await availableDatabases()) {
  describe(`ledger properties on ${kind}`, { skip }, () => {
    let t: TestApp;
    let ledger: LedgerService;
    const clock = manualClock();
    const people = new Map<string, string>();
    const ids = new Map<string, string>();
    let n = 0;

    before(async () => {
      t = await startTestApp(kind, { clock });
      ledger = ledgerService(t.deps);
      for (const h of MEMBERS) {
        people.set(h, await t.person(h));
        ids.set(h, (await t.get('/api/v1/me', people.get(h))).body.id);
      }
    });
    after(() => t.close());

    async function run(ops: Op[], limits: number[]) {
      const handle = `prop_${kind.slice(0, 2)}_${(n += 1)}`;
      const { communeId } = await commune(t, handle, MEMBERS, {}, people);
      const model = new Model(() => clock.now().getTime());
      for (let i = 0; i < MEMBERS.length; i += 1) {
        model.limit.set(MEMBERS[i]!, limits[i]!);
        assert.ok(
          (
            await ledger.setCreditLimit(undefined, {
              communeId,
              owner: MEMBERS[i]!,
              limit: limits[i]!,
              by: null,
            })
          ).ok,
        );
      }
      const sent: Sent[] = [];
      const request = (it: {
        to: number;
        amount: number;
        pending: boolean;
        timeout: number;
      }): TransferRequest => ({
        id: uuid(),
        to: it.to < 0 ? PURSE : MEMBERS[it.to]!,
        amount: it.amount,
        memo: '',
        pending: it.pending,
        timeoutSeconds: it.pending ? it.timeout : undefined,
      });
      const payAs = (payer: string, rs: TransferRequest[], batch: boolean) =>
        ledger.pay(communeId, ids.get(payer)!, rs, batch);

      async function send(payer: string, rs: TransferRequest[], batch: boolean) {
        const isRetry = rs.length === 1 && model.applied.has(rs[0]!.id);
        const r = await payAs(payer, rs, batch);
        if (isRetry) {
          assert.ok(r.ok && r.value.replayed, `a retry replays: ${JSON.stringify(r)}`);
          return;
        }
        const refused = model.apply(payer, rs);
        if (refused) {
          assert.ok(!r.ok, `the model refused (${refused.code}) but the ledger accepted`);
          assert.equal(r.error.code, refused.code);
          if (batch)
            assert.ok(r.error.field?.startsWith(`transfers.${refused.index}`), r.error.field);
        } else {
          assert.ok(
            r.ok && !r.value.replayed,
            `the model accepted but the ledger said ${JSON.stringify(r)}`,
          );
          for (const q of rs) sent.push({ payer, request: q });
        }
      }

      const holdIds = () => [...model.holds.keys()];
      for (const o of ops) {
        if (o.kind === 'pay') await send(MEMBERS[o.from]!, [request(o.item)], false);
        else if (o.kind === 'batch') await send(MEMBERS[o.from]!, o.items.map(request), true);
        else if (o.kind === 'retry' && sent.length) {
          const s = sent[o.k % sent.length]!;
          await send(s.payer, [s.request], false);
        } else if (o.kind === 'clash' && sent.length) {
          const s = sent[o.k % sent.length]!;
          const r = await payAs(s.payer, [{ ...s.request, amount: s.request.amount + 1 }], false);
          assert.equal(!r.ok && r.error.code, 'idempotency_conflict');
        } else if (o.kind === 'settle' && model.holds.size) {
          const id = holdIds()[o.k % model.holds.size]!;
          const h = model.holds.get(id)!;
          const status = model.status(id);
          const actor =
            h.from === PURSE
              ? { kind: 'system' as const }
              : { kind: 'member' as const, handle: o.byPayee ? h.to : h.from };
          const r = await ledger.settle(communeId, id, o.post ? 'post' : 'void', actor);
          const target = o.post ? 'posted' : 'voided';
          if (actor.kind === 'member' && o.post && o.byPayee && h.to !== h.from)
            assert.equal(!r.ok && r.error.code, 'not_your_transfer');
          else if (status === target) assert.ok(r.ok && r.value.status === target);
          else if (status !== 'pending')
            assert.equal(!r.ok && r.error.code, 'transfer_not_pending');
          else {
            assert.ok(r.ok && r.value.status === target, JSON.stringify(r));
            h.status = target;
            if (o.post) {
              model.balance.set(h.from, model.balance.get(h.from)! - h.amount);
              model.balance.set(h.to, model.balance.get(h.to)! + h.amount);
            }
          }
        } else if (o.kind === 'advance') clock.advance(o.seconds * 1000);
        else if (o.kind === 'sweep') {
          await ledger.expireDue();
          const l = await ledger.ledger(communeId);
          assert.ok(l.ok);
          for (const a of l.value.accounts)
            assert.equal(a.held, model.held(a.owner), `${a.owner} holds`);
          const listed = await ledger.transfers(communeId, { limit: 200 });
          assert.ok(listed.ok);
          for (const x of listed.value.items)
            if (model.holds.has(x.id))
              assert.equal(x.status, model.status(x.id), `status of ${x.id}`);
        } else if (o.kind === 'purse') {
          const r = await ledger.reserveFromPurse(undefined, {
            communeId,
            to: MEMBERS[o.to]!,
            amount: o.amount,
            memo: 'spend',
          });
          const request: TransferRequest = {
            id: r.ok ? r.value.id : uuid(),
            to: MEMBERS[o.to]!,
            amount: o.amount,
            memo: 'spend',
            pending: true,
          };
          const refused = model.apply(PURSE, [request]);
          assert.equal(r.ok, refused === null, JSON.stringify(r));
          if (r.ok && o.then !== 'keep') {
            const done =
              o.then === 'post'
                ? await ledger.postPending(undefined, communeId, r.value.id)
                : await ledger.voidPending(undefined, communeId, r.value.id);
            assert.ok(done.ok, JSON.stringify(done));
            const h = model.holds.get(r.value.id)!;
            h.status = o.then === 'post' ? 'posted' : 'voided';
            if (o.then === 'post') {
              model.balance.set(PURSE, model.balance.get(PURSE)! - h.amount);
              model.balance.set(h.to, model.balance.get(h.to)! + h.amount);
            }
          }
        }
        // After every step: the books balance, every balance equals its postings, limits hold,
        // and each accepted id is stored exactly once.
        const audit = await ledger.audit(communeId);
        assert.ok(audit.ok);
        assert.deepEqual(audit.value.problems, []);
        assert.equal(audit.value.sum, 0);
        const rows = await t.deps.db
          .selectFrom('ledger_transfers')
          .select('id')
          .where('commune_id', '=', communeId)
          .execute();
        assert.deepEqual(rows.map((x) => x.id).sort(), [...model.applied.keys()].sort());
        const l = await t.deps.db
          .selectFrom('ledger_accounts')
          .select(['owner_handle', 'balance'])
          .where('commune_id', '=', communeId)
          .execute();
        for (const a of l)
          assert.equal(
            Number(a.balance),
            model.balance.get(a.owner_handle),
            `balance of ${a.owner_handle}`,
          );
      }
    }

    it('keeps the books right under random sequences of operations', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(op, { minLength: 1, maxLength: 25 }),
          fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 4, maxLength: 4 }),
          run,
        ),
        { numRuns: kind === 'sqlite' ? 60 : 40 },
      );
    });
  });
}
