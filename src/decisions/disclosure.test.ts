import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { availableDatabases } from '../db/testing.ts';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { communeOf, crew, propose, proposed, vote } from './decisions.fixtures.ts';

// What a public commune shows outsiders (ADR 0026): charter, members and discussions; its
// books and named ballots only once a change_governance decision opens them.

const MEMO = 'rent for the shed';

for (const { kind, skip } of await availableDatabases()) {
  describe(`what a public commune shows outsiders on ${kind}`, { skip }, () => {
    let t: TestApp;
    const c = crew();
    const tok = (h: string) => c.tok(h);
    let transferId: string;
    let pollId: string;

    /** Every read of the books, by path. */
    const books = () => [
      '/api/v1/communes/plaza/ledger',
      '/api/v1/communes/plaza/ledger/audit',
      '/api/v1/communes/plaza/transfers',
      `/api/v1/communes/plaza/transfers/${transferId}`,
      '/api/v1/communes/plaza/accounts/ben/statement',
      '/api/v1/communes/plaza/accounts/ben/statement.csv',
      '/api/v1/communes/plaza/credit-limit-changes',
    ];
    const ballots = () => `/api/v1/proposals/${pollId}/votes`;

    /** Who may read a path: [anonymous, outsider, member] statuses. */
    const statuses = async (path: string) => [
      (await t.get(path)).status,
      (await t.get(path, tok('zoe'))).status,
      (await t.get(path, tok('ben'))).status,
    ];

    /** Passes a change_governance with these settings: both members agree. */
    async function decide(params: Record<string, unknown>) {
      const p = await proposed(t, tok('ann'), 'plaza', {
        title: 'What outsiders see',
        action: { type: 'change_governance', ...params },
      });
      for (const h of ['ann', 'ben']) await vote(t, tok(h), p.id, { position: 'agree' });
      const done = await t.get(`/api/v1/proposals/${p.id}`, tok('ann'));
      assert.deepEqual(
        [done.body.status, done.body.action.executed],
        ['passed', true],
        JSON.stringify(done.body),
      );
      return done.body;
    }
    const voters = async (token?: string) =>
      (
        (await t.get(`/api/v1/proposals/${pollId}`, token)).body.tally.carried as {
          voter: string | null;
        }[]
      ).map((x) => x.voter);

    before(async () => {
      t = await startTestApp(kind);
      await communeOf(t, c, 'plaza', ['ann', 'ben']);
      await communeOf(t, c, 'elsewhere', ['zoe']);
      const paid = await t.post(
        '/api/v1/communes/plaza/transfers',
        { id: randomUUID(), to: 'ben', amount: 5, memo: MEMO },
        tok('ann'),
      );
      assert.equal(paid.status, 201, JSON.stringify(paid.body));
      transferId = paid.body.id;
      const poll = await proposed(t, tok('ann'), 'plaza', {
        title: 'Lunch',
        method: 'majority',
        options: ['soup', 'salad'],
        closesAt: new Date(Date.now() + 86_400_000).toISOString(),
      });
      pollId = poll.id;
      assert.equal((await vote(t, tok('ben'), pollId, { choice: 'soup' })).status, 201);
    });
    after(() => t.close());

    it('keeps the books and named ballots to members by default, and says so', async () => {
      for (const path of books()) assert.deepEqual(await statuses(path), [401, 403, 200], path);
      assert.deepEqual(await statuses(ballots()), [401, 403, 200]);
      const refused = await t.get('/api/v1/communes/plaza/ledger', tok('zoe'));
      assert.equal(refused.body.error.code, 'members_only');
      // The tally still counts, but does not name the voters to outsiders.
      assert.deepEqual(await voters(), [null]);
      assert.deepEqual(await voters(tok('zoe')), [null]);
      assert.deepEqual(await voters(tok('ann')), ['ben']);
      // Charter, members and discussions stay public.
      for (const path of [
        '/api/v1/communes/plaza',
        '/api/v1/communes/plaza/members',
        '/api/v1/communes/plaza/threads',
        '/api/v1/communes/plaza/proposals',
        '/api/v1/communes/plaza/governance',
      ]) {
        const r = await t.get(path);
        assert.equal(r.status, 200, path);
        assert.ok(!JSON.stringify(r.body).includes(MEMO), `${path} shows no memo`);
      }
      const commune = (await t.get('/api/v1/communes/plaza')).body;
      assert.deepEqual([commune.openBooks, commune.openBallots], [false, false]);
      const governance = (await t.get('/api/v1/communes/plaza/governance')).body;
      assert.deepEqual([governance.openBooks, governance.openBallots], [false, false]);
    });

    it('opens the books by decision, and closes them again the same way', async () => {
      const opened = await decide({ openBooks: true });
      assert.deepEqual(opened.action.params, { openBooks: true });
      assert.deepEqual(opened.action.result, { changed: ['openBooks'] });
      for (const path of books()) assert.deepEqual(await statuses(path), [200, 200, 200], path);
      const ledger = await t.get('/api/v1/communes/plaza/transfers');
      assert.ok(JSON.stringify(ledger.body).includes(MEMO));
      // Ballots stay closed: the two settings are separate.
      assert.deepEqual(await statuses(ballots()), [401, 403, 200]);
      assert.deepEqual(await voters(), [null]);
      const commune = (await t.get('/api/v1/communes/plaza')).body;
      assert.deepEqual([commune.openBooks, commune.openBallots], [true, false]);

      await decide({ openBooks: false, openBallots: true });
      for (const path of books()) assert.deepEqual(await statuses(path), [401, 403, 200], path);
      assert.deepEqual(await statuses(ballots()), [200, 200, 200]);
      const named = (await t.get(ballots())).body.items.map((b: { voter: string }) => b.voter);
      assert.deepEqual(named, ['ben']);
      assert.deepEqual(await voters(), ['ben']);
      const governance = (await t.get('/api/v1/communes/plaza/governance')).body;
      assert.deepEqual([governance.openBooks, governance.openBallots], [false, true]);
      // The rules themselves did not change.
      assert.equal(governance.rules.spend.proposal, null);
    });

    it('changes rules and settings together, and refuses a change that names nothing', async () => {
      const both = await decide({
        rules: { spend: { method: 'consent', durationHours: 72 } },
        openBooks: true,
      });
      assert.deepEqual(both.action.result, { changed: ['spend', 'openBooks'] });
      const governance = (await t.get('/api/v1/communes/plaza/governance')).body;
      assert.deepEqual(
        [governance.rules.spend.method, governance.openBooks, governance.openBallots],
        ['consent', true, true],
      );
      for (const [params, why] of [
        [{}, 'nothing named'],
        [{ openBooks: 'yes' }, 'not a boolean'],
        [{ openBallots: null }, 'null'],
        [{ openLedger: true }, 'unknown key'],
      ] as const) {
        const r = await propose(t, tok('ann'), 'plaza', {
          title: 'Bad',
          action: { type: 'change_governance', ...params },
        });
        assert.deepEqual([r.status, r.body.error.code], [400, 'invalid_input'], why);
      }
      // Only members may propose it.
      const outsider = await propose(t, tok('zoe'), 'plaza', {
        title: 'Open up',
        action: { type: 'change_governance', openBooks: true },
      });
      assert.deepEqual([outsider.status, outsider.body.error.code], [403, 'members_only']);
    });

    it('never shows a private commune to outsiders, whatever it opened', async () => {
      await communeOf(t, c, 'hideout', ['ann', 'ben'], { visibility: 'private' });
      const p = await proposed(t, tok('ann'), 'hideout', {
        title: 'Open our books',
        action: { type: 'change_governance', openBooks: true, openBallots: true },
      });
      for (const h of ['ann', 'ben']) await vote(t, tok(h), p.id, { position: 'agree' });
      for (const path of [
        '/api/v1/communes/hideout/ledger',
        '/api/v1/communes/hideout/transfers',
      ]) {
        assert.equal((await t.get(path)).status, 404, path);
        assert.equal((await t.get(path, tok('zoe'))).status, 404, path);
        assert.equal((await t.get(path, tok('ben'))).status, 200, path);
      }
      assert.equal((await t.get(`/api/v1/proposals/${p.id}/votes`, tok('zoe'))).status, 404);
    });
  });
}
