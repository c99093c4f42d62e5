import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { manualClock } from '../communes/communes.fixtures.ts';
import { availableDatabases } from '../db/testing.ts';
import { communeOf, crew, hoursFrom, propose, proposed, vote } from './decisions.fixtures.ts';
import { DEFAULT_GOVERNANCE } from './governance.ts';
import * as consensus from './methods/consensus.ts';
import { validateSettings } from './methods/index.ts';
import * as majority from './methods/majority.ts';
import type { Ballot } from './method-shapes.ts';

const ballots = <V>(...pairs: [number, V][]): Ballot<V>[] =>
  pairs.map(([weight, vote], i) => ({ voter: `v${i}`, weight, vote }));
const verdict = (t: { outcome: string; reason: string | null }) => [t.outcome, t.reason];

describe('what a threshold counts', () => {
  const quiet = ballots<consensus.ConsensusVote>(
    [1, { position: 'agree' }],
    [1, { position: 'abstain' }],
    [1, { position: 'abstain' }],
    [1, { position: 'abstain' }],
    [1, { position: 'abstain' }],
  );
  const input = { options: [], ballots: quiet, eligible: 10, quorum: 0.5, closed: true };

  it('consensus: 1 agree and 4 abstentions of 10 members do not pass (eligible by default)', () => {
    const t = consensus.tally(input);
    assert.equal(t.thresholdBasis, 'eligible');
    assert.deepEqual(verdict(t), ['rejected', 'threshold_not_met']);
    // Counted on votes cast, abstentions stand aside and the one agree carries it.
    const cast = consensus.tally({ ...input, thresholdBasis: 'cast' });
    assert.deepEqual([cast.thresholdBasis, ...verdict(cast)], ['cast', 'passed', null]);
  });

  it('consensus on eligible members counts delegated weight', () => {
    const t = consensus.tally({
      ...input,
      ballots: ballots<consensus.ConsensusVote>(
        [8, { position: 'agree' }],
        [1, { position: 'disagree' }],
      ),
    });
    assert.deepEqual(verdict(t), ['passed', null], '8 of 10 reach three quarters');
    const short = consensus.tally({
      ...input,
      ballots: ballots<consensus.ConsensusVote>([7, { position: 'agree' }]),
    });
    assert.deepEqual(verdict(short), ['rejected', 'threshold_not_met'], '7 of 10 do not');
  });

  it('majority: more than half of votes cast, or of all members', () => {
    const yesNo = {
      options: ['yes', 'no'],
      ballots: ballots<majority.MajorityVote>([4, { choice: 'yes' }], [1, { choice: 'no' }]),
      eligible: 10,
      quorum: 0,
      closed: true,
    };
    assert.deepEqual(verdict(majority.tally(yesNo)), ['passed', null]);
    assert.deepEqual(verdict(majority.tally({ ...yesNo, thresholdBasis: 'eligible' })), [
      'rejected',
      'threshold_not_met',
    ]);
  });

  it('every rule with a threshold says what it counts; consensus counts eligible members', () => {
    for (const [type, rule] of Object.entries(DEFAULT_GOVERNANCE)) {
      const expected =
        rule.method === 'consensus' ? 'eligible' : rule.method === 'majority' ? 'cast' : null;
      assert.equal(rule.thresholdBasis, expected, type);
    }
  });

  it('validates the basis: only where a threshold is used', () => {
    const s = validateSettings('consent', { thresholdBasis: 'eligible' });
    assert.ok(!s.ok && s.error.code === 'threshold_not_used' && s.error.field === 'thresholdBasis');
    const m = validateSettings('majority', { thresholdBasis: 'eligible' });
    assert.ok(m.ok && m.value.thresholdBasis === 'eligible');
  });
});

