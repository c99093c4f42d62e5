import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { join, manualClock } from '../communes/communes.fixtures.ts';
import { availableDatabases } from '../db/testing.ts';
import { HOUR, communeOf, crew, jobsOf, propose, vote } from './decisions.fixtures.ts';

// A fresh commune admits, spends and sets limits through decisions by default; the steward
// routes that used to bypass them now point at the proposal instead.
for (const { kind, skip } of await availableDatabases()) {
  describe(`admission through decisions on ${kind}`, { skip }, () => {
    let t: TestApp;
    let clock: ReturnType<typeof manualClock>;
    let c: ReturnType<typeof crew>;
    const tok = (h: string) => c.tok(h);
    const openAdmission = async (applicant: string) => {
      const list = await t.get('/api/v1/communes/club/proposals?status=open', tok('sam'));
      return list.body.items.find(
        (p: { action: { params: { applicant: string } } | null }) =>
          p.action?.params.applicant === applicant,
      );
    };
    const members = async () =>
      (await t.get('/api/v1/communes/club/members')).body
        .map((m: { handle: string }) => m.handle)
        .sort();
    /** Applies and insists the application is pending, with its proposal open. */
    async function applied(applicant: string, extra: Record<string, unknown> = {}) {
      const r = await join(t, tok(applicant), 'club', extra);
      assert.deepEqual([r.status, r.body.status], [201, 'pending'], JSON.stringify(r.body));
      const p = await openAdmission(applicant);
      assert.ok(p, `an open admission proposal for ${applicant}`);
      return p;
    }
    /** Admits xia the quick way: sam and tom both consent. */
    async function xiaAdmitted() {
      const p = await applied('xia');
      for (const h of ['sam', 'tom']) await vote(t, tok(h), p.id, { position: 'consent' });
      assert.deepEqual(await members(), ['sam', 'tom', 'xia']);
    }

    // Each test starts from a fresh club of sam and tom, where nobody has applied yet.
    beforeEach(async () => {
      clock = manualClock();
      c = crew();
      t = await startTestApp(kind, { clock });
      await communeOf(t, c, 'club', ['sam', 'tom'], { joinPolicy: 'application' });
      for (const h of ['xia', 'yan', 'zoe']) c.tokens[h] = await t.person(h);
    });
    afterEach(() => t.close());

    it('opens an admit_member proposal by itself when someone applies', async () => {
      const applied = await join(t, tok('xia'), 'club', { message: 'I bake bread' });
      assert.deepEqual([applied.status, applied.body.status], [201, 'pending']);
      const p = await openAdmission('xia');
      assert.ok(p, 'an open admission proposal');
      assert.deepEqual(
        [p.title, p.author, p.method, p.status],
        ['Admit @xia', null, 'consent', 'open'],
      );
      assert.equal(
        p.body,
        '@xia applied to join; members can read the application message in the applications list',
      );
      assert.deepEqual(p.action, {
        type: 'admit_member',
        params: { application: applied.body.id, applicant: 'xia' },
        executed: false,
        result: null,
      });
      assert.equal(new Date(p.closesAt).getTime() - new Date(p.createdAt).getTime(), 72 * HOUR);
    });

    it("keeps the application's message to members: the public decision log never shows it", async () => {
      assert.equal((await t.get('/api/v1/communes/club')).body.visibility, 'public');
      const p = await applied('xia', { message: 'I bake bread' });
      for (const path of ['/api/v1/communes/club/proposals', `/api/v1/proposals/${p.id}`]) {
        for (const token of [undefined, tok('yan')]) {
          const r = await t.get(path, token);
          assert.equal(r.status, 200, path);
          assert.ok(
            !JSON.stringify(r.body).includes('I bake bread'),
            `${path} shows the message to a non-member`,
          );
        }
      }
      assert.equal((await t.get('/api/v1/communes/club/applications')).status, 401);
      const listed = (await t.get('/api/v1/communes/club/applications', tok('sam'))).body.items;
      assert.equal(
        listed.find((a: { handle: string }) => a.handle === 'xia')?.message,
        'I bake bread',
        'members read it there',
      );
    });

    it('answers the steward shortcuts with 422 decision_required, naming the proposal', async () => {
      const p = await applied('xia');
      const application = p.action.params.application;
      for (const verb of ['approve', 'reject']) {
        const r = await t.post(
          `/api/v1/communes/club/applications/${application}/${verb}`,
          undefined,
          tok('sam'),
        );
        assert.deepEqual([r.status, r.body.error.code], [422, 'decision_required'], verb);
        assert.match(r.body.error.message, new RegExp(`/api/v1/proposals/${p.id}/votes`));
        assert.equal(
          (
            await t.post(
              `/api/v1/communes/club/applications/${application}/${verb}`,
              undefined,
              tok('xia'),
            )
          ).status,
          403,
        );
        assert.equal(
          (await t.post(`/api/v1/communes/club/applications/${application}/${verb}`, undefined))
            .status,
          401,
        );
        assert.equal(
          (
            await t.post(
              `/api/v1/communes/club/applications/00000000-0000-7000-8000-000000000000/${verb}`,
              undefined,
              tok('sam'),
            )
          ).status,
          404,
        );
      }
      for (const [path, body, action] of [
        ['/api/v1/communes/club', { name: 'Bakers' }, 'amend_charter'],
        ['/api/v1/communes/club/currency', { name: 'Loaves' }, 'set_currency'],
        ['/api/v1/communes/club/accounts/tom/credit-limit', { limit: 99 }, 'set_credit_limit'],
      ] as const) {
        const r = await t.put(path, body, tok('sam'));
        assert.deepEqual([r.status, r.body.error.code], [422, 'decision_required'], path);
        assert.match(r.body.error.message, new RegExp(action));
        assert.equal((await t.put(path, body, tok('xia'))).status, 403);
      }
      const ledger = (await t.get('/api/v1/communes/club/ledger', tok('sam'))).body;
      assert.equal(ledger.currency.name, 'Time credit', 'nothing changed');
      assert.equal(
        (await t.get('/api/v1/communes/club')).body.name,
        'Commune club',
        'the charter neither',
      );
      assert.deepEqual(await members(), ['sam', 'tom']);
    });

    it('admits once every member consented (early close)', async () => {
      const p = await applied('xia');
      assert.equal((await vote(t, tok('sam'), p.id, { position: 'consent' })).body.status, 'open');
      const last = await vote(t, tok('tom'), p.id, { position: 'consent' });
      assert.deepEqual(
        [last.body.status, last.body.action.executed, last.body.action.result],
        ['passed', true, { admitted: 'xia' }],
      );
      assert.deepEqual(await members(), ['sam', 'tom', 'xia']);
      assert.deepEqual(
        (await t.get('/api/v1/communes/club/applications', tok('sam'))).body.items,
        [],
      );
      const ledger = (await t.get('/api/v1/communes/club/ledger', tok('sam'))).body;
      assert.ok(
        ledger.accounts.some((a: { owner: string }) => a.owner === 'xia'),
        'the new member has an account',
      );
    });

    it('turns the application down on an objection, after which the person may apply again', async () => {
      await xiaAdmitted();
      const p = await applied('yan');
      const objected = await vote(t, tok('tom'), p.id, {
        position: 'object',
        reason: 'We have not met yet',
      });
      assert.deepEqual(
        [objected.body.status, objected.body.action.executed],
        ['open', false],
        'tom may still reconsider until everyone has voted',
      );
      assert.equal((await vote(t, tok('sam'), p.id, { position: 'consent' })).body.status, 'open');
      const last = await vote(t, tok('xia'), p.id, { position: 'consent' });
      assert.deepEqual(
        [last.body.status, last.body.action.executed, last.body.action.result],
        ['rejected', false, null],
      );
      assert.deepEqual(await members(), ['sam', 'tom', 'xia']);
      const again = await join(t, tok('yan'), 'club');
      assert.deepEqual([again.status, again.body.status], [201, 'pending']);
      assert.ok(await openAdmission('yan'), 'a new proposal for the new application');
    });

    it('refuses to propose admitting an application already decided, as membership does (409)', async () => {
      const p = await applied('xia');
      const application = p.action.params.application as string;
      for (const h of ['sam', 'tom']) await vote(t, tok(h), p.id, { position: 'consent' });
      assert.deepEqual(await members(), ['sam', 'tom', 'xia']);
      const before = (await t.get('/api/v1/communes/club/proposals', tok('sam'))).body.items;
      const again = await propose(t, tok('sam'), 'club', {
        title: 'Admit xia twice',
        action: { type: 'admit_member', params: { application } },
      });
      assert.deepEqual(
        [again.status, again.body.error.code, again.body.error.field],
        [409, 'application_not_pending', 'action.params.application'],
      );
      const after = (await t.get('/api/v1/communes/club/proposals', tok('sam'))).body.items;
      assert.deepEqual(after, before, 'nothing was proposed');
    });

    it('admits on silence when the consent period ends without objection, closed by the job queue', async () => {
      await xiaAdmitted();
      await applied('yan');
      const p = await applied('zoe');
      const jobs = jobsOf(t);
      clock.advance(71 * HOUR);
      await jobs.tick();
      assert.deepEqual(await members(), ['sam', 'tom', 'xia']);
      clock.advance(2 * HOUR);
      await jobs.tick();
      const closed = (await t.get(`/api/v1/proposals/${p.id}`)).body;
      assert.deepEqual([closed.status, closed.action.executed], ['passed', true]);
      // yan's application closed at the same time, unopposed.
      assert.deepEqual(await members(), ['sam', 'tom', 'xia', 'yan', 'zoe']);
    });
  });
}
