import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { manualClock } from '../communes/communes.fixtures.ts';
import { availableDatabases } from '../db/testing.ts';
import { propose, proposed, vote } from '../decisions/decisions.fixtures.ts';
import { assertBooks, balances, commune, pay, uuid } from './ledger.fixtures.ts';
import { ledgerService, type LedgerService } from './ledger.service.ts';

// Two-phase transfers, the purse, limits, the currency, leaving, corrections, transparency.
// Limits and the currency change by decision: end to end through set_credit_limit and
// set_currency proposals, and the ledger's own rules straight through its service.
for (const { kind, skip } of await availableDatabases()) {
  describe(`ledger rules on ${kind}`, { skip }, () => {
    let t: TestApp;
    let ledger: LedgerService;
    let communeId: string;
    let clock: ReturnType<typeof manualClock>;
    let people: Map<string, string>;
    const tok = (h: string) => people.get(h)!;
    const ledgerOf = async (c = 'hall', token = tok('ann')) =>
      (await t.get(`/api/v1/communes/${c}/ledger`, token)).body;
    const account = async (owner: string, c = 'hall') =>
      (await ledgerOf(c)).accounts.find((a: { owner: string }) => a.owner === owner);
    /** Proposes an action in hall and has the members vote yes until it closes; returns the closed proposal. */
    async function decided(action: Record<string, unknown>) {
      const p = await proposed(t, tok('ann'), 'hall', {
        title: `Do ${String(action.type)}`,
        action,
      });
      let last = p;
      for (const h of ['ann', 'ben', 'cat', 'dan']) {
        if (last.status !== 'open') break;
        const r = await vote(t, tok(h), p.id, { choice: 'yes' });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        last = r.body;
      }
      assert.equal(last.status, 'passed', JSON.stringify(last));
      return last;
    }

    /** Some trade in hall, for the tests that need balances: ben owes 15, cat holds 15. */
    async function traded() {
      assert.equal((await pay(t, tok('ben'), 'hall', 'cat', 15)).status, 201);
    }

    // Each test starts from a fresh hall where nobody has traded yet: no test leans on
    // what another left behind.
    beforeEach(async () => {
      clock = manualClock();
      people = new Map();
      t = await startTestApp(kind, { clock });
      ledger = ledgerService(t.deps);
      communeId = (await commune(t, 'hall', ['ann', 'ben', 'cat', 'dan'], {}, people)).communeId;
      people.set('eve', await t.person('eve'));
    });
    afterEach(() => t.close());

    it('holds a pending transfer against the limit, then posts it; only the payer posts', async () => {
      const limit = (await ledgerOf()).currency.defaultCreditLimit;
      const id = uuid();
      const held = await t.post(
        '/api/v1/communes/hall/transfers',
        { id, to: 'ben', amount: limit - 2, pending: true, timeoutSeconds: 600 },
        tok('ann'),
      );
      assert.equal(held.status, 201, JSON.stringify(held.body));
      assert.equal(held.body.status, 'pending');
      assert.deepEqual(
        [(await account('ann')).balance, (await account('ann')).held],
        [0, limit - 2],
      );
      const over = await pay(t, tok('ann'), 'hall', 'cat', 3);
      assert.deepEqual(
        [over.status, over.body.error.code],
        [422, 'credit_limit_exceeded'],
        'holds count against the limit',
      );
      const byPayee = await t.post(`/api/v1/communes/hall/transfers/${id}/post`, {}, tok('ben'));
      assert.deepEqual([byPayee.status, byPayee.body.error.code], [403, 'not_your_transfer']);
      const posted = await t.post(`/api/v1/communes/hall/transfers/${id}/post`, {}, tok('ann'));
      assert.deepEqual([posted.status, posted.body.status], [200, 'posted']);
      assert.equal(
        (await t.post(`/api/v1/communes/hall/transfers/${id}/post`, {}, tok('ann'))).status,
        200,
        'posting again is a retry',
      );
      const voided = await t.post(`/api/v1/communes/hall/transfers/${id}/void`, {}, tok('ann'));
      assert.deepEqual([voided.status, voided.body.error.code], [422, 'transfer_not_pending']);
      assert.deepEqual(
        [
          (await account('ann')).balance,
          (await account('ann')).held,
          (await account('ben')).balance,
        ],
        [-(limit - 2), 0, limit - 2],
      );
      assert.equal(
        (await t.post(`/api/v1/communes/hall/transfers/not-a-uuid/post`, {}, tok('ann'))).body.error
          .code,
        'invalid_id',
      );
      assert.equal(
        (await t.post(`/api/v1/communes/hall/transfers/${uuid()}/post`, {}, tok('ann'))).status,
        404,
      );
      await assertBooks(t, 'hall');
    });

    it('voids a hold by payer or payee, and lets one run out at its timeout', async () => {
      const a = uuid();
      assert.equal(
        (
          await t.post(
            '/api/v1/communes/hall/transfers',
            { id: a, to: 'cat', amount: 5, pending: true },
            tok('ben'),
          )
        ).status,
        201,
      );
      const byPayee = await t.post(`/api/v1/communes/hall/transfers/${a}/void`, {}, tok('cat'));
      assert.deepEqual([byPayee.status, byPayee.body.status], [200, 'voided']);
      assert.equal(
        (await t.post(`/api/v1/communes/hall/transfers/${a}/void`, {}, tok('dan'))).status,
        403,
      );
      const b = uuid();
      assert.equal(
        (
          await t.post(
            '/api/v1/communes/hall/transfers',
            { id: b, to: 'cat', amount: 4, pending: true, timeoutSeconds: 60 },
            tok('ben'),
          )
        ).status,
        201,
      );
      assert.equal((await account('ben')).held, 4);
      clock.advance(59_000);
      assert.equal((await account('ben')).held, 4);
      clock.advance(2_000);
      assert.equal((await account('ben')).held, 0, 'reads expire due holds first');
      assert.equal(
        (await t.get(`/api/v1/communes/hall/transfers/${b}`, tok('ann'))).body.status,
        'expired',
      );
      const late = await t.post(`/api/v1/communes/hall/transfers/${b}/post`, {}, tok('ben'));
      assert.deepEqual([late.status, late.body.error.code], [422, 'transfer_not_pending']);
      // The sweep a job runner will call finds holds nobody touched.
      const c = uuid();
      await t.post(
        '/api/v1/communes/hall/transfers',
        { id: c, to: 'dan', amount: 1, pending: true, timeoutSeconds: 1 },
        tok('cat'),
      );
      clock.advance(1_500);
      assert.equal(await ledger.expireDue(), 1);
      assert.equal(await ledger.expireDue(), 0);
      await assertBooks(t, 'hall');
    });

    it('pays from the purse only through a decision, in its transaction', async () => {
      assert.equal((await pay(t, tok('dan'), 'hall', 'purse', 6)).status, 201);
      const purse = (await account('purse')).balance;
      const tooMuch = await ledger.reserveFromPurse(undefined, {
        communeId,
        to: 'ann',
        amount: purse + 1,
        memo: 'tools',
      });
      assert.equal(!tooMuch.ok && tooMuch.error.code, 'purse_insufficient_funds');
      // A decision that fails after reserving rolls the reservation back with it.
      await assert.rejects(
        t.deps.db.transaction().execute(async (tx) => {
          const r = await ledger.reserveFromPurse(tx, {
            communeId,
            to: 'ann',
            amount: 2,
            memo: 'tools',
          });
          assert.ok(r.ok);
          throw new Error('the decision failed');
        }),
      );
      assert.equal((await account('purse')).held, 0);
      const spent = await t.deps.db.transaction().execute(async (tx) => {
        const r = await ledger.reserveFromPurse(tx, {
          communeId,
          to: 'ann',
          amount: 4,
          memo: 'tools',
        });
        assert.ok(r.ok);
        assert.equal(r.value.code, 'purse_spend');
        return ledger.postPending(tx, communeId, r.value.id);
      });
      assert.ok(spent.ok && spent.value.status === 'posted');
      assert.equal((await account('purse')).balance, purse - 4);
      const held = await ledger.reserveFromPurse(undefined, {
        communeId,
        to: 'ben',
        amount: 1,
        memo: 'seeds',
      });
      assert.ok(held.ok);
      const byMember = await t.post(
        `/api/v1/communes/hall/transfers/${held.value.id}/post`,
        {},
        tok('ben'),
      );
      assert.deepEqual(
        [byMember.status, byMember.body.error.code],
        [422, 'purse_requires_decision'],
      );
      assert.ok((await ledger.voidPending(undefined, communeId, held.value.id)).ok);
      await assertBooks(t, 'hall');
    });

    it('sets limits by decision, logs who, when, old and new, and never below what is used', async () => {
      const r = await decided({ type: 'set_credit_limit', params: { member: 'cat', limit: 40 } });
      assert.deepEqual(
        [r.action.executed, r.action.result],
        [true, { owner: 'cat', creditLimit: 40, overridden: true }],
      );
      const direct = await t.put(
        '/api/v1/communes/hall/accounts/cat/credit-limit',
        { limit: 50 },
        tok('ben'),
      );
      assert.deepEqual(
        [direct.status, direct.body.error.code],
        [422, 'decision_required'],
        'a member cannot set a limit directly either',
      );
      assert.equal((await account('cat')).creditLimit, 40);
      const purse = await ledger.setCreditLimit(undefined, {
        communeId,
        owner: 'purse',
        limit: 5,
        by: null,
      });
      assert.equal(!purse.ok && purse.error.code, 'purse_limit_fixed');
      const pursed = await propose(t, tok('ann'), 'hall', {
        title: 'Purse credit',
        action: { type: 'set_credit_limit', params: { member: 'purse', limit: 5 } },
      });
      assert.deepEqual(
        [pursed.status, pursed.body.error.code, pursed.body.error.field],
        [422, 'not_a_member', 'action.params.member'],
        'the purse is no member to propose a limit for',
      );
      for (const limit of [-1, 1.5, '5', 1e13]) {
        const bad = await propose(t, tok('ann'), 'hall', {
          title: 'Bad limit',
          action: { type: 'set_credit_limit', params: { member: 'cat', limit } },
        });
        assert.deepEqual(
          [bad.status, bad.body.error.code, bad.body.error.field],
          [400, 'invalid_input', 'action.params.limit'],
          String(limit),
        );
      }
      assert.equal((await pay(t, tok('cat'), 'hall', 'dan', 30)).status, 201);
      const below = await decided({
        type: 'set_credit_limit',
        params: { member: 'cat', limit: 10 },
      });
      assert.deepEqual(
        [below.action.executed, below.action.result.error.code],
        [false, 'limit_below_balance'],
      );
      assert.equal((await account('cat')).creditLimit, 40, 'a refused change is not applied');
      const back = await decided({ type: 'set_currency', params: { defaultCreditLimit: 25 } });
      assert.equal(back.action.executed, true);
      assert.equal((await account('cat')).creditLimit, 40, 'an override survives a new default');
      assert.equal((await account('dan')).creditLimit, 25);
      const log = (await t.get('/api/v1/communes/hall/credit-limit-changes', tok('ann'))).body
        .items;
      assert.deepEqual(
        log
          .slice(0, 2)
          .map((c: Record<string, unknown>) => [
            c.owner,
            c.oldLimit,
            c.newLimit,
            c.changedBy,
            c.via,
          ]),
        [
          ['default', 20, 25],
          ['cat', 20, 40],
        ].map((x) => [...x, null, 'decision']),
      );
      assert.ok(log.every((c: { at: string }) => !Number.isNaN(Date.parse(c.at))));
      const toDefault = await ledger.setCreditLimit(undefined, {
        communeId,
        owner: 'cat',
        limit: null,
        by: null,
      });
      assert.equal(
        !toDefault.ok && toDefault.error.code,
        'limit_below_balance',
        'cat uses 30, the default is 25',
      );
      const ann = (await t.get('/api/v1/me', tok('ann'))).body;
      assert.ok(
        (
          await ledger.setCreditLimit(undefined, {
            communeId,
            owner: 'dan',
            limit: 30,
            by: { id: ann.id, handle: 'ann' },
          })
        ).ok,
      );
      const [latest] = (
        await t.get('/api/v1/communes/hall/credit-limit-changes?limit=1', tok('ann'))
      ).body.items;
      assert.deepEqual(
        [latest.owner, latest.oldLimit, latest.newLimit, latest.changedBy, latest.via],
        ['dan', 25, 30, 'ann', 'steward'],
        'a named changer is logged by handle',
      );
    });

    it('validates currency changes and keeps decimals once transfers exist', async () => {
      await traded();
      const invalid: [Record<string, unknown>, string][] = [
        [{}, ''],
        [{ code: 'hours' }, '.code'],
        [{ decimals: 9 }, '.decimals'],
        [{ maxBalance: 0 }, '.maxBalance'],
        [{ demurrageBasisPoints: 5000 }, '.demurrageBasisPoints'],
        [{ colour: 'red' }, ''],
      ];
      for (const [params, field] of invalid) {
        const r = await propose(t, tok('ann'), 'hall', {
          title: 'Currency',
          action: { type: 'set_currency', params },
        });
        assert.deepEqual(
          [r.status, r.body.error?.code, r.body.error?.field],
          [400, 'invalid_input', `action.params${field}`],
          JSON.stringify(params),
        );
      }
      const refused: [Record<string, unknown>, string][] = [
        [{ decimals: 2 }, 'decimals_locked'],
        [{ maxBalance: 1 }, 'max_below_balance'],
      ];
      for (const [patch, code] of refused) {
        const r = await ledger.updateCurrency(communeId, patch, null);
        assert.equal(!r.ok && r.error.code, code, JSON.stringify(patch));
      }
      const locked = await decided({ type: 'set_currency', params: { decimals: 2 } });
      assert.deepEqual(
        [
          locked.action.executed,
          locked.action.result.error.code,
          (await ledgerOf()).currency.decimals,
        ],
        [false, 'decimals_locked', 0],
      );
      const direct = await t.put('/api/v1/communes/hall/currency', { name: 'Hours' }, tok('ben'));
      assert.deepEqual([direct.status, direct.body.error.code], [422, 'decision_required']);
      const top = Math.max(...Object.values(await balances(t, 'hall')));
      const r = await decided({
        type: 'set_currency',
        params: { code: 'HRS', name: 'Hall hours', unit: 'hour', maxBalance: top + 2 },
      });
      assert.equal(r.action.executed, true, JSON.stringify(r.action));
      assert.deepEqual(
        [(await ledgerOf()).currency.code, (await ledgerOf()).currency.maxBalance],
        ['HRS', top + 2],
      );
      const ceiling = await pay(
        t,
        tok('ann'),
        'hall',
        'dan',
        top + 3 - (await account('dan')).balance,
      );
      assert.deepEqual([ceiling.status, ceiling.body.error.code], [422, 'max_balance_exceeded']);
      assert.ok((await ledger.updateCurrency(communeId, { maxBalance: null }, null)).ok);
      assert.equal((await ledgerOf()).currency.maxBalance, null);
    });

    it('corrects with a reversing transfer, once, never an edit', async () => {
      const wrong = await pay(t, tok('dan'), 'hall', 'ben', 3, { memo: 'meant for cat' });
      const before = await balances(t, 'hall');
      const mismatch = await pay(t, tok('cat'), 'hall', 'dan', 3, { reverses: wrong.body.id });
      assert.equal(mismatch.body.error.code, 'reversal_mismatch');
      const tooBig = await pay(t, tok('ben'), 'hall', 'dan', 4, { reverses: wrong.body.id });
      assert.equal(tooBig.body.error.code, 'reversal_too_large');
      const back = await pay(t, tok('ben'), 'hall', 'dan', 3, { reverses: wrong.body.id });
      assert.deepEqual(
        [back.status, back.body.code, back.body.reverses],
        [201, 'reversal', wrong.body.id],
      );
      assert.equal(
        (await pay(t, tok('ben'), 'hall', 'dan', 1, { reverses: wrong.body.id })).body.error.code,
        'already_reversed',
      );
      const after = await balances(t, 'hall');
      assert.deepEqual([after.ben! - before.ben!, after.dan! - before.dan!], [-3, 3]);
      assert.equal(
        (await t.get(`/api/v1/communes/hall/transfers/${wrong.body.id}`, tok('ann'))).body.amount,
        3,
        'the original stands',
      );
    });

    it('charges demurrage as explicit transfers to the purse, once a month', async () => {
      await traded();
      assert.deepEqual(
        await ledger.chargeDemurrage(communeId, '2030-01'),
        { ok: true, value: { charged: 0, total: 0 } },
        'off by default',
      );
      assert.equal(
        (await decided({ type: 'set_currency', params: { demurrageBasisPoints: 1000 } })).action
          .executed,
        true,
      );
      const before = await balances(t, 'hall');
      const charged = await ledger.chargeDemurrage(communeId, '2030-02');
      assert.ok(charged.ok);
      const positive = Object.entries(before).filter(([h, b]) => h !== 'purse' && b > 0);
      const expected = positive.reduce((n, [, b]) => n + Math.floor(b / 10), 0);
      assert.equal(charged.value.total, expected);
      assert.ok(charged.value.total > 0);
      const after = await balances(t, 'hall');
      assert.equal(after.purse! - before.purse!, expected);
      for (const [h, b] of positive) assert.equal(after[h], b - Math.floor(b / 10));
      assert.deepEqual(
        await ledger.chargeDemurrage(communeId, '2030-02'),
        { ok: true, value: { charged: 0, total: 0 } },
        'a period is charged once',
      );
      const listed = (
        await t.get('/api/v1/communes/hall/transfers?limit=20', tok('ann'))
      ).body.items.filter((x: { code: string }) => x.code === 'demurrage');
      assert.equal(listed.length, charged.value.charged);
      assert.ok((await ledger.updateCurrency(communeId, { demurrageBasisPoints: 0 }, null)).ok);
      await assertBooks(t, 'hall');
    });

    it('refuses to let a debtor leave, freezes a creditor who leaves, and thaws them on return', async () => {
      await traded();
      const bal = await balances(t, 'hall');
      const debtor = Object.entries(bal).find(
        ([h, b]) => h !== 'purse' && h !== 'ann' && b < 0,
      )![0];
      const creditor = Object.entries(bal).find(
        ([h, b]) => h !== 'purse' && h !== 'ann' && b > 0,
      )![0];
      const refused = await t.del('/api/v1/communes/hall/members/me', tok(debtor));
      assert.deepEqual([refused.status, refused.body.error.code], [422, 'negative_balance']);
      // The balance travels as a number, for clients and for decisions' wording alike.
      assert.deepEqual(refused.body.error.details, { balance: bal[debtor] });
      const pendingOut = uuid();
      await t.post(
        '/api/v1/communes/hall/transfers',
        { id: pendingOut, to: 'ann', amount: 1, pending: true },
        tok(creditor),
      );
      assert.equal((await t.del('/api/v1/communes/hall/members/me', tok(creditor))).status, 204);
      assert.equal(
        (await t.get(`/api/v1/communes/hall/transfers/${pendingOut}`, tok('ann'))).body.status,
        'voided',
        "a leaver's holds are voided",
      );
      const frozen = await account(creditor);
      assert.deepEqual([frozen.frozen, frozen.balance, frozen.held], [true, bal[creditor], 0]);
      const toFrozen = await pay(t, tok('ann'), 'hall', creditor, 1);
      assert.deepEqual([toFrozen.status, toFrozen.body.error.code], [422, 'payee_frozen']);
      const fromFrozen = await pay(t, tok(creditor), 'hall', 'ann', 1);
      // They left: the access rule refuses them as it refuses any non-member.
      assert.deepEqual([fromFrozen.status, fromFrozen.body.error.code], [403, 'members_only']);
      assert.equal(
        (
          await t.post(
            '/api/v1/communes/hall/applications',
            { acceptAgreements: true },
            tok(creditor),
          )
        ).status,
        201,
      );
      assert.deepEqual(
        [(await account(creditor)).frozen, (await account(creditor)).balance],
        [false, bal[creditor]],
      );
      await assertBooks(t, 'hall');
    });

    it('shows a ledger to members only, and a private one to nobody else', async () => {
      await traded();
      await commune(
        t,
        'cellar',
        ['ann', 'ben'],
        { visibility: 'private', joinPolicy: 'invite' },
        people,
      );
      await pay(t, tok('ann'), 'cellar', 'ben', 2);
      const routes = [
        'ledger',
        'ledger/audit',
        'transfers',
        'accounts/ann/statement',
        'accounts/ann/statement.csv',
        'credit-limit-changes',
      ];
      for (const r of routes) {
        assert.equal((await t.get(`/api/v1/communes/cellar/${r}`, tok('eve'))).status, 404, r);
        assert.equal((await t.get(`/api/v1/communes/cellar/${r}`)).status, 404, r);
        assert.equal((await t.get(`/api/v1/communes/cellar/${r}`, tok('ben'))).status, 200, r);
      }
      assert.equal((await pay(t, tok('eve'), 'cellar', 'ben', 1)).status, 404);
      assert.equal((await pay(t, undefined, 'cellar', 'ben', 1)).status, 404);
      assert.equal(
        (await t.put('/api/v1/communes/cellar/currency', { name: 'x' }, tok('eve'))).status,
        404,
      );
      assert.equal(
        (await t.put('/api/v1/communes/cellar/accounts/ben/credit-limit', { limit: 1 }, tok('eve')))
          .status,
        404,
      );
      assert.equal(
        (
          await propose(t, tok('eve'), 'cellar', {
            title: 'x',
            action: { type: 'set_currency', params: { name: 'x' } },
          })
        ).status,
        404,
      );
      // A public commune's books are its members' too, until it opens them (ADR 0026).
      for (const r of routes) {
        assert.equal((await t.get(`/api/v1/communes/hall/${r}`)).status, 401, r);
        assert.equal((await t.get(`/api/v1/communes/hall/${r}`, tok('eve'))).status, 403, r);
        assert.equal((await t.get(`/api/v1/communes/hall/${r}`, tok('ann'))).status, 200, r);
      }
    });
  });
}
