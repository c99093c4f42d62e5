import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { availableDatabases } from '../db/testing.ts';
import { allyByDecision } from '../network/alliances.fixtures.ts';
import { convert } from './clearing.ts';
import { commune, uuid } from './ledger.fixtures.ts';

// Random sequences of payments across an alliance, retries, clashes under a used id (also
// from the other side), and strays, against a model written from the issue text. After every
// step: both ledgers sum to zero, every balance is the model's, the trade balance is within
// the limit in both ledgers, and each applied id is stored exactly once in each.

const SUN = ['s1', 's2', 's3'];
const MOON = ['m1', 'm2', 'm3'];
const RATE = 2.5; // units of moon's currency for one of sun's
const LIMIT = 30; // in sun's currency; 75 in moon's

const who = fc.integer({ min: 0, max: 2 });
const op = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('pay' as const),
      out: fc.boolean(),
      from: who,
      to: who,
      amount: fc.integer({ min: 1, max: 30 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('retry' as const), k: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('clash' as const),
      k: fc.nat(),
      more: fc.integer({ min: 1, max: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('mirror' as const), k: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('stray' as const), from: who, to: who }),
  },
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

/** A payment as sent: from the sun to the moon (out) or back, between handles. */
type Sent = { id: string; out: boolean; from: string; to: string; amount: number };

for (const { kind, skip } of await availableDatabases()) {
  describe(`clearing invariants under random operations on ${kind}`, { skip }, () => {
    let t: TestApp;
    const tokens = new Map<string, string>();
    const ids = { sun: '', moon: '' };

    before(async () => {
      t = await startTestApp(kind);
      ids.sun = (await commune(t, 'sun', SUN, {}, tokens)).communeId;
      ids.moon = (await commune(t, 'moon', MOON, {}, tokens)).communeId;
      const voters = (c: string, people: string[]) => ({
        commune: c,
        tokens: people.map((p) => tokens.get(p)!),
      });
      await allyByDecision(t, voters('sun', SUN), voters('moon', MOON), {
        tradeLimit: LIMIT,
        rate: RATE,
      });
    });
    after(() => t.close());

    type Account = { balance: number; floor: number; ceiling: number | null };
    /** Every account of both communes, keyed "commune:owner". */
    async function accounts(): Promise<Map<string, Account>> {
      const rows = await t.deps.db
        .selectFrom('ledger_accounts')
        .select(['commune_id', 'owner_handle', 'balance', 'credit_limit', 'held', 'max_balance'])
        .where('commune_id', 'in', [ids.sun, ids.moon])
        .execute();
      return new Map(
        rows.map((r) => [
          `${r.commune_id === ids.sun ? 'sun' : 'moon'}:${r.owner_handle}`,
          {
            balance: Number(r.balance),
            floor: Number(r.held) - Number(r.credit_limit),
            ceiling: r.max_balance === null ? null : Number(r.max_balance),
          },
        ]),
      );
    }
    async function storedIds(communeId: string): Promise<string[]> {
      const rows = await t.deps.db
        .selectFrom('ledger_transfers')
        .select('id')
        .where('commune_id', '=', communeId)
        .where('code', '=', 'clearing')
        .execute();
      return rows.map((r) => r.id).sort();
    }

    async function run(ops: Op[]) {
      const model = await accounts();
      const applied = new Map<string, Sent>();
      for (const id of await storedIds(ids.sun)) applied.set(id, {} as Sent);
      const sent: Sent[] = [];
      const bal = (k: string) => model.get(k)!;

      /** What the rules say of a new payment: null to apply, else the codes it may be refused with. */
      function judge(s: Sent): string[] | null {
        const [payerC, payeeC] = s.out ? ['sun', 'moon'] : ['moon', 'sun'];
        const converted = convert(s.amount, { rate: RATE, inverse: !s.out });
        if (converted === 0) return ['amount_too_small'];
        const why: string[] = [];
        const payer = model.get(`${payerC}:${s.from}`)!;
        const payee = model.get(`${payeeC}:${s.to}`);
        const outC = bal(`${payerC}:${payeeC}`);
        const inC = bal(`${payeeC}:${payerC}`);
        if (payer.balance - s.amount < payer.floor) why.push('credit_limit_exceeded');
        if (!payee) why.push('payee_not_member');
        else if (payee.ceiling !== null && payee.balance + converted > payee.ceiling)
          why.push('max_balance_exceeded');
        if (outC.balance + s.amount > outC.ceiling! || inC.balance - converted < inC.floor)
          why.push('trade_limit_exceeded');
        if (why.length > 0) return why;
        payer.balance -= s.amount;
        outC.balance += s.amount;
        inC.balance -= converted;
        payee!.balance += converted;
        return null;
      }

      for (const o of ops) {
        let s: Sent;
        if (o.kind === 'pay' || o.kind === 'stray') {
          const out = o.kind === 'pay' ? o.out : o.from % 2 === 0;
          const [mine, theirs] = out ? [SUN, MOON] : [MOON, SUN];
          // A stray names a member of the payer's own commune as the payee across.
          const to = o.kind === 'stray' ? mine[o.to]! : theirs[o.to]!;
          s = { id: uuid(), out, from: mine[o.from]!, to, amount: o.kind === 'pay' ? o.amount : 3 };
        } else {
          if (sent.length === 0) continue;
          const old = sent[o.k % sent.length]!;
          s =
            o.kind === 'retry'
              ? old
              : o.kind === 'clash'
                ? { ...old, amount: old.amount + o.more }
                : {
                    ...old,
                    out: !old.out,
                    from: old.out ? MOON[0]! : SUN[0]!,
                    to: old.out ? SUN[0]! : MOON[0]!,
                  };
        }
        sent.push(s);
        const r = await t.post(
          `/api/v1/communes/${s.out ? 'sun' : 'moon'}/transfers`,
          { id: s.id, to: s.to, toCommune: s.out ? 'moon' : 'sun', amount: s.amount, memo: '' },
          tokens.get(s.from),
        );
        const was = applied.get(s.id);
        const said = `${JSON.stringify(s)} → ${r.status} ${JSON.stringify(r.body)}`;
        if (was) {
          const same =
            was.out === s.out && was.from === s.from && was.to === s.to && was.amount === s.amount;
          // A body refused on its face (too small to convert) is refused as such before its
          // id is looked up; any other different body under a used id is a conflict.
          const onItsFace = convert(s.amount, { rate: RATE, inverse: !s.out }) === 0;
          if (same) assert.equal(r.status, 200, said);
          else if (onItsFace)
            assert.deepEqual([r.status, r.body.error?.code], [422, 'amount_too_small'], said);
          else
            assert.deepEqual([r.status, r.body.error?.code], [409, 'idempotency_conflict'], said);
        } else {
          const refused = judge(s);
          if (refused === null) {
            assert.equal(r.status, 201, said);
            applied.set(s.id, s);
          } else {
            assert.equal(r.status, 422, said);
            assert.ok(refused.includes(r.body.error.code), `${said}, expected one of ${refused}`);
          }
        }

        for (const c of ['sun', 'moon']) {
          // Each commune's books are its members' own (ADR 0026).
          const member = c === 'sun' ? SUN[0] : MOON[0];
          const audit = await t.get(`/api/v1/communes/${c}/ledger/audit`, tokens.get(member!));
          assert.equal(audit.status, 200, `${c}'s audit`);
          assert.deepEqual([audit.body.problems, audit.body.sum], [[], 0], c);
        }
        const now = await accounts();
        for (const [k, a] of model) assert.equal(now.get(k)?.balance, a.balance, `balance of ${k}`);
        for (const k of ['sun:moon', 'moon:sun']) {
          const a = now.get(k)!;
          assert.ok(a.balance >= a.floor && a.balance <= a.ceiling!, `trade balance ${k}`);
        }
        // Each applied id once in each ledger: the two halves.
        const expected = [...applied.keys()].sort();
        assert.deepEqual(await storedIds(ids.sun), expected);
        assert.deepEqual(await storedIds(ids.moon), expected);
      }
    }

    it('keeps both ledgers at zero, the trade limits, and each payment once', async () => {
      await fc.assert(fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 20 }), run), {
        numRuns: kind === 'sqlite' ? 40 : 20,
      });
    });
  });
}
