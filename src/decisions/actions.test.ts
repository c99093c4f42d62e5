import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { manualClock } from '../communes/communes.fixtures.ts';
import { availableDatabases } from '../db/testing.ts';
import { HOUR, communeOf, crew, hoursFrom, propose, proposed, vote } from './decisions.fixtures.ts';

const yes = { choice: 'yes' };
const agree = { position: 'agree' };
const consent = { position: 'consent' };
/** The members of commons: a vote closes a proposal early only once all of them voted. */
const everyone = ['sam', 'tom', 'uma', 'val', 'wes'];

for (const { kind, skip } of await availableDatabases()) {
  describe(`actions and governance on ${kind}`, { skip }, () => {
    let t: TestApp;
    let clock: ReturnType<typeof manualClock>;
    let c: ReturnType<typeof crew>;
    const tok = (h: string) => c.tok(h);
    const ledger = async () => (await t.get('/api/v1/communes/commons/ledger', tok('sam'))).body;
    const balances = async () =>
      Object.fromEntries(
        ((await ledger()).accounts as { owner: string; balance: number }[]).map((a) => [
          a.owner,
          a.balance,
        ]),
      );
    const transfers = async () =>
      (await t.get('/api/v1/communes/commons/transfers?limit=200', tok('sam'))).body.items as {
        id: string;
        status: string;
      }[];
    const memberCount = async () =>
      (await t.get('/api/v1/communes/commons')).body.memberCount as number;
    /** Proposes an action, has `voters` vote, and returns the proposal as it then stands. */
    async function decide(
      action: Record<string, unknown>,
      voters: string[],
      ballot: unknown,
      by = 'sam',
    ) {
      const p = await proposed(t, tok(by), 'commons', { title: `Do ${action.type}`, action });
      let last = p;
      for (const v of voters) {
        const r = await vote(t, tok(v), p.id, ballot);
        assert.equal(r.status, 201, JSON.stringify(r.body));
        last = r.body;
      }
      return last;
    }
    /** One decision of every action type but admission, each run to its end, for the log. */
    async function everyActionDecided() {
      await decide(
        { type: 'spend', params: { to: 'tom', amount: 15, memo: 'Seeds' } },
        everyone,
        yes,
      );
      await decide(
        { type: 'set_credit_limit', params: { member: 'tom', limit: 50 } },
        everyone,
        yes,
      );
      await decide({ type: 'set_currency', params: { name: 'Garden hours' } }, everyone, yes);
      await decide(
        { type: 'amend_charter', params: { vision: 'Seeds for everyone', tags: ['seeds'] } },
        everyone,
        agree,
      );
      await decide({ type: 'amend_charter', params: { maxMembers: 3 } }, everyone, agree);
      await decide({ type: 'end_alliance', params: { commune: 'faraway' } }, everyone, consent);
      const ally = { commune: 'nearby', tradeLimit: 100, rate: 1 };
      await decide({ type: 'form_alliance', params: ally }, everyone, consent);
      await decide({ type: 'end_alliance', params: { commune: 'nearby' } }, everyone, consent);
      await communeOf(t, c, 'hideout', ['hal', 'sam'], { visibility: 'private' });
      await proposed(t, tok('sam'), 'commons', {
        title: 'Ally with the hideout',
        action: { type: 'form_alliance', params: { commune: 'hideout', tradeLimit: 5, rate: 1 } },
      });
      await decide(
        {
          type: 'change_governance',
          params: { rules: { spend: { method: 'consent', durationHours: 48 } } },
        },
        everyone,
        agree,
      );
      const removed = await decide(
        { type: 'remove_member', params: { member: 'wes' } },
        ['sam', 'tom', 'uma', 'val'],
        agree,
      );
      assert.deepEqual([removed.status, removed.action.executed], ['passed', true]);
    }

    // Each test starts from a fresh commons (the purse holding 40) and its two neighbours.
    beforeEach(async () => {
      clock = manualClock();
      c = crew();
      t = await startTestApp(kind, { clock });
      await communeOf(t, c, 'commons', ['sam', 'tom', 'uma', 'val', 'wes']);
      await communeOf(t, c, 'nearby', ['nia']);
      await communeOf(t, c, 'faraway', ['fay']);
      // Four members pay 10 into the purse: the purse holds 40, and they stand at -10.
      for (const h of ['sam', 'tom', 'uma', 'val']) {
        const r = await t.post(
          '/api/v1/communes/commons/transfers',
          { id: randomUUID(), to: 'purse', amount: 10 },
          tok(h),
        );
        assert.equal(r.status, 201, JSON.stringify(r.body));
      }
    });
    afterEach(() => t.close());

    it('starts from the default governance', async () => {
      const { rules } = (await t.get('/api/v1/communes/commons/governance')).body;
      const brief = Object.fromEntries(
        Object.entries(
          rules as Record<
            string,
            { method: string; threshold: number | null; quorum: number; durationHours: number }
          >,
        ).map(([k, r]) => [k, [r.method, r.threshold, r.quorum, r.durationHours]]),
      );
      assert.deepEqual(brief, {
        admit_member: ['consent', null, 0, 72],
        remove_member: ['consensus', 2 / 3, 0.5, 168],
        spend: ['majority', 0.5, 0.5, 168],
        set_credit_limit: ['majority', 0.5, 0, 168],
        set_currency: ['majority', 0.5, 0, 168],
        amend_charter: ['consensus', 0.75, 0.5, 168],
        form_alliance: ['consent', null, 0, 168],
        end_alliance: ['consent', null, 0, 168],
        change_governance: ['consensus', 0.75, 0.5, 168],
      });
    });

    it('takes method, threshold and quorum from governance, and refuses different ones', async () => {
      const spend = { type: 'spend', params: { to: 'tom', amount: 1 } };
      const base = { title: 'Seeds', action: spend };
      const p = await proposed(t, tok('sam'), 'commons', base);
      assert.deepEqual(
        [p.method, p.options, p.quorum, p.threshold],
        ['majority', ['yes', 'no'], 0.5, 0.5],
      );
      assert.equal(new Date(p.closesAt).getTime() - new Date(p.createdAt).getTime(), 168 * HOUR);
      assert.equal(
        (
          await propose(t, tok('sam'), 'commons', {
            ...base,
            method: 'majority',
            quorum: 0.5,
            options: ['yes', 'no'],
            closesAt: hoursFrom(clock.now(), 200),
          })
        ).status,
        201,
      );
      for (const [change, field] of [
        [{ method: 'consent' }, 'method'],
        [{ threshold: 0.6 }, 'threshold'],
        [{ quorum: 0 }, 'quorum'],
        [{ closesAt: hoursFrom(clock.now(), 2) }, 'closesAt'],
      ] as const) {
        const r = await propose(t, tok('sam'), 'commons', { ...base, ...change });
        assert.deepEqual(
          [r.status, r.body.error.code, r.body.error.field],
          [422, 'governance_mismatch', field],
          JSON.stringify(change),
        );
      }
      const options = await propose(t, tok('sam'), 'commons', {
        ...base,
        options: ['now', 'later'],
      });
      assert.deepEqual([options.status, options.body.error.code], [400, 'options_not_allowed']);
    });

    it('spends from the purse through a pending transfer that is then posted', async () => {
      const before = await balances();
      const p = await decide(
        { type: 'spend', params: { to: 'tom', amount: 15, memo: 'Seeds' } },
        everyone,
        yes,
      );
      assert.deepEqual(
        [p.status, p.action.executed, p.action.result],
        ['passed', true, { transfer: p.id, amount: 15, to: 'tom' }],
      );
      const after = await balances();
      assert.deepEqual([after.purse! - before.purse!, after.tom! - before.tom!], [-15, 15]);
      const transfer = (await t.get(`/api/v1/communes/commons/transfers/${p.id}`, tok('sam'))).body;
      assert.deepEqual(
        [transfer.from, transfer.to, transfer.status, transfer.code, transfer.memo],
        ['purse', 'tom', 'posted', 'purse_spend', 'Seeds'],
      );
      assert.equal((await ledger()).sum, 0);
    });

    it('passes a spend the purse cannot cover with executed=false and changes nothing in the ledger', async () => {
      const before = [await balances(), await transfers()];
      // Three yes of five, but tom and wes may still vote: the author cannot close it yet.
      const voted = await decide(
        { type: 'spend', params: { to: 'uma', amount: 1000 } },
        ['sam', 'tom', 'val'],
        yes,
      );
      assert.deepEqual([voted.status, voted.action.executed], ['open', false]);
      const early = await t.post(`/api/v1/proposals/${voted.id}/close`, undefined, tok('sam'));
      assert.deepEqual([early.status, early.body.error.code], [422, 'not_settled']);
      // Once everyone has voted the result is settled, and the last vote closes it.
      for (const v of ['uma', 'wes'])
        assert.equal((await vote(t, tok(v), voted.id, yes)).status, 201);
      const p = (await t.get(`/api/v1/proposals/${voted.id}`)).body;
      assert.deepEqual(
        [p.status, p.action.executed, p.action.result.error.code],
        ['passed', false, 'purse_insufficient_funds'],
      );
      assert.match(p.action.result.error.message, /purse/);
      assert.deepEqual([await balances(), await transfers()], before);
      assert.equal(
        (await ledger()).accounts.find((a: { owner: string }) => a.owner === 'purse').held,
        0,
      );
    });

    it('sets credit limits, for a member and the default', async () => {
      const one = await decide(
        { type: 'set_credit_limit', params: { member: 'tom', limit: 50 } },
        everyone,
        yes,
      );
      assert.deepEqual(
        [one.status, one.action.executed, one.action.result],
        ['passed', true, { owner: 'tom', creditLimit: 50, overridden: true }],
      );
      const all = await decide(
        { type: 'set_credit_limit', params: { member: 'default', limit: 30 } },
        everyone,
        yes,
      );
      assert.equal(all.action.executed, true);
      const l = await ledger();
      assert.equal(l.currency.defaultCreditLimit, 30);
      assert.deepEqual(
        l.accounts
          .filter((a: { owner: string }) => ['tom', 'uma'].includes(a.owner))
          .map((a: { creditLimit: number }) => a.creditLimit),
        [50, 30],
      );
      const log = (await t.get('/api/v1/communes/commons/credit-limit-changes', tok('sam'))).body
        .items;
      assert.ok(log.length >= 2 && log.every((x: { via: string }) => x.via === 'decision'));
    });

    it('changes the currency and amends the charter; a change the rules refuse is not applied', async () => {
      const currency = await decide(
        { type: 'set_currency', params: { name: 'Garden hours' } },
        everyone,
        yes,
      );
      assert.deepEqual(
        [currency.action.executed, (await ledger()).currency.name],
        [true, 'Garden hours'],
      );
      const charter = await decide(
        {
          type: 'amend_charter',
          params: { vision: 'Seeds for everyone', tags: ['Seeds', 'seeds'] },
        },
        everyone,
        agree,
      );
      assert.deepEqual([charter.status, charter.action.executed], ['passed', true]);
      const commune = (await t.get('/api/v1/communes/commons')).body;
      assert.deepEqual([commune.vision, commune.tags], ['Seeds for everyone', ['seeds']]);
      const tooSmall = await decide(
        { type: 'amend_charter', params: { maxMembers: 3 } },
        everyone,
        agree,
      );
      assert.deepEqual(
        [tooSmall.status, tooSmall.action.executed, tooSmall.action.result.error.code],
        ['passed', false, 'max_members_below_count'],
      );
      assert.equal((await t.get('/api/v1/communes/commons')).body.maxMembers, 150);
      assert.equal(
        (
          await propose(t, tok('sam'), 'commons', {
            title: 'x',
            action: { type: 'amend_charter', params: { handle: 'renamed' } },
          })
        ).status,
        400,
      );
    });

    it('removes a member who does not vote on it; a removal that cannot run leaves everything as it was', async () => {
      const p = await proposed(t, tok('sam'), 'commons', {
        title: 'Part ways with wes',
        action: { type: 'remove_member', params: { member: 'wes' } },
      });
      assert.equal(p.tally.eligible, 4);
      assert.equal((await vote(t, tok('wes'), p.id, agree)).status, 422);
      await t.put('/api/v1/communes/commons/delegation', { to: 'wes' }, tok('tom'));
      await vote(t, tok('sam'), p.id, agree);
      const shown = (await t.get(`/api/v1/proposals/${p.id}`, tok('sam'))).body;
      assert.deepEqual(
        shown.tally.carried,
        [{ voter: 'sam', weight: 1 }],
        'a delegation to the subject carries nothing',
      );
      let last = shown;
      for (const h of ['tom', 'uma', 'val']) last = (await vote(t, tok(h), p.id, agree)).body;
      assert.deepEqual(
        [last.status, last.action.executed, last.action.result],
        ['passed', true, { removed: 'wes' }],
      );
      assert.equal(await memberCount(), 4);
      assert.equal(
        (await t.get('/api/v1/communes/commons/delegations', tok('tom'))).body.items.length,
        0,
        'delegations to a removed member go with them',
      );

      // uma owes 10 to the commune: the ledger refuses, after the membership had already been released.
      const refused = await decide(
        { type: 'remove_member', params: { member: 'uma' } },
        ['sam', 'tom', 'val'],
        agree,
      );
      assert.deepEqual(
        [refused.status, refused.action.executed, refused.action.result.error.code],
        ['passed', false, 'negative_balance'],
      );
      // Read by the voters, so it names uma rather than saying "your balance".
      assert.equal(
        refused.action.result.error.message,
        "@uma's balance is -10; it must be settled (paid back) or written off before removal",
      );
      assert.equal(
        await memberCount(),
        4,
        'the released place was taken back with the rest of the action',
      );
      assert.ok(
        (await t.get('/api/v1/communes/commons/members')).body.some(
          (m: { handle: string }) => m.handle === 'uma',
        ),
      );
    });

    it("records the commune's consent to form and end alliances", async () => {
      const early = await decide(
        { type: 'end_alliance', params: { commune: 'faraway' } },
        everyone,
        consent,
      );
      assert.deepEqual(
        [early.status, early.action.executed, early.action.result.error.code],
        ['passed', false, 'no_alliance'],
      );
      const formed = await decide(
        { type: 'form_alliance', params: { commune: 'nearby', tradeLimit: 100, rate: 1 } },
        everyone,
        consent,
      );
      assert.deepEqual(
        [formed.status, formed.action.executed, formed.action.result.kind],
        ['passed', true, 'form'],
      );
      const consents = await t.deps.db.selectFrom('alliance_consents').selectAll().execute();
      assert.deepEqual(
        consents.map((x) => [x.kind, Number(x.trade_limit), Number(x.rate), x.proposal_id]),
        [['form', 100, 1, formed.id]],
      );
      const ended = await decide(
        { type: 'end_alliance', params: { commune: 'nearby' } },
        everyone,
        consent,
      );
      assert.deepEqual([ended.action.executed, ended.action.result.kind], [true, 'end']);
      const self = await propose(t, tok('sam'), 'commons', {
        title: 'x',
        action: { type: 'form_alliance', params: { commune: 'commons', tradeLimit: 1, rate: 1 } },
      });
      assert.deepEqual([self.status, self.body.error.code], [422, 'self_alliance']);
      const unknown = await propose(t, tok('sam'), 'commons', {
        title: 'x',
        action: { type: 'form_alliance', params: { commune: 'nowhere', tradeLimit: 1, rate: 1 } },
      });
      assert.deepEqual([unknown.status, unknown.body.error.code], [422, 'unknown_commune']);
    });

    it('accepts an action written flat, as API.md writes it, and shows it as { type, params }', async () => {
      const params = { to: 'tom', amount: 2, memo: 'Twine' };
      const flat = await proposed(t, tok('sam'), 'commons', {
        title: 'Twine',
        action: { type: 'spend', ...params },
      });
      const nested = await proposed(t, tok('sam'), 'commons', {
        title: 'Twine',
        action: { type: 'spend', params },
      });
      for (const p of [flat, nested])
        assert.deepEqual(p.action, { type: 'spend', params, executed: false, result: null });
      const bad = await propose(t, tok('sam'), 'commons', {
        title: 'x',
        action: { type: 'spend', to: 'tom', amount: -1 },
      });
      assert.deepEqual([bad.status, bad.body.error.field], [400, 'action.params.amount']);
      const mixed = await propose(t, tok('sam'), 'commons', {
        title: 'x',
        action: { type: 'spend', params, memo: 'both' },
      });
      assert.equal(mixed.status, 400, 'params and flat fields together are refused');
      const removal = await proposed(t, tok('sam'), 'commons', {
        title: 'x',
        action: { type: 'remove_member', member: 'val' },
      });
      assert.deepEqual(removal.action.params, { member: 'val' });
    });

    it("shows the handles the proposer typed, never a private partner's internal id", async () => {
      await communeOf(t, c, 'hideout', ['hal', 'sam'], { visibility: 'private' });
      const hideoutId = (await t.get('/api/v1/communes/hideout', tok('sam'))).body.id as string;
      assert.equal((await t.get('/api/v1/communes/hideout')).status, 404);
      const p = await proposed(t, tok('sam'), 'commons', {
        title: 'Ally with the hideout',
        action: { type: 'form_alliance', params: { commune: 'hideout', tradeLimit: 5, rate: 1 } },
      });
      // Only callers who may see the hideout see it named (redaction.test.ts covers the rest).
      for (const [token, params] of [
        [undefined, { hidden: true }],
        [tok('tom'), { hidden: true }],
        [tok('sam'), { commune: 'hideout', tradeLimit: 5, rate: 1 }],
      ] as const) {
        const shown = (await t.get(`/api/v1/proposals/${p.id}`, token)).body;
        assert.deepEqual(shown.action.params, params);
        const listed = (await t.get('/api/v1/communes/commons/proposals?limit=200', token)).body;
        assert.ok(
          !JSON.stringify([shown, listed]).includes(hideoutId),
          "the private commune's id is never shown",
        );
      }
    });

    it('changes governance only through change_governance, after which the new rule applies', async () => {
      for (const [params, code] of [
        [{ rules: {} }, 'invalid_input'],
        [{ rules: { spend: { method: 'ranked' } } }, 'invalid_input'],
        [{ rules: { spend: { method: 'consent', threshold: 0.5 } } }, 'threshold_not_used'],
      ] as const) {
        const r = await propose(t, tok('sam'), 'commons', {
          title: 'x',
          action: { type: 'change_governance', params },
        });
        assert.deepEqual([r.status, r.body.error.code], [400, code], JSON.stringify(params));
      }
      const p = await decide(
        {
          type: 'change_governance',
          params: { rules: { spend: { method: 'consent', durationHours: 48 } } },
        },
        everyone,
        agree,
      );
      assert.deepEqual(
        [p.status, p.action.executed, p.action.result],
        ['passed', true, { changed: ['spend'] }],
      );
      const rule = (await t.get('/api/v1/communes/commons/governance')).body.rules.spend;
      assert.deepEqual(rule, {
        method: 'consent',
        threshold: null,
        thresholdBasis: null,
        quorum: 0,
        durationHours: 48,
        proposal: p.id,
        updatedAt: rule.updatedAt,
      });
      const old = await propose(t, tok('sam'), 'commons', {
        title: 'x',
        method: 'majority',
        action: { type: 'spend', params: { to: 'tom', amount: 1 } },
      });
      assert.deepEqual([old.status, old.body.error.code], [422, 'governance_mismatch']);
      const now = await proposed(t, tok('sam'), 'commons', {
        title: 'x',
        action: { type: 'spend', params: { to: 'tom', amount: 1 } },
      });
      assert.equal(now.method, 'consent');
    });

    it('shows no internal id in any action of the decision log', async () => {
      await everyActionDecided();
      const shownParams: Record<string, string[]> = {
        remove_member: ['member'],
        spend: ['amount', 'memo', 'to'],
        set_credit_limit: ['limit', 'member'],
        form_alliance: ['commune', 'rate', 'tradeLimit'],
        end_alliance: ['commune'],
        change_governance: ['rules'],
        set_currency: ['name'],
        amend_charter: ['maxMembers', 'tags', 'vision'],
      };
      const items = (await t.get('/api/v1/communes/commons/proposals?limit=200')).body.items as {
        action: { type: string; params: object; result: object | null } | null;
      }[];
      const actions = items.flatMap((p) => (p.action ? [p.action] : []));
      assert.deepEqual(
        [...new Set(actions.map((a) => a.type))].sort(),
        Object.keys(shownParams).sort(),
        'every action type but admission (see admission.test.ts) is in the log',
      );
      for (const a of actions)
        for (const k of Object.keys(a.params))
          assert.ok(
            shownParams[a.type]!.includes(k) ||
              // A partner this anonymous reader may not see (the private hideout) is redacted.
              (k === 'hidden' && a.type === 'form_alliance'),
            `${a.type} shows ${k}`,
          );
      const internal: string[] = [];
      for (const h of Object.keys(c.tokens))
        internal.push((await t.get('/api/v1/me', tok(h))).body.id);
      for (const h of ['nearby', 'faraway', 'hideout'])
        internal.push(
          (
            await t.get(
              `/api/v1/communes/${h}`,
              tok(h === 'hideout' ? 'sam' : h === 'nearby' ? 'nia' : 'fay'),
            )
          ).body.id,
        );
      for (const r of await t.deps.db.selectFrom('alliance_consents').select('id').execute())
        internal.push(r.id);
      const text = JSON.stringify(actions);
      for (const id of internal) assert.ok(!text.includes(id), `an internal id (${id}) in ${text}`);
    });
  });
}
