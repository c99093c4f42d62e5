import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { availableDatabases } from '../db/testing.ts';
import { communeOf, crew } from '../decisions/decisions.fixtures.ts';
import { ledgerService } from '../ledger/ledger.service.ts';
import { endAllianceByDecision } from './alliances.fixtures.ts';

// Every bad input of issue 10's "Bad input" list (alliances and payments across): a clear 4xx
// with a code, and nothing changed — no proposal, no alliance, no transfer, no balance.
type Case = [label: string, body: unknown, expected: string];

for (const { kind, skip } of await availableDatabases()) {
  describe(`bad alliance and clearing input on ${kind}`, { skip }, () => {
    let t: TestApp;
    const c = crew();
    const v = (commune: string, person: string) => ({ commune, tokens: [c.tok(person)] });

    before(async () => {
      t = await startTestApp(kind);
      await communeOf(t, c, 'orchard', ['ann']);
      const bakery = await communeOf(t, c, 'bakery', ['cy']);
      // Room enough that the trade limit, not cy's own, is what a large payment meets.
      const roomy = await ledgerService(t.deps).setCreditLimit(undefined, {
        communeId: bakery.id,
        owner: 'cy',
        limit: 1000,
        by: null,
      });
      assert.ok(roomy.ok);
      await communeOf(t, c, 'loner', ['dan']);
      await communeOf(t, c, 'hideout', ['hal'], { visibility: 'private' });
    });
    after(() => t.close());

    /** Everything a refused request must leave as it was. */
    const state = async () => {
      const count = async (table: 'proposals' | 'alliances' | 'ledger_transfers') =>
        Number(
          (
            await t.deps.db
              .selectFrom(table)
              .select((e) => e.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const accounts = await t.deps.db
        .selectFrom('ledger_accounts')
        .select(['id', 'balance'])
        .orderBy('id')
        .execute();
      return {
        proposals: await count('proposals'),
        alliances: await t.deps.db.selectFrom('alliances').selectAll().orderBy('id').execute(),
        transfers: await count('ledger_transfers'),
        balances: accounts.map((a) => [a.id, Number(a.balance)]),
      };
    };
    type Reply = { status: number; body: { error?: { code?: string; field?: string } } | null };
    const answer = (r: Reply) =>
      `${r.status} ${r.body?.error?.code}${r.body?.error?.field ? ` ${r.body.error.field}` : ''}`;

    /** Runs each case and checks its answer, then that nothing changed. */
    async function refused(
      send: (body: unknown) => Promise<{ status: number; body: unknown }>,
      cases: Case[],
    ) {
      const was = await state();
      for (const [label, body, expected] of cases)
        assert.equal(answer((await send(body)) as never), expected, label);
      assert.deepEqual(await state(), was);
    }
    const propose = (who: string, commune: string) => (body: unknown) =>
      t.post(`/api/v1/communes/${commune}/proposals`, body, c.tok(who));
    const ally = (params: Record<string, unknown>) => ({
      title: 'Ally',
      action: { type: 'form_alliance', params },
    });
    /** A form_alliance body with raw JSON for the terms (numbers JSON.stringify cannot write). */
    const rawAlly = (limit: string, rate: string) =>
      `{"title":"Ally","action":{"type":"form_alliance","params":{"commune":"bakery","tradeLimit":${limit},"rate":${rate}}}}`;
    const pay = (who: string, commune: string) => (body: unknown) =>
      t.post(`/api/v1/communes/${commune}/transfers`, body, c.tok(who));
    const across = (to: string, toCommune: string, amount: number, extra = {}) => ({
      id: randomUUID(),
      to,
      toCommune,
      amount,
      ...extra,
    });
    const commune = 'action.params.commune';

    it('refuses allying with itself, an unknown or a private commune, and bad terms', async () => {
      await refused(propose('ann', 'orchard'), [
        [
          'itself',
          ally({ commune: 'orchard', tradeLimit: 10, rate: 1 }),
          `422 self_alliance ${commune}`,
        ],
        [
          'unknown',
          ally({ commune: 'nowhere', tradeLimit: 10, rate: 1 }),
          `422 unknown_commune ${commune}`,
        ],
        [
          'private to the proposer',
          ally({ commune: 'hideout', tradeLimit: 10, rate: 1 }),
          `422 unknown_commune ${commune}`,
        ],
        [
          'rate 0',
          ally({ commune: 'bakery', tradeLimit: 10, rate: 0 }),
          '422 invalid_rate action.params.rate',
        ],
        [
          'rate < 0',
          ally({ commune: 'bakery', tradeLimit: 10, rate: -2 }),
          '422 invalid_rate action.params.rate',
        ],
        // Past the double range, or named in a string: out of range like 0, the same 422.
        ['rate infinite', rawAlly('10', '1e999'), '422 invalid_rate action.params.rate'],
        ['rate 1e400', rawAlly('10', '1e400'), '422 invalid_rate action.params.rate'],
        ['rate -infinite', rawAlly('10', '-1e999'), '422 invalid_rate action.params.rate'],
        ['rate "NaN"', rawAlly('10', '"NaN"'), '422 invalid_rate action.params.rate'],
        ['rate "Infinity"', rawAlly('10', '"Infinity"'), '422 invalid_rate action.params.rate'],
        ['rate "-Infinity"', rawAlly('10', '"-Infinity"'), '422 invalid_rate action.params.rate'],
        ['rate too large', rawAlly('10', '1e7'), '422 invalid_rate action.params.rate'],
        ['rate too small', rawAlly('10', '1e-7'), '422 invalid_rate action.params.rate'],
        // Not a number at all is a malformed request, as for any other field.
        ['rate a word', rawAlly('10', '"two"'), '400 invalid_input action.params.rate'],
        ['rate "2"', rawAlly('10', '"2"'), '400 invalid_input action.params.rate'],
        ['rate null', rawAlly('10', 'null'), '400 invalid_input action.params.rate'],
        [
          'limit 0',
          ally({ commune: 'bakery', tradeLimit: 0, rate: 1 }),
          '422 invalid_trade_limit action.params.tradeLimit',
        ],
        [
          'limit < 0',
          ally({ commune: 'bakery', tradeLimit: -3, rate: 1 }),
          '422 invalid_trade_limit action.params.tradeLimit',
        ],
        [
          'limit infinite',
          rawAlly('1e999', '1'),
          '422 invalid_trade_limit action.params.tradeLimit',
        ],
        ['limit "NaN"', rawAlly('"NaN"', '1'), '422 invalid_trade_limit action.params.tradeLimit'],
        [
          'limit fractional',
          rawAlly('1.5', '1'),
          '422 invalid_trade_limit action.params.tradeLimit',
        ],
        [
          'limit past the maximum',
          rawAlly('1000000000001', '1'),
          '422 invalid_trade_limit action.params.tradeLimit',
        ],
        ['limit a word', rawAlly('"ten"', '1'), '400 invalid_input action.params.tradeLimit'],
      ]);
    });

    it('refuses payments across without an active alliance', async () => {
      const cases = (): Case[] => [
        ['no alliance', across('dan', 'loner', 1), '422 no_alliance toCommune'],
        ['own commune', across('ann', 'orchard', 1), '422 no_alliance toCommune'],
        ['unknown commune', across('cy', 'nowhere', 1), '422 no_alliance toCommune'],
        ['private commune', across('hal', 'hideout', 1), '422 no_alliance toCommune'],
        ['not active yet', across('cy', 'bakery', 1), '422 no_alliance toCommune'],
      ];
      await refused(pay('ann', 'orchard'), cases());
      // Asked, not answered: still no alliance, and asking twice is refused.
      await endlessRequest();
      await refused(pay('ann', 'orchard'), cases());
      await refused(propose('ann', 'orchard'), [
        [
          'asked already',
          ally({ commune: 'bakery', tradeLimit: 10, rate: 2 }),
          `422 alliance_already_requested ${commune}`,
        ],
      ]);
    });
    /** Orchard asks the bakery (10 orchard = 20 bakery), which does not answer yet. */
    async function endlessRequest() {
      const r = await propose(
        'ann',
        'orchard',
      )(ally({ commune: 'bakery', tradeLimit: 10, rate: 2 }));
      assert.equal(r.status, 201);
      const passed = await t.post(
        `/api/v1/proposals/${r.body.id}/votes`,
        { position: 'consent' },
        c.tok('ann'),
      );
      assert.equal(passed.body.status, 'passed');
    }

    it('refuses allying twice, payments beyond the trade limit or to a non-member, and after the end', async () => {
      // The bakery answers the standing request.
      const open = await t.get('/api/v1/communes/bakery/proposals', c.tok('cy'));
      const mirrored = open.body.items.find(
        (p: { status: string; action?: { type: string } }) =>
          p.status === 'open' && p.action?.type === 'form_alliance',
      );
      const yes = await t.post(
        `/api/v1/proposals/${mirrored.id}/votes`,
        { position: 'consent' },
        c.tok('cy'),
      );
      assert.equal(yes.body.action.executed, true, JSON.stringify(yes.body));
      await refused(propose('ann', 'orchard'), [
        [
          'allied already',
          ally({ commune: 'bakery', tradeLimit: 10, rate: 2 }),
          `422 already_allied ${commune}`,
        ],
      ]);
      await refused(propose('cy', 'bakery'), [
        [
          'allied already, the other side',
          ally({ commune: 'orchard', tradeLimit: 20, rate: 0.5 }),
          `422 already_allied ${commune}`,
        ],
      ]);
      await refused(pay('ann', 'orchard'), [
        ['beyond the limit out', across('cy', 'bakery', 11), '422 trade_limit_exceeded'],
        ['payee outside the bakery', across('dan', 'bakery', 1), '422 payee_not_member to'],
        ['payee of my own commune', across('ann', 'bakery', 1), '422 payee_not_member to'],
        [
          'pending across',
          across('cy', 'bakery', 1, { pending: true }),
          '422 not_supported_yet pending',
        ],
      ]);
      await refused(pay('cy', 'bakery'), [
        ['beyond the limit back', across('ann', 'orchard', 21), '422 trade_limit_exceeded'],
        ['too small to convert', across('ann', 'orchard', 1), '422 amount_too_small amount'],
      ]);
      await refused(
        (body) => t.post('/api/v1/communes/orchard/transfers/batch', body, c.tok('ann')),
        [
          [
            'across in a batch',
            { transfers: [across('cy', 'bakery', 1)] },
            '422 not_supported_yet transfers.0.toCommune',
          ],
        ],
      );
      // Within the limit it goes through; after the end nothing new starts.
      assert.equal((await pay('ann', 'orchard')(across('cy', 'bakery', 4))).status, 201);
      await endAllianceByDecision(t, v('bakery', 'cy'), 'orchard');
      await refused(pay('ann', 'orchard'), [
        ['ended', across('cy', 'bakery', 1), '422 no_alliance toCommune'],
      ]);
      await refused(pay('cy', 'bakery'), [
        ['ended, back', across('ann', 'orchard', 4), '422 no_alliance toCommune'],
      ]);
    });
  });
}
