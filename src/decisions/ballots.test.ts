import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { manualClock } from '../communes/communes.fixtures.ts';
import { availableDatabases } from '../db/testing.ts';
import { communeOf, crew, hoursFrom, propose, proposed, vote } from './decisions.fixtures.ts';

for (const { kind, skip } of await availableDatabases()) {
  describe(`ballots, delegation and bad input on ${kind}`, { skip }, () => {
    // Each test starts from a fresh guild, where nobody has delegated or voted yet.
    let t: TestApp;
    let clock: ReturnType<typeof manualClock>;
    let c: ReturnType<typeof crew>;
    const tok = (h: string) => c.tok(h);
    const soon = (hours = 24) => hoursFrom(clock.now(), hours);
    const get = async (id: string, who?: string) =>
      (await t.get(`/api/v1/proposals/${id}`, who ? tok(who) : undefined)).body;
    beforeEach(async () => {
      clock = manualClock();
      c = crew();
      t = await startTestApp(kind, { clock });
      await communeOf(t, c, 'guild', ['ann', 'ben', 'cat', 'dan', 'eve']);
      await communeOf(t, c, 'other', ['zed']);
    });
    afterEach(() => t.close());

    describe('anonymous proposals', () => {
      it('take one vote per member, never changed, and show no voter anywhere', async () => {
        const p = await proposed(t, tok('ann'), 'guild', {
          title: 'Secret ballot',
          method: 'majority',
          options: ['tea', 'coffee'],
          closesAt: soon(),
          anonymous: true,
        });
        assert.equal((await vote(t, tok('ben'), p.id, { choice: 'tea' })).status, 201);
        const again = await vote(t, tok('ben'), p.id, { choice: 'coffee' });
        assert.deepEqual([again.status, again.body.error.code], [409, 'already_voted']);
        await vote(t, tok('cat'), p.id, { choice: 'coffee' });
        const last = await vote(t, tok('dan'), p.id, { choice: 'tea', reason: 'warmer' });
        assert.deepEqual(last.body.viewerVote, {
          voted: true,
          vote: null,
          castAt: null,
          delegatedTo: null,
        });
        assert.deepEqual(last.body.tally.counts, [
          { option: 'tea', weight: 2 },
          { option: 'coffee', weight: 1 },
        ]);
        assert.deepEqual(last.body.tally.carried, [
          { voter: null, weight: 1 },
          { voter: null, weight: 1 },
          { voter: null, weight: 1 },
        ]);
        const ballots = (await t.get(`/api/v1/proposals/${p.id}/votes`, tok('ann'))).body;
        assert.equal(ballots.anonymous, true);
        assert.ok(
          ballots.items.every(
            (b: { voter: unknown; castAt: unknown }) => b.voter === null && b.castAt === null,
          ),
        );
        assert.deepEqual(
          ballots.items.map((b: { vote: { choice: string } }) => b.vote.choice).sort(),
          ['coffee', 'tea', 'tea'],
        );
      });

      it('store ballots that no stored row links to their voter', async () => {
        const p = await proposed(t, tok('ann'), 'guild', {
          title: 'Who to thank',
          method: 'score',
          options: ['a', 'b'],
          closesAt: soon(),
          anonymous: true,
        });
        const idsBefore: string[] = [];
        for (const [i, h] of ['ann', 'ben', 'cat'].entries()) {
          await vote(t, tok(h), p.id, { scores: { a: i, b: 5 - i } });
          const rows = await t.deps.db
            .selectFrom('anonymous_ballots')
            .selectAll()
            .where('proposal_id', '=', p.id)
            .execute();
          // Every vote deals the urn again: no ballot keeps an id from before.
          assert.ok(rows.every((r) => !idsBefore.includes(r.id)));
          idsBefore.splice(0, idsBefore.length, ...rows.map((r) => r.id));
        }
        const accounts = await t.deps.db.selectFrom('accounts').select(['id', 'handle']).execute();
        const ballots = await t.deps.db
          .selectFrom('anonymous_ballots')
          .selectAll()
          .where('proposal_id', '=', p.id)
          .execute();
        const receipts = await t.deps.db
          .selectFrom('ballot_receipts')
          .selectAll()
          .where('proposal_id', '=', p.id)
          .execute();
        assert.deepEqual(
          Object.keys(ballots[0]!).sort(),
          ['id', 'proposal_id', 'vote'],
          'a ballot holds no voter and no time',
        );
        assert.deepEqual(
          Object.keys(receipts[0]!).sort(),
          ['proposal_id', 'voter_id'],
          'a receipt holds no ballot and no time',
        );
        assert.equal(receipts.length, 3);
        for (const b of ballots) {
          for (const a of accounts)
            assert.ok(!b.vote.includes(a.id) && !b.id.includes(a.id), 'no voter inside a ballot');
          assert.match(
            b.id,
            /^[0-9a-f]{8}-[0-9a-f]{4}-4/,
            'ballot ids are random (v4), not time-ordered',
          );
        }
        assert.equal(
          (
            await t.deps.db
              .selectFrom('votes')
              .select('voter_id')
              .where('proposal_id', '=', p.id)
              .execute()
          ).length,
          0,
        );
        if (kind === 'postgres') {
          // All ballots were written by the last vote's transaction: the writer tells nothing apart.
          const xmins = await sql<{
            x: string;
          }>`select xmin::text as x from anonymous_ballots where proposal_id = ${p.id}`.execute(
            t.deps.db,
          );
          assert.equal(new Set(xmins.rows.map((r) => r.x)).size, 1);
        }
      });
    });

    describe('delegation', () => {
      const delegate = (who: string, to: string | null, topic?: string) =>
        t.put(
          '/api/v1/communes/guild/delegation',
          topic === undefined ? { to } : { to, topic },
          tok(who),
        );
      /** ann → ben; cat → ben on money; dan → cat. */
      const delegated = async () => {
        for (const [who, to, topic] of [
          ['ann', 'ben', undefined],
          ['cat', 'ben', 'money'],
          ['dan', 'cat', undefined],
        ] as const)
          assert.equal((await delegate(who, to, topic)).status, 200, who);
      };

      it('is set, listed for members, and refused to yourself or to non-members', async () => {
        assert.deepEqual((await delegate('ann', 'ben')).body, {
          from: 'ann',
          to: 'ben',
          topic: null,
        });
        assert.deepEqual((await delegate('cat', 'ben', 'Money')).body, {
          from: 'cat',
          to: 'ben',
          topic: 'money',
        });
        assert.equal((await delegate('dan', 'cat')).status, 200);
        const list = await t.get('/api/v1/communes/guild/delegations', tok('eve'));
        assert.deepEqual(
          list.body.items.map((d: { from: string; to: string; topic: string | null }) => [
            d.from,
            d.to,
            d.topic,
          ]),
          [
            ['ann', 'ben', null],
            ['cat', 'ben', 'money'],
            ['dan', 'cat', null],
          ],
        );
        assert.equal(
          list.body.next,
          null,
          'a list of the contract: { items, next }, here always whole',
        );
        assert.equal((await t.get('/api/v1/communes/guild/delegations', tok('zed'))).status, 403);
        assert.equal((await t.get('/api/v1/communes/guild/delegations')).status, 401);
        const self = await delegate('eve', 'eve');
        assert.deepEqual([self.status, self.body.error.code], [422, 'self_delegation']);
        for (const to of ['zed', 'nobody_here']) {
          const r = await delegate('eve', to);
          assert.deepEqual([r.status, r.body.error.code], [422, 'delegate_not_member'], to);
        }
        assert.equal((await delegate('eve', 'ben', '')).status, 400);
        assert.equal(
          (await t.put('/api/v1/communes/guild/delegation', { to: 'ben' }, tok('zed'))).status,
          403,
        );
      });

      it('carries votes transitively, per topic, until the member votes directly', async () => {
        await delegated();
        const p = await proposed(t, tok('eve'), 'guild', {
          title: 'Budget',
          method: 'majority',
          closesAt: soon(),
          topic: 'money',
        });
        const carried = async () =>
          Object.fromEntries(
            ((await get(p.id, 'ann')).tally.carried as { voter: string; weight: number }[]).map(
              (x) => [x.voter, x.weight],
            ),
          );
        assert.equal((await get(p.id, 'dan')).viewerVote.delegatedTo, null, 'nobody voted yet');
        await vote(t, tok('ben'), p.id, { choice: 'yes' });
        // ann → ben; cat → ben on money; dan → cat → ben.
        assert.deepEqual(await carried(), { ben: 4 });
        assert.equal((await get(p.id, 'dan')).viewerVote.delegatedTo, 'ben');
        const eve = await vote(t, tok('eve'), p.id, { choice: 'no' });
        assert.equal(
          eve.body.status,
          'open',
          'a delegation is not a vote: ann, cat and dan may still vote themselves',
        );
        assert.deepEqual([eve.body.tally.castWeight, eve.body.tally.outcome], [5, 'undecided']);
        await vote(t, tok('ann'), p.id, { choice: 'no' });
        assert.deepEqual(await carried(), { ben: 3, eve: 1, ann: 1 });
        assert.equal((await delegate('cat', null, 'money')).body.to, null);
        // cat lends nothing on money now and has no general delegation: cat's and dan's votes stay uncast.
        assert.deepEqual(await carried(), { ben: 1, eve: 1, ann: 1 });
        const closed = await t.post(`/api/v1/proposals/${p.id}/close`, undefined, tok('eve'));
        assert.deepEqual(
          [closed.body.status, closed.body.tally.reason],
          ['rejected', 'threshold_not_met'],
        );
      });

      it('breaks cycles: a loop that reaches no voter casts nothing', async () => {
        await delegated();
        await delegate('ben', 'ann');
        const p = await proposed(t, tok('eve'), 'guild', {
          title: 'Paint',
          method: 'majority',
          closesAt: soon(),
        });
        await vote(t, tok('eve'), p.id, { choice: 'yes' });
        // ann → ben → ann, dan → cat: none of them voted.
        const tally = (await get(p.id, 'cat')).tally;
        assert.deepEqual([tally.castWeight, tally.carried], [1, [{ voter: 'eve', weight: 1 }]]);
        await vote(t, tok('ann'), p.id, { choice: 'yes' });
        assert.deepEqual((await get(p.id, 'ann')).tally.carried, [
          { voter: 'eve', weight: 1 },
          { voter: 'ann', weight: 2 },
        ]);
      });
    });

    describe('bad input: a clear 4xx that changes nothing', () => {
      it('refuses proposals with an unknown method, a past closesAt, missing or duplicated options, or invalid action params', async () => {
        const count = async () =>
          (await t.get('/api/v1/communes/guild/proposals?limit=200')).body.items.length as number;
        const before = await count();
        const cases: [Record<string, unknown>, number, string][] = [
          [{ method: 'sortition' }, 400, 'unknown_method'],
          [{ method: undefined }, 400, 'method_required'],
          [
            { closesAt: new Date(clock.now().getTime() - 1000).toISOString() },
            400,
            'closes_at_past',
          ],
          [{ closesAt: 'next tuesday' }, 400, 'invalid_input'],
          [{ closesAt: undefined }, 400, 'closes_at_required'],
          [{ method: 'ranked' }, 400, 'options_missing'],
          [{ method: 'ranked', options: ['pears', 'Pears '] }, 400, 'options_duplicated'],
          [{ method: 'consent', options: ['a', 'b'] }, 400, 'options_not_allowed'],
          [{ threshold: 1.5 }, 400, 'invalid_threshold'],
          [{ quorum: -0.1 }, 400, 'invalid_quorum'],
          [{ opensAt: soon(48) }, 400, 'opens_after_close'],
          [
            {
              method: undefined,
              closesAt: undefined,
              action: { type: 'spend', params: { to: 'ben', amount: -5 } },
            },
            400,
            'invalid_input',
          ],
          [
            {
              method: undefined,
              closesAt: undefined,
              action: { type: 'spend', params: { to: 'zed', amount: 5 } },
            },
            422,
            'not_a_member',
          ],
          [
            { method: undefined, closesAt: undefined, action: { type: 'teleport', params: {} } },
            400,
            'invalid_input',
          ],
          [
            {
              method: undefined,
              closesAt: undefined,
              action: { type: 'set_credit_limit', params: { member: 'default', limit: null } },
            },
            422,
            'limit_required',
          ],
          [
            {
              method: undefined,
              closesAt: undefined,
              action: {
                type: 'admit_member',
                params: { application: '00000000-0000-7000-8000-000000000000' },
              },
            },
            404,
            'application_not_found',
          ],
        ];
        for (const [change, status, code] of cases) {
          const r = await propose(t, tok('ann'), 'guild', {
            title: 'Bad',
            method: 'majority',
            closesAt: soon(),
            ...change,
          });
          assert.deepEqual([r.status, r.body.error?.code], [status, code], JSON.stringify(change));
        }
        assert.equal(await count(), before);
      });

      it('refuses votes that do not fit, come too late, or come from the wrong person', async () => {
        const ranked = await proposed(t, tok('ann'), 'guild', {
          title: 'Rank',
          method: 'ranked',
          options: ['x', 'y', 'z'],
          closesAt: soon(),
        });
        const scored = await proposed(t, tok('ann'), 'guild', {
          title: 'Score',
          method: 'score',
          options: ['x', 'y'],
          closesAt: soon(),
        });
        const dots = await proposed(t, tok('ann'), 'guild', {
          title: 'Dots',
          method: 'allocation',
          options: ['x', 'y'],
          budget: 10,
          closesAt: soon(),
        });
        const removal = await proposed(t, tok('ann'), 'guild', {
          title: 'Remove eve',
          action: { type: 'remove_member', params: { member: 'eve' } },
        });
        const done = await proposed(t, tok('ann'), 'guild', {
          title: 'Done',
          method: 'consent',
          closesAt: soon(),
        });
        await t.post(`/api/v1/proposals/${done.id}/close`, undefined, tok('ann'));
        const cases: [string, string | undefined, unknown, number, string][] = [
          [ranked.id, 'ben', { ranking: ['x', 'w'] }, 400, 'invalid_input'],
          [ranked.id, 'ben', { ranking: ['x', 'x'] }, 400, 'invalid_input'],
          [ranked.id, 'ben', { choice: 'x' }, 400, 'invalid_input'],
          [scored.id, 'ben', { scores: { x: 6 } }, 400, 'invalid_input'],
          [scored.id, 'ben', { scores: { x: -1 } }, 400, 'invalid_input'],
          [dots.id, 'ben', { allocation: { x: 6, y: 5 } }, 400, 'invalid_input'],
          [dots.id, 'ben', '[1, 2]', 400, 'invalid_input'],
          [dots.id, 'ben', '{"allocation":', 400, 'malformed_json'],
          [done.id, 'ben', { position: 'consent' }, 422, 'voting_ended'],
          [ranked.id, 'zed', { ranking: ['x'] }, 403, 'members_only'],
          [ranked.id, undefined, { ranking: ['x'] }, 401, 'not_signed_in'],
          [removal.id, 'eve', { position: 'agree' }, 422, 'subject_cannot_vote'],
          [
            '00000000-0000-7000-8000-000000000000',
            'ben',
            { position: 'agree' },
            404,
            'proposal_not_found',
          ],
          ['not-an-id', 'ben', { position: 'agree' }, 404, 'proposal_not_found'],
        ];
        for (const [id, who, body, status, code] of cases) {
          const r = await vote(t, who ? tok(who) : undefined, id, body);
          assert.deepEqual(
            [r.status, r.body.error?.code],
            [status, code],
            `${who} ${JSON.stringify(body)}`,
          );
        }
        for (const p of [ranked, scored, dots, removal])
          assert.deepEqual(
            (await t.get(`/api/v1/proposals/${p.id}/votes`, tok('ann'))).body.items,
            [],
            p.title,
          );
        assert.equal(
          (await get(removal.id)).tally.eligible,
          4,
          'the member to remove does not count',
        );
      });

      it('never answers 5xx, whatever the body', async () => {
        const p = await proposed(t, tok('ann'), 'guild', {
          title: 'Fuzz',
          method: 'allocation',
          options: ['x', 'y'],
          closesAt: soon(),
        });
        await fc.assert(
          fc.asyncProperty(fc.jsonValue(), fc.boolean(), async (body, asVote) => {
            const r = asVote
              ? await vote(t, tok('ben'), p.id, body)
              : await propose(t, tok('ben'), 'guild', body as Record<string, unknown>);
            assert.ok(r.status < 500, `${r.status} for ${JSON.stringify(body)}`);
            if (r.status >= 400) assert.equal(typeof r.body.error.code, 'string');
          }),
          { numRuns: 60 },
        );
      });
    });
  });
}