for (const { kind, skip } of await availableDatabases()) {
  describe(`threshold basis, stored and shown, on ${kind}`, { skip }, () => {
    let t: TestApp;
    const clock = manualClock();
    const c = crew();
    const tok = c.tok;
    const ten = ['ann', 'ben', 'cat', 'dan', 'eve', 'fay', 'gus', 'hal', 'ivy', 'jon'];
    before(async () => {
      t = await startTestApp(kind, { clock });
      await communeOf(t, c, 'ten', ten);
      await communeOf(t, c, 'four', ['kim', 'lou', 'max', 'ned']);
    });
    after(() => t.close());

    const storedBasis = async (
      table: 'proposals' | 'governance_rules',
      column: string,
      id: string,
    ) =>
      (
        await sql<{
          basis: string | null;
        }>`select threshold_basis as basis from ${sql.table(table)} where ${sql.ref(column)} = ${id}`.execute(
          t.deps.db,
        )
      ).rows.map((r) => r.basis);

    async function quietConsensus(extra: Record<string, unknown>) {
      const p = await proposed(t, tok('ann'), 'ten', {
        title: 'Paint the barn',
        method: 'consensus',
        quorum: 0.5,
        closesAt: hoursFrom(clock.now(), 24),
        ...extra,
      });
      assert.equal((await vote(t, tok('ann'), p.id, { position: 'agree' })).status, 201);
      for (const h of ['ben', 'cat', 'dan', 'eve'])
        assert.equal((await vote(t, tok(h), p.id, { position: 'abstain' })).status, 201);
      const closed = await t.post(`/api/v1/proposals/${p.id}/close`, undefined, tok('ann'));
      assert.equal(closed.status, 200, JSON.stringify(closed.body));
      return { p, closed: closed.body };
    }

    it('consensus defaults to eligible members: 1 agree + 4 abstain of 10 is rejected', async () => {
      const { p, closed } = await quietConsensus({});
      assert.equal(p.thresholdBasis, 'eligible');
      assert.deepEqual(await storedBasis('proposals', 'id', p.id), ['eligible']);
      assert.deepEqual(
        [closed.status, closed.tally.reason, closed.tally.quorumMet, closed.thresholdBasis],
        ['rejected', 'threshold_not_met', true, 'eligible'],
      );
      const again = (await t.get(`/api/v1/proposals/${p.id}`)).body;
      assert.equal(again.thresholdBasis, 'eligible');
    });

    it('a proposal may count votes cast instead, and then the same votes pass', async () => {
      const { p, closed } = await quietConsensus({ thresholdBasis: 'cast' });
      assert.equal(p.thresholdBasis, 'cast');
      assert.deepEqual(await storedBasis('proposals', 'id', p.id), ['cast']);
      assert.equal(closed.status, 'passed');
    });

    it('refuses a basis it does not know, or on a method without a threshold', async () => {
      const base = { title: 'x', closesAt: hoursFrom(clock.now(), 24) };
      const unknown = await propose(t, tok('ann'), 'ten', {
        ...base,
        method: 'consensus',
        thresholdBasis: 'everyone',
      });
      assert.deepEqual([unknown.status, unknown.body.error.field], [400, 'thresholdBasis']);
      const consent = await propose(t, tok('ann'), 'ten', {
        ...base,
        method: 'consent',
        thresholdBasis: 'cast',
      });
      assert.deepEqual(
        [consent.status, consent.body.error.code, consent.body.error.field],
        [400, 'threshold_not_used', 'thresholdBasis'],
      );
      const plain = await proposed(t, tok('ann'), 'ten', { ...base, method: 'consent' });
      assert.equal(plain.thresholdBasis, null);
      assert.deepEqual(await storedBasis('proposals', 'id', plain.id), [null]);
    });

    it('governance stores the basis change_governance sets, and action proposals follow it', async () => {
      const rules = (await t.get('/api/v1/communes/four/governance')).body.rules;
      assert.deepEqual(
        [
          rules.amend_charter.thresholdBasis,
          rules.spend.thresholdBasis,
          rules.admit_member.thresholdBasis,
        ],
        ['eligible', 'cast', null],
      );
      const change = await proposed(t, tok('kim'), 'four', {
        title: 'Spending needs half of us',
        action: {
          type: 'change_governance',
          params: { rules: { spend: { method: 'majority', thresholdBasis: 'eligible' } } },
        },
      });
      assert.equal(change.thresholdBasis, 'eligible');
      for (const h of ['kim', 'lou', 'max', 'ned'])
        assert.equal((await vote(t, tok(h), change.id, { position: 'agree' })).status, 201);
      const done = (await t.get(`/api/v1/proposals/${change.id}`)).body;
      assert.deepEqual([done.status, done.action.executed], ['passed', true]);
      const spend = (await t.get('/api/v1/communes/four/governance')).body.rules.spend;
      assert.deepEqual(
        [spend.method, spend.threshold, spend.thresholdBasis],
        ['majority', 0.5, 'eligible'],
      );
      const communeId = (await t.get('/api/v1/communes/four')).body.id;
      assert.deepEqual(
        await sql<{
          basis: string;
        }>`select threshold_basis as basis from governance_rules where commune_id = ${communeId} and action_type = 'spend'`
          .execute(t.deps.db)
          .then((r) => r.rows.map((x) => x.basis)),
        ['eligible'],
      );
      const action = { type: 'set_credit_limit', params: { member: 'default', limit: 10 } };
      const spendAction = { type: 'spend', params: { to: 'lou', amount: 1 } };
      const follows = await proposed(t, tok('kim'), 'four', {
        title: 'Seeds',
        action: spendAction,
      });
      assert.equal(follows.thresholdBasis, 'eligible');
      const mismatch = await propose(t, tok('kim'), 'four', {
        title: 'Seeds',
        action: spendAction,
        thresholdBasis: 'cast',
      });
      assert.deepEqual(
        [mismatch.status, mismatch.body.error.code, mismatch.body.error.field],
        [422, 'governance_mismatch', 'thresholdBasis'],
      );
      const other = await proposed(t, tok('kim'), 'four', { title: 'Limit', action });
      assert.equal(other.thresholdBasis, 'cast');
    });
  });
}
