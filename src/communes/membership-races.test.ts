import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { availableDatabases } from '../db/testing.ts';
import { eventBus } from '../events/events.service.ts';
import { fail, ok } from '../shared/result.ts';
import { found, join, manualClock } from './communes.fixtures.ts';
import { charterSchema } from './communes.ts';
import { communesService } from './communes.service.ts';
import type { Executor } from '../db/transaction.ts';

for (const { kind, skip } of await availableDatabases()) {
  describe(`membership races and hooks on ${kind}`, { skip }, () => {
    let t: TestApp;
    let steward: string;
    const crowd: string[] = [];
    const clock = manualClock();
    /** Past the admission rule's 72 hours: a close no longer needs a settled result. */
    const pastClosing = () => clock.advance(73 * 3_600_000);
    before(async () => {
      t = await startTestApp(kind, { clock });
      steward = await t.person('stew');
      for (let i = 0; i < 20; i += 1) crowd.push(await t.person(`p${i}`));
    });
    after(() => t.close());
    const statuses = (rs: { status: number }[]) => rs.map((r) => r.status).sort((a, b) => a - b);

    it('admits exactly 5 of 20 concurrent joins into a commune with 5 free places', async () => {
      await found(t, steward, 'race_open', { maxMembers: 6 });
      const rs = await Promise.all(crowd.map((token) => join(t, token, 'race_open')));
      assert.deepEqual(statuses(rs), [...Array(5).fill(201), ...Array(15).fill(409)]);
      assert.ok(
        rs.filter((r) => r.status === 409).every((r) => r.body.error.code === 'commune_full'),
      );
      const commune = await t.get('/api/v1/communes/race_open');
      const members = await t.get('/api/v1/communes/race_open/members');
      assert.deepEqual([commune.body.memberCount, members.body.length], [6, 6]);
    });

    it('admits one person once when they join twice at the same moment', async () => {
      await found(t, steward, 'race_twice');
      const rs = await Promise.all([
        join(t, crowd[0], 'race_twice'),
        join(t, crowd[0], 'race_twice'),
        join(t, crowd[0], 'race_twice'),
      ]);
      assert.deepEqual(statuses(rs), [201, 409, 409]);
      assert.ok(
        rs.filter((r) => r.status === 409).every((r) => r.body.error.code === 'already_member'),
      );
      assert.equal((await t.get('/api/v1/communes/race_twice')).body.memberCount, 2);
    });

    it('lets one invite code admit one person even when ten use it at once', async () => {
      await found(t, steward, 'race_invite', { joinPolicy: 'invite' });
      const { code } = (await t.post('/api/v1/communes/race_invite/invites', undefined, steward))
        .body;
      const rs = await Promise.all(
        crowd.slice(0, 10).map((token) => join(t, token, 'race_invite', { inviteCode: code })),
      );
      assert.deepEqual(statuses(rs), [201, ...Array(9).fill(422)]);
      assert.equal((await t.get('/api/v1/communes/race_invite')).body.memberCount, 2);
    });

    // Admission goes through admit_member proposals (src/decisions); closing many at once races for the places.
    const admissionOf = async (commune: string, applicationId: string) =>
      (
        (await t.get(`/api/v1/communes/${commune}/proposals?status=open&limit=200`, steward)).body
          .items as { id: string; action: { params: { application: string } } }[]
      ).find((p) => p.action.params.application === applicationId)!.id;

    it('keeps the cap when many admissions pass at once', async () => {
      await found(t, steward, 'race_apply', { joinPolicy: 'application', maxMembers: 3 });
      const applied = await Promise.all(
        crowd.slice(0, 8).map((token) => join(t, token, 'race_apply')),
      );
      assert.ok(applied.every((r) => r.status === 201 && r.body.status === 'pending'));
      const proposals = await Promise.all(applied.map((a) => admissionOf('race_apply', a.body.id)));
      // Unopposed consent passes at the close; once voting time is over the steward closes
      // all eight at once (before it, the result is not settled: members may still object).
      pastClosing();
      const rs = await Promise.all(
        proposals.map((id) => t.post(`/api/v1/proposals/${id}/close`, undefined, steward)),
      );
      assert.ok(rs.every((r) => r.status === 200 && r.body.status === 'passed'));
      const executed = rs.map((r) => r.body.action.executed).sort();
      assert.deepEqual(executed, [...Array(6).fill(false), true, true]);
      assert.ok(
        rs
          .filter((r) => !r.body.action.executed)
          .every((r) => r.body.action.result.error.code === 'commune_full'),
      );
      assert.equal((await t.get('/api/v1/communes/race_apply')).body.memberCount, 3);
      assert.equal(
        (await t.get('/api/v1/communes/race_apply/applications', steward)).body.items.length,
        6,
      );
    });

    it('lets only one application per person wait, even under a race', async () => {
      await found(t, steward, 'race_pending', { joinPolicy: 'application' });
      const rs = await Promise.all([1, 2, 3, 4].map(() => join(t, crowd[1], 'race_pending')));
      assert.deepEqual(statuses(rs), [201, 409, 409, 409]);
      assert.equal(
        (await t.get('/api/v1/communes/race_pending/applications', steward)).body.items.length,
        1,
      );
    });

    // An invite admits only in an invite-only commune, so the applications here were filed
    // before the commune changed its policy (as a passed amend_charter would).
    it('admits once, without deadlock, when an admission and an invite race for one applicant', async () => {
      const { id } = await found(t, steward, 'race_both', { joinPolicy: 'application' });
      const people = crowd.slice(10, 16);
      const applied = await Promise.all(people.map((token) => join(t, token, 'race_both')));
      assert.ok((await communesService(t.deps).amendCharter(id, { joinPolicy: 'invite' })).ok);
      pastClosing();
      for (const [i, token] of people.entries()) {
        const proposal = await admissionOf('race_both', applied[i]!.body.id);
        const { code } = (await t.post('/api/v1/communes/race_both/invites', undefined, steward))
          .body;
        const [closed, invited] = await Promise.all([
          t.post(`/api/v1/proposals/${proposal}/close`, undefined, steward),
          join(t, token, 'race_both', { inviteCode: code }),
        ]);
        const outcomes = [closed.body.action.executed, invited.status];
        assert.ok(
          JSON.stringify(outcomes) === '[true,409]' || JSON.stringify(outcomes) === '[false,201]',
          JSON.stringify([closed.body, invited.body]),
        );
      }
      assert.equal((await t.get('/api/v1/communes/race_both')).body.memberCount, 7);
    });

    describe('membership events, in-transaction subscribers', () => {
      const idOf = async (token: string) => (await t.get('/api/v1/me', token)).body.id as string;
      const rowExists = async (tx: Executor, communeId: string) =>
        (await tx
          .selectFrom('communes')
          .select('id')
          .where('id', '=', communeId)
          .executeTakeFirst()) !== undefined;

      it('runs inside the transactions that create, admit and release', async () => {
        const calls: string[] = [];
        let refuseLeaving = true;
        const events = eventBus(t.deps);
        events.inTransaction('test.created', ['commune_created'], async (tx, e) => {
          calls.push(`created:${await rowExists(tx, e.event.communeId)}`);
        });
        events.inTransaction('test.joined', ['member_joined'], async (tx, e) => {
          const m = await tx
            .selectFrom('memberships')
            .select('role')
            .where('commune_id', '=', e.event.communeId)
            .where('account_id', '=', e.event.accountId)
            .executeTakeFirst();
          calls.push(`joined:${m?.role}`);
        });
        events.inTransaction('test.left', ['member_left'], async () => {
          calls.push('leaving');
          return refuseLeaving
            ? fail('rule_violation', 'balance_not_zero', 'Settle your balance first')
            : ok(undefined);
        });
        const svc = communesService(t.deps, events);
        const stewardId = await idOf(steward);
        const made = await svc.create(
          charterSchema.parse({
            handle: 'hooked',
            name: 'H',
            vision: 'v',
            category: 'other',
            joinPolicy: 'open',
            visibility: 'public',
          }),
          stewardId,
        );
        assert.equal(made.ok, true);
        const memberId = await idOf(crowd[2]!);
        assert.deepEqual(
          (await svc.apply('hooked', memberId, { acceptAgreements: true })).ok,
          true,
        );
        assert.deepEqual(calls, ['created:true', 'joined:steward', 'joined:member']);

        const leave = async () => {
          const access = await svc.permit('hooked', memberId, 'signed_in');
          assert.ok(access.ok);
          return svc.leave(access.value, memberId);
        };
        const refused = await leave();
        assert.deepEqual(!refused.ok && refused.error.code, 'balance_not_zero');
        assert.equal((await t.get('/api/v1/communes/hooked')).body.memberCount, 2);
        refuseLeaving = false;
        assert.equal((await leave()).ok, true);
        assert.equal((await t.get('/api/v1/communes/hooked')).body.memberCount, 1);
        assert.deepEqual(calls.slice(3), ['leaving', 'leaving']);
      });

      it('rolls the whole creation back when a subscriber throws', async () => {
        const events = eventBus(t.deps);
        events.inTransaction('test.down', ['member_joined'], async () => {
          throw new Error('ledger down');
        });
        const svc = communesService(t.deps, events);
        const input = charterSchema.parse({
          handle: 'doomed',
          name: 'D',
          vision: 'v',
          category: 'other',
          joinPolicy: 'open',
          visibility: 'public',
        });
        await assert.rejects(svc.create(input, await idOf(steward)), /ledger down/);
        assert.equal((await t.get('/api/v1/communes/doomed')).status, 404);
        assert.equal((await t.post('/api/v1/communes', { ...input }, steward)).status, 201);
      });
    });
  });
}
