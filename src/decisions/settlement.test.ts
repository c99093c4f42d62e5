import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { optionNames, voteArb } from './methods/arbitraries.testing.ts';
import { statusOf } from './proposals.ts';
import { METHODS } from './method-shapes.ts';
import { settlement, tallyOf, type CommuneVoters, type TallySubject } from './tallying.ts';

// settlement() is what lets a proposal close before its time: if it says settled, no ballot
// still possible may change the status (passed / rejected / expired) or the winner.
const voters = (n: number): CommuneVoters => ({
  members: Array.from({ length: n }, (_, i) => ({ id: `m${i}`, handle: `m${i}` })),
  delegations: [],
});
const noOptions = new Set(['consent', 'consensus', 'advice']);
const subjectOf = (method: (typeof METHODS)[number], quorum: number): TallySubject => ({
  method,
  options: noOptions.has(method) ? [] : method === 'majority' ? ['yes', 'no'] : optionNames(3),
  quorum,
  threshold: null,
  budget: method === 'allocation' ? 10 : null,
  topic: null,
  subjectId: null,
  authorDecision: method === 'advice' ? 'passed' : null,
  thresholdBasis: null,
});
const result = (p: TallySubject, votes: unknown[], receipts: string[], all: CommuneVoters) => {
  const t = tallyOf(p, { anonymous: true, votes, receipts }, all, true);
  return [statusOf(t), 'winner' in t ? t.winner : null];
};

describe('settlement', () => {
  for (const method of METHODS) {
    it(`${method}, anonymous: settled means no late ballots change status or winner`, () => {
      let settledEarly = 0;
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 7 }),
          fc.constantFrom(0, 0.5, 1),
          fc.integer({ min: 0, max: 7 }),
          fc.array(voteArb(method, subjectOf(method, 0).options), { maxLength: 14 }),
          (n, quorum, k, pool) => {
            const p = subjectOf(method, quorum);
            const all = voters(n);
            const cast = Math.min(k, n, pool.length);
            const votes = pool.slice(0, cast);
            const receipts = all.members.slice(0, cast).map((m) => m.id);
            const s = settlement(p, { anonymous: true, votes, receipts }, all);
            assert.equal(s.notVoted, n - cast);
            if (!s.settled) return;
            if (s.notVoted > 0) settledEarly++;
            const late = pool.slice(cast, n);
            const everyone = all.members.slice(0, cast + late.length).map((m) => m.id);
            assert.deepEqual(
              result(p, [...votes, ...late], everyone, all),
              result(p, votes, receipts, all),
            );
          },
        ),
        { numRuns: 1000 },
      );
      if (method !== 'advice') assert.ok(settledEarly > 0, 'some profile settled early');
    });
  }

  it('never settles a named proposal while a member has not voted themselves', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...METHODS),
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 0, max: 5 }),
        (method, n, k) => {
          const p = subjectOf(method, 0);
          const all = voters(n);
          const cast = Math.min(k, n - 1);
          const vote = fc.sample(voteArb(method, p.options), 1)[0];
          const votes = all.members.slice(0, cast).map((m) => ({ voterId: m.id, vote }));
          // Everyone else lends their vote to the first voter: still not settled.
          const lent =
            cast > 0
              ? all.members.slice(cast).map((m) => ({ from: m.id, to: 'm0', topic: null }))
              : [];
          const s = settlement(p, { anonymous: false, votes }, { ...all, delegations: lent });
          assert.equal(s.settled, false);
          assert.deepEqual([s.notVoted, s.delegated], [n - cast, cast > 0 ? n - cast : 0]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('waits for the author of an advice proposal, and for everyone to advise', () => {
    const all = voters(3);
    const p = { ...subjectOf('advice', 0), authorDecision: null };
    const advice = { position: 'support', reason: 'ok' };
    const votes = all.members.map((m) => ({ voterId: m.id, vote: advice }));
    assert.equal(settlement(p, { anonymous: false, votes }, all).awaitingAuthor, true);
    const decided = { ...p, authorDecision: 'passed' as const };
    assert.equal(settlement(decided, { anonymous: false, votes }, all).settled, true);
    const some = votes.slice(0, 2);
    assert.equal(settlement(decided, { anonymous: false, votes: some }, all).settled, false);
  });
});
