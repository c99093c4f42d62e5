import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { availableDatabases } from '../db/testing.ts';
import { found, join, manualClock } from './communes.fixtures.ts';
import { INVITE_DAYS } from './communes.ts';
import { membershipRepository } from './membership.repository.ts';

const DAY = 86_400_000;

for (const { kind, skip } of await availableDatabases()) {
  describe(`membership on ${kind}`, { skip }, () => {
    // Every test starts from a fresh database and clock, and makes the members it needs.
    let t: TestApp;
    let clock: ReturnType<typeof manualClock>;
    let steward: string;
    let tokens: Record<string, string>;
    const members = async (handle: string) =>
      (await t.get(`/api/v1/communes/${handle}/members`, steward)).body.map(
        (m: { handle: string; role: string }) => `${m.handle}:${m.role}`,
      );
    const count = async (handle: string) =>
      (await t.get(`/api/v1/communes/${handle}`, steward)).body.memberCount as number;
    const pending = async (handle: string) =>
      (await t.get(`/api/v1/communes/${handle}/applications`, steward)).body.items as {
        id: string;
        handle: string;
        message: string;
      }[];

    beforeEach(async () => {
      clock = manualClock();
      t = await startTestApp(kind, { clock });
      steward = await t.person('stew');
      tokens = {};
      for (const h of ['amy', 'bo', 'cal', 'dot', 'eli']) tokens[h] = await t.person(h);
    });
    afterEach(() => t.close());
    const tok = (h: string) => tokens[h]!;
    /** Joins each person to an open commune, insisting it worked. */
    const joined = async (handle: string, ...people: string[]) => {
      for (const h of people) assert.equal((await join(t, tok(h), handle)).status, 201, h);
    };

    describe('open communes', () => {
      beforeEach(() => found(t, steward, 'open_c', { maxMembers: 3 }));

      it('admit at once and count the member', async () => {
        const r = await join(t, tok('amy'), 'open_c', { message: 'hello' });
        assert.equal(r.status, 201);
        assert.equal(r.body.status, 'member');
        assert.equal(typeof r.body.id, 'string');
        assert.deepEqual(await members('open_c'), ['stew:steward', 'amy:member']);
        assert.equal(await count('open_c'), 2);
        assert.deepEqual((await t.get('/api/v1/me', tok('amy'))).body.communes, [
          { handle: 'open_c', role: 'member' },
        ]);
        assert.equal(
          (await t.get('/api/v1/communes/open_c', tok('amy'))).body.viewerRole,
          'member',
        );
      });

      it('answer 409 already_member, 401 to the anonymous and 404 for unknown communes', async () => {
        await joined('open_c', 'amy');
        const again = await join(t, tok('amy'), 'open_c');
        assert.deepEqual([again.status, again.body.error.code], [409, 'already_member']);
        assert.equal((await join(t, undefined, 'open_c')).status, 401);
        assert.equal((await join(t, tok('bo'), 'no_such_commune')).status, 404);
        assert.equal((await join(t, tok('bo'), 'NOT A HANDLE')).status, 404);
      });

      it('require acceptAgreements to be literally true and check field types', async () => {
        await joined('open_c', 'amy');
        const cases: [unknown, string][] = [
          [{}, 'acceptAgreements'],
          [{ acceptAgreements: false }, 'acceptAgreements'],
          [{ acceptAgreements: 'true' }, 'acceptAgreements'],
          [{ acceptAgreements: 1 }, 'acceptAgreements'],
          [{ acceptAgreements: true, message: 5 }, 'message'],
          [{ acceptAgreements: true, message: 'x'.repeat(2001) }, 'message'],
          [{ acceptAgreements: true, inviteCode: 12 }, 'inviteCode'],
        ];
        for (const [body, field] of cases) {
          const r = await t.post('/api/v1/communes/open_c/applications', body, tok('bo'));
          assert.deepEqual([r.status, r.body.error.field], [400, field], JSON.stringify(body));
        }
        const bad = await t.post(
          '/api/v1/communes/open_c/applications',
          '{acceptAgreements: true}',
          tok('bo'),
        );
        assert.deepEqual([bad.status, bad.body.error.code], [400, 'malformed_json']);
        assert.equal(await count('open_c'), 2);
      });

      it('answer 409 commune_full at the cap', async () => {
        await joined('open_c', 'amy');
        assert.equal((await join(t, tok('bo'), 'open_c')).status, 201);
        const r = await join(t, tok('cal'), 'open_c');
        assert.deepEqual([r.status, r.body.error.code], [409, 'commune_full']);
        assert.equal(await count('open_c'), 3);
      });

      it('let members leave, decrementing the count, and rejoin', async () => {
        await joined('open_c', 'amy', 'bo');
        assert.equal((await t.del('/api/v1/communes/open_c/members/me', tok('bo'))).status, 204);
        assert.equal(await count('open_c'), 2);
        assert.deepEqual(await members('open_c'), ['stew:steward', 'amy:member']);
        assert.deepEqual((await t.get('/api/v1/me', tok('bo'))).body.communes, []);
        const twice = await t.del('/api/v1/communes/open_c/members/me', tok('bo'));
        assert.deepEqual([twice.status, twice.body.error.code], [404, 'not_member']);
        assert.equal((await t.del('/api/v1/communes/open_c/members/me')).status, 401);
        assert.equal((await t.del('/api/v1/communes/nowhere/members/me', tok('bo'))).status, 404);
        assert.equal((await join(t, tok('cal'), 'open_c')).status, 201);
        assert.equal(await count('open_c'), 3);
      });

      it('let the last steward leave, making the longest-standing member steward', async () => {
        await joined('open_c', 'amy', 'cal');
        assert.deepEqual(await members('open_c'), ['stew:steward', 'amy:member', 'cal:member']);
        assert.equal((await t.del('/api/v1/communes/open_c/members/me', steward)).status, 204);
        assert.deepEqual(await members('open_c'), ['amy:steward', 'cal:member']);
        assert.equal(await count('open_c'), 2);
        assert.deepEqual((await t.get('/api/v1/me', tok('amy'))).body.communes, [
          { handle: 'open_c', role: 'steward' },
        ]);
        assert.equal((await t.del('/api/v1/communes/open_c/members/me', tok('amy'))).status, 204);
        assert.deepEqual(await members('open_c'), ['cal:steward']);
        assert.equal((await t.del('/api/v1/communes/open_c/members/me', tok('cal'))).status, 204);
        const empty = await t.get('/api/v1/communes/open_c');
        assert.deepEqual(
          [empty.body.memberCount, (await t.get('/api/v1/communes/open_c/members')).body],
          [0, []],
        );
      });

      it('break a tie in joinedAt by handle when passing the steward role on', async () => {
        const made = await found(t, steward, 'tie_c');
        const repo = membershipRepository(t.deps.db);
        const ids = Object.fromEntries(
          await Promise.all(
            ['eli', 'dot'].map(async (h) => [
              h,
              (await t.get('/api/v1/me', tok(h))).body.id as string,
            ]),
          ),
        );
        const at = new Date(Date.now() + DAY).toISOString();
        for (const h of ['eli', 'dot']) {
          assert.equal(await repo.claimPlace(made.id), true);
          await repo.insertMembership({
            communeId: made.id,
            accountId: ids[h]!,
            role: 'member',
            joinedAt: at,
          });
        }
        assert.equal((await t.del('/api/v1/communes/tie_c/members/me', steward)).status, 204);
        assert.deepEqual(await members('tie_c'), ['dot:steward', 'eli:member']);
      });

      it('pass the role on when a remove_member proposal removes the only steward', async () => {
        await found(t, steward, 'remove_c');
        for (const h of ['bo', 'amy'])
          assert.equal((await join(t, tok(h), 'remove_c')).status, 201);
        const p = await t.post(
          '/api/v1/communes/remove_c/proposals',
          { title: 'Remove stew', action: { type: 'remove_member', params: { member: 'stew' } } },
          tok('amy'),
        );
        assert.equal(p.status, 201, JSON.stringify(p.body));
        await t.post(`/api/v1/proposals/${p.body.id}/votes`, { position: 'agree' }, tok('amy'));
        const passed = (
          await t.post(`/api/v1/proposals/${p.body.id}/votes`, { position: 'agree' }, tok('bo'))
        ).body;
        assert.deepEqual(
          [passed.status, passed.action.executed, passed.action.result],
          ['passed', true, { removed: 'stew' }],
        );
        assert.deepEqual(await members('remove_c'), ['bo:steward', 'amy:member']);
      });
    });

    describe('application communes', () => {
      beforeEach(async () => {
        await found(t, steward, 'apply_c', { joinPolicy: 'application', maxMembers: 3 });
        await found(t, steward, 'apply_other', { joinPolicy: 'application' });
      });

      // Admission is the commune's decision (src/decisions): each application opens an
      // admit_member proposal, and the steward shortcuts answer 422 decision_required.
      const admission = async (applicationId: string) =>
        (await t.get('/api/v1/communes/apply_c/proposals?status=open', steward)).body.items.find(
          (p: { action: { params: { application: string } } | null }) =>
            p.action?.params.application === applicationId,
        ) as { id: string };
      const voteOn = (id: string, token: string, body: Record<string, unknown>) =>
        t.post(`/api/v1/proposals/${id}/votes`, body, token);
      /** amy applies to apply_c and stew, its only member, consents: amy is in. */
      const amyAdmitted = async () => {
        const r = await join(t, tok('amy'), 'apply_c');
        const passed = await voteOn((await admission(r.body.id)).id, steward, {
          position: 'consent',
        });
        assert.deepEqual([passed.body.status, passed.body.action.executed], ['passed', true]);
      };
      /** bo applies to apply_c and waits. */
      const boApplied = async () => {
        const r = await join(t, tok('bo'), 'apply_c');
        assert.deepEqual([r.status, r.body.status], [201, 'pending']);
      };

      it('leave a request pending until its admit_member proposal passes', async () => {
        const r = await join(t, tok('amy'), 'apply_c', { message: 'I grow beans' });
        assert.deepEqual([r.status, r.body.status], [201, 'pending']);
        assert.deepEqual(await members('apply_c'), ['stew:steward']);
        const again = await join(t, tok('amy'), 'apply_c');
        assert.deepEqual([again.status, again.body.error.code], [409, 'application_pending']);
        const list = await pending('apply_c');
        assert.deepEqual(
          list.map((a) => [a.id, a.handle, a.message]),
          [[r.body.id, 'amy', 'I grow beans']],
        );
        const shortcut = await t.post(
          `/api/v1/communes/apply_c/applications/${r.body.id}/approve`,
          undefined,
          steward,
        );
        assert.deepEqual([shortcut.status, shortcut.body.error.code], [422, 'decision_required']);
        const passed = await voteOn((await admission(r.body.id)).id, steward, {
          position: 'consent',
        });
        assert.deepEqual([passed.body.status, passed.body.action.executed], ['passed', true]);
        assert.deepEqual(await members('apply_c'), ['stew:steward', 'amy:member']);
        assert.deepEqual(await pending('apply_c'), []);
        const twice = await t.post(
          `/api/v1/communes/apply_c/applications/${r.body.id}/approve`,
          undefined,
          steward,
        );
        assert.deepEqual([twice.status, twice.body.error.code], [409, 'application_not_pending']);
      });

      it('reject on an objection, after which the person may apply again', async () => {
        await amyAdmitted();
        const r = await join(t, tok('bo'), 'apply_c');
        const p = (await admission(r.body.id)).id;
        const objected = await voteOn(p, tok('amy'), { position: 'object', reason: 'Not yet' });
        assert.equal(
          objected.body.status,
          'open',
          'amy may still reconsider until every member has voted',
        );
        const no = await voteOn(p, steward, { position: 'consent' });
        assert.deepEqual([no.body.status, no.body.action.executed], ['rejected', false]);
        assert.deepEqual(await members('apply_c'), ['stew:steward', 'amy:member']);
        assert.equal(
          (
            await t.post(
              `/api/v1/communes/apply_c/applications/${r.body.id}/approve`,
              undefined,
              steward,
            )
          ).status,
          409,
        );
        assert.equal((await join(t, tok('bo'), 'apply_c')).status, 201);
      });

      it('answer 404 for unknown applications or those of another commune; members only', async () => {
        await boApplied();
        const elsewhere = await join(t, tok('cal'), 'apply_other');
        for (const id of ['00000000-0000-7000-8000-000000000000', 'not-an-id', elsewhere.body.id]) {
          assert.equal(
            (
              await t.post(
                `/api/v1/communes/apply_c/applications/${id}/approve`,
                undefined,
                steward,
              )
            ).status,
            404,
            id,
          );
          assert.equal(
            (await t.post(`/api/v1/communes/apply_c/applications/${id}/reject`, undefined, steward))
              .status,
            404,
            id,
          );
        }
        const bo = (await pending('apply_c')).find((a) => a.handle === 'bo')!;
        assert.equal(
          (
            await t.post(
              `/api/v1/communes/apply_c/applications/${bo.id}/approve`,
              undefined,
              tok('cal'),
            )
          ).status,
          403,
        );
        assert.equal(
          (
            await t.post(
              `/api/v1/communes/apply_c/applications/${bo.id}/reject`,
              undefined,
              tok('cal'),
            )
          ).status,
          403,
        );
      });

      it('respect the cap when admitting (commune_full: passed, not executed, the application stays pending)', async () => {
        await amyAdmitted();
        await boApplied();
        const dot = await join(t, tok('dot'), 'apply_c');
        const bo = (await pending('apply_c')).find((a) => a.handle === 'bo')!;
        const boAdmission = (await admission(bo.id)).id;
        await voteOn(boAdmission, steward, { position: 'consent' });
        assert.equal(
          (await voteOn(boAdmission, tok('amy'), { position: 'consent' })).body.action.executed,
          true,
        );
        const dotAdmission = (await admission(dot.body.id)).id;
        for (const h of ['amy', 'bo']) await voteOn(dotAdmission, tok(h), { position: 'consent' });
        const full = (await voteOn(dotAdmission, steward, { position: 'consent' })).body;
        assert.deepEqual(
          [full.status, full.action.executed, full.action.result.error.code],
          ['passed', false, 'commune_full'],
        );
        assert.deepEqual(
          (await pending('apply_c')).map((a) => a.handle),
          ['dot'],
        );
        assert.equal(await count('apply_c'), 3);
        const late = await join(t, tok('eli'), 'apply_c');
        assert.deepEqual([late.status, late.body.error.code], [409, 'commune_full']);
      });

      it('page pending applications oldest first', async () => {
        await found(t, steward, 'apply_many', { joinPolicy: 'application' });
        for (const h of ['amy', 'bo', 'cal']) await join(t, tok(h), 'apply_many');
        const first = await t.get('/api/v1/communes/apply_many/applications?limit=2', steward);
        assert.deepEqual(
          first.body.items.map((a: { handle: string }) => a.handle),
          ['amy', 'bo'],
        );
        const second = await t.get(
          `/api/v1/communes/apply_many/applications?limit=2&before=${first.body.next}`,
          steward,
        );
        assert.deepEqual(
          [second.body.items.map((a: { handle: string }) => a.handle), second.body.next],
          [['cal'], null],
        );
        assert.equal(
          (await t.get('/api/v1/communes/apply_many/applications?limit=500', steward)).status,
          400,
        );
      });
    });

    describe('invites', () => {
      beforeEach(async () => {
        await found(t, steward, 'invite_c', { joinPolicy: 'invite' });
        await found(t, steward, 'invite_p', { joinPolicy: 'invite', visibility: 'private' });
        await found(t, steward, 'invite_x', { joinPolicy: 'application' });
      });
      const invite = async (handle: string, token = steward) => {
        const r = await t.post(`/api/v1/communes/${handle}/invites`, undefined, token);
        assert.equal(r.status, 201);
        return r.body as { code: string; expiresAt: string };
      };

      it('need a code (422 invite_invalid without one or with an unknown one)', async () => {
        for (const extra of [{}, { inviteCode: 'made-up-code' }]) {
          const r = await join(t, tok('amy'), 'invite_c', extra);
          assert.deepEqual(
            [r.status, r.body.error.code],
            [422, 'invite_invalid'],
            JSON.stringify(extra),
          );
        }
      });

      it('admit with a fresh code, once only', async () => {
        const before = clock.now().getTime();
        const { code, expiresAt } = await invite('invite_c');
        const lifetime = Date.parse(expiresAt) - before;
        assert.ok(
          lifetime > INVITE_DAYS * DAY && lifetime < INVITE_DAYS * DAY + 100,
          String(lifetime),
        );
        assert.match(code, /^[A-Za-z0-9_-]{20,}$/);
        assert.notEqual((await invite('invite_c')).code, code);
        const r = await join(t, tok('amy'), 'invite_c', { inviteCode: code });
        assert.deepEqual([r.status, r.body.status], [201, 'member']);
        const reused = await join(t, tok('bo'), 'invite_c', { inviteCode: code });
        assert.deepEqual([reused.status, reused.body.error.code], [422, 'invite_invalid']);
        assert.deepEqual(await members('invite_c'), ['stew:steward', 'amy:member']);
      });

      it('let any member invite, but not outsiders or the anonymous', async () => {
        const first = await invite('invite_c');
        assert.equal(
          (await join(t, tok('amy'), 'invite_c', { inviteCode: first.code })).status,
          201,
        );
        const { code } = await invite('invite_c', tok('amy'));
        assert.equal((await join(t, tok('bo'), 'invite_c', { inviteCode: code })).status, 201);
        assert.equal(
          (await t.post('/api/v1/communes/invite_c/invites', undefined, tok('cal'))).status,
          403,
        );
        assert.equal((await t.post('/api/v1/communes/invite_c/invites', undefined)).status, 401);
      });

      it('expire after INVITE_DAYS', async () => {
        const early = await invite('invite_c');
        const late = await invite('invite_c');
        clock.advance(INVITE_DAYS * DAY - 1000);
        assert.equal(
          (await join(t, tok('cal'), 'invite_c', { inviteCode: early.code })).status,
          201,
        );
        clock.advance(1000);
        const r = await join(t, tok('dot'), 'invite_c', { inviteCode: late.code });
        assert.deepEqual([r.status, r.body.error.code], [422, 'invite_invalid']);
      });

      it('belong to one commune only', async () => {
        const { code } = await invite('invite_x');
        const r = await join(t, tok('dot'), 'invite_c', { inviteCode: code });
        assert.deepEqual([r.status, r.body.error.code], [422, 'invite_invalid']);
      });

      it('open a private commune to the invited only', async () => {
        assert.equal((await join(t, tok('dot'), 'invite_p')).status, 404);
        assert.equal((await join(t, tok('dot'), 'invite_p', { inviteCode: 'guess' })).status, 404);
        const { code } = await invite('invite_p');
        assert.equal((await join(t, undefined, 'invite_p', { inviteCode: code })).status, 401);
        const r = await join(t, tok('dot'), 'invite_p', { inviteCode: code });
        assert.deepEqual([r.status, r.body.status], [201, 'member']);
        assert.equal((await t.get('/api/v1/communes/invite_p', tok('dot'))).status, 200);
      });

      // Admission is the members' decision: in an application commune an invite only lets one apply.
      const admissionFor = async (handle: string, applicationId: string) =>
        (
          (await t.get(`/api/v1/communes/${handle}/proposals?status=open`, steward)).body.items as {
            id: string;
            action: { type: string; params: { application: string } } | null;
          }[]
        ).find(
          (p) => p.action?.type === 'admit_member' && p.action.params.application === applicationId,
        );

      it('let the invited apply to an application commune, opening its admit_member proposal', async () => {
        const { code } = await invite('invite_x');
        const r = await join(t, tok('eli'), 'invite_x', {
          inviteCode: code,
          message: 'Stew invited me',
        });
        assert.deepEqual([r.status, r.body.status], [201, 'pending']);
        assert.deepEqual(await members('invite_x'), ['stew:steward']);
        assert.deepEqual(
          (await pending('invite_x')).map((a) => [a.id, a.handle]),
          [[r.body.id, 'eli']],
        );
        assert.ok(await admissionFor('invite_x', r.body.id), 'an open admit_member proposal');
        // The code was spent on that application.
        const reused = await join(t, tok('dot'), 'invite_x', { inviteCode: code });
        assert.deepEqual([reused.status, reused.body.error.code], [422, 'invite_invalid']);
        // A second application while one waits is refused, and leaves its code unspent.
        const another = await invite('invite_x');
        const twice = await join(t, tok('eli'), 'invite_x', { inviteCode: another.code });
        assert.deepEqual([twice.status, twice.body.error.code], [409, 'application_pending']);
        assert.deepEqual(
          (await join(t, tok('dot'), 'invite_x', { inviteCode: another.code })).body.status,
          'pending',
        );
        assert.equal(await count('invite_x'), 1);
      });

      it('show a private application commune to the invited, who then apply', async () => {
        await found(t, steward, 'invite_q', { joinPolicy: 'application', visibility: 'private' });
        assert.equal((await join(t, tok('amy'), 'invite_q')).status, 404);
        const { code } = await invite('invite_q');
        const r = await join(t, tok('amy'), 'invite_q', { inviteCode: code });
        assert.deepEqual([r.status, r.body.status], [201, 'pending']);
        assert.ok(await admissionFor('invite_q', r.body.id), 'an open admit_member proposal');
        assert.deepEqual(await members('invite_q'), ['stew:steward']);
      });

      it('ignore a stray or stale code in an open commune', async () => {
        await found(t, steward, 'invite_o');
        const elsewhere = await invite('invite_x');
        const used = await invite('invite_o');
        assert.equal(
          (await join(t, tok('cal'), 'invite_o', { inviteCode: used.code })).body.status,
          'member',
        );
        for (const [h, inviteCode] of [
          ['amy', 'made-up-code'],
          ['bo', elsewhere.code],
          ['dot', used.code],
        ] as const) {
          const r = await join(t, tok(h), 'invite_o', { inviteCode });
          assert.deepEqual([r.status, r.body.status], [201, 'member'], h);
        }
        assert.equal(await count('invite_o'), 5);
      });
    });
  });
}
