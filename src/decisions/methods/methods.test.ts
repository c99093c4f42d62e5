import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withoutVoters, type Ballot, type TallyInput } from '../method-shapes.ts';
import * as advice from './advice.ts';
import * as allocation from './allocation.ts';
import * as consensus from './consensus.ts';
import * as consent from './consent.ts';
import { methods } from './index.ts';
import * as majority from './majority.ts';
import * as score from './score.ts';
import * as time from './time.ts';

/** Ballots from [weight, vote] pairs, voters v0, v1, … */
const ballots = <V>(...pairs: [number, V][]): Ballot<V>[] =>
  pairs.map(([weight, vote], i) => ({ voter: `v${i}`, weight, vote }));
const closed = <V>(b: Ballot<V>[], rest: Partial<TallyInput<V>> = {}): TallyInput<V> => ({
  options: [],
  ballots: b,
  eligible: b.reduce((s, x) => s + x.weight, 0),
  quorum: 0,
  closed: true,
  ...rest,
});
const verdict = (t: { outcome: string; reason: string | null }) => [t.outcome, t.reason];

describe('consent', () => {
  it('passes with no objection and fails on one', () => {
    assert.deepEqual(
      verdict(
        consent.tally(closed(ballots([3, { position: 'consent' }], [1, { position: 'consent' }]))),
      ),
      ['passed', null],
    );
    const objected = consent.tally(
      closed(
        ballots([3, { position: 'consent' }], [1, { position: 'object', reason: 'too soon' }]),
      ),
    );
    assert.deepEqual(verdict(objected), ['rejected', 'objected']);
    assert.deepEqual(objected.counts, { consent: 3, object: 1 });
  });

  it('enforces quorum over eligible voters, counting delegated weight', () => {
    const input = closed(ballots([4, { position: 'consent' as const }]), {
      eligible: 10,
      quorum: 0.5,
    });
    assert.deepEqual(verdict(consent.tally(input)), ['rejected', 'quorum_not_met']);
    assert.deepEqual(
      verdict(consent.tally({ ...input, ballots: ballots([5, { position: 'consent' }]) })),
      ['passed', null],
    );
  });

  it('an objection settles an open proposal; silence does not', () => {
    const open = {
      ...closed(ballots([1, { position: 'object' as const, reason: 'no' }])),
      eligible: 10,
      closed: false,
    };
    assert.equal(consent.canStillChange(open), false);
    assert.deepEqual(verdict(consent.tally(open)), ['rejected', 'objected']);
    const quiet = { ...open, ballots: ballots([9, { position: 'consent' as const }]) };
    assert.equal(consent.canStillChange(quiet), true);
    assert.deepEqual(verdict(consent.tally(quiet)), ['undecided', 'open']);
  });
});

describe('consensus', () => {
  it('on votes cast, passes at the threshold, leaving abstentions out of the share', () => {
    const t = consensus.tally(
      closed(
        ballots(
          [3, { position: 'agree' }],
          [1, { position: 'disagree' }],
          [5, { position: 'abstain' }],
        ),
        { thresholdBasis: 'cast' },
      ),
    );
    assert.equal(t.agreeShare, 0.75);
    assert.equal(t.threshold, 0.75);
    assert.deepEqual(verdict(t), ['passed', null]);
  });

  it('fails below the threshold, and on any block whatever the share', () => {
    const low = consensus.tally(
      closed(ballots([2, { position: 'agree' }], [1, { position: 'disagree' }])),
    );
    assert.deepEqual(verdict(low), ['rejected', 'threshold_not_met']);
    assert.deepEqual(
      verdict(
        consensus.tally({
          ...closed(ballots([2, { position: 'agree' }], [1, { position: 'disagree' }])),
          threshold: 2 / 3,
        }),
      ),
      ['passed', null],
    );
    const blocked = consensus.tally(
      closed(ballots([20, { position: 'agree' }], [1, { position: 'block', reason: 'unsafe' }])),
    );
    assert.deepEqual(verdict(blocked), ['rejected', 'blocked']);
  });
});

describe('majority', () => {
  const yes = { choice: 'yes' };
  const no = { choice: 'no' };
  const motion = (...pairs: [number, { choice: string }][]) =>
    closed(ballots(...pairs), { options: ['yes', 'no'] });

  it('a motion passes with more than half, and not with exactly half', () => {
    const t = majority.tally(motion([6, yes], [4, no]));
    assert.deepEqual([...verdict(t), t.winner, t.motion], ['passed', null, 'yes', true]);
    assert.deepEqual(t.counts, [
      { option: 'yes', weight: 6 },
      { option: 'no', weight: 4 },
    ]);
    assert.deepEqual(verdict(majority.tally(motion([5, yes], [5, no]))), [
      'rejected',
      'threshold_not_met',
    ]);
    const lost = majority.tally(motion([4, yes], [6, no]));
    assert.deepEqual([...verdict(lost), lost.winner], ['rejected', 'threshold_not_met', 'no']);
  });

  it('yes/no in any case or order is a motion', () => {
    const t = majority.tally(
      closed(ballots([6, { choice: 'No' }], [4, { choice: 'Yes' }]), { options: ['No', 'Yes'] }),
    );
    assert.deepEqual(
      [...verdict(t), t.winner, t.motion],
      ['rejected', 'threshold_not_met', 'No', true],
    );
  });

  it('among several options, one needs more than the threshold', () => {
    const pick = (...pairs: [number, string][]) =>
      closed(
        ballots(...pairs.map(([w, choice]) => [w, { choice }] as [number, { choice: string }])),
        { options: ['A', 'B', 'C'] },
      );
    assert.equal(majority.tally(pick([6, 'A'], [4, 'B'])).winner, 'A');
    const split = majority.tally(pick([5, 'A'], [3, 'B'], [2, 'C']));
    assert.deepEqual(
      [...verdict(split), split.winner, split.winners],
      ['rejected', 'threshold_not_met', null, ['A']],
    );
    const tie = majority.tally({ ...pick([4, 'A'], [4, 'B'], [2, 'C']), threshold: 0.3 });
    assert.deepEqual(
      [...verdict(tie), tie.winner, tie.winners],
      ['rejected', 'tied', null, ['A', 'B']],
    );
  });

  it('settles early once yes has more than the threshold of everyone eligible', () => {
    const open = { ...motion([6, yes]), eligible: 10, closed: false };
    assert.equal(majority.canStillChange(open), false);
    assert.deepEqual(verdict(majority.tally(open)), ['passed', null]);
    assert.equal(majority.canStillChange({ ...open, ballots: ballots([5, yes]) }), true);
  });
});

describe('points methods', () => {
  it('score: totals and averages with weights; the highest total wins', () => {
    const t = score.tally(
      closed(
        ballots<score.ScoreVote>([2, { scores: { A: 5, B: 1 } }], [1, { scores: { B: 4, C: 3 } }]),
        { options: ['A', 'B', 'C'] },
      ),
    );
    assert.deepEqual(t.counts, [
      { option: 'A', weight: 10, average: 10 / 3 },
      { option: 'B', weight: 6, average: 2 },
      { option: 'C', weight: 3, average: 1 },
    ]);
    assert.deepEqual([t.outcome, t.winner], ['passed', 'A']);
  });

  it('score: a tie goes to the option listed first', () => {
    const t = score.tally(
      closed(ballots([1, { scores: { A: 3, B: 3 } }]), { options: ['B', 'A'] }),
    );
    assert.deepEqual([t.winners, t.winner], [['B', 'A'], 'B']);
  });

  it('allocation: most points wins, each ballot times its weight', () => {
    const t = allocation.tally(
      closed(
        ballots<allocation.AllocationVote>(
          [3, { allocation: { A: 4, B: 6 } }],
          [1, { allocation: { A: 10 } }],
        ),
        { options: ['A', 'B'] },
      ),
    );
    assert.deepEqual(t.counts, [
      { option: 'A', weight: 22 },
      { option: 'B', weight: 18 },
    ]);
    assert.deepEqual([t.winner, t.budget], ['A', 10]);
    assert.equal(
      allocation.tally(closed([], { options: ['A', 'B'], settings: { budget: 100 } })).budget,
      100,
    );
  });

  it('time: the best-attended slot wins; nobody available means no winner', () => {
    const slots = ['mon 18:00', 'tue 18:00'];
    const t = time.tally(
      closed(ballots([2, { available: ['tue 18:00'] }], [1, { available: slots }]), {
        options: slots,
      }),
    );
    assert.deepEqual(
      [t.counts.map((c) => c.weight), t.winner, t.outcome],
      [[1, 3], 'tue 18:00', 'passed'],
    );
    const none = time.tally(closed(ballots([1, { available: [] }]), { options: slots }));
    assert.deepEqual([...verdict(none), none.winner], ['rejected', 'no_votes', null]);
  });
});

describe('advice', () => {
  const heard = ballots(
    [1, { position: 'support' as const, reason: 'yes' }],
    [2, { position: 'concern' as const, reason: 'cost' }],
  );
  it('stays undecided until the author decides', () => {
    const t = advice.tally(closed(heard));
    assert.deepEqual(verdict(t), ['undecided', 'awaiting_author']);
    assert.deepEqual(t.counts, { support: 1, concern: 2 });
    assert.deepEqual(verdict(advice.tally(closed(heard, { authorDecision: 'passed' }))), [
      'passed',
      'author_decided',
    ]);
    assert.equal(advice.canStillChange({ ...closed(heard), eligible: 3, closed: false }), true);
  });
  it('still needs quorum', () => {
    assert.deepEqual(
      verdict(advice.tally(closed(heard, { authorDecision: 'passed', eligible: 10, quorum: 0.5 }))),
      ['rejected', 'quorum_not_met'],
    );
  });
});

describe('every tally', () => {
  it('shows how many votes each ballot carried, and can hide who cast them', () => {
    const t = consent.tally(
      closed(ballots([3, { position: 'consent' }], [1, { position: 'consent' }]), { eligible: 6 }),
    );
    assert.deepEqual(t.carried, [
      { voter: 'v0', weight: 3 },
      { voter: 'v1', weight: 1 },
    ]);
    assert.deepEqual([t.castWeight, t.ballotCount, t.eligible], [4, 2, 6]);
    assert.deepEqual(withoutVoters(t).carried, [
      { voter: null, weight: 3 },
      { voter: null, weight: 1 },
    ]);
    assert.deepEqual(JSON.parse(JSON.stringify(t)), t);
  });

  it('refuses impossible input: more weight than voters, a voter twice, weight 0', () => {
    assert.throws(
      () => consent.tally({ ...closed(ballots([3, { position: 'consent' }])), eligible: 2 }),
      /eligible/,
    );
    assert.throws(
      () =>
        consent.tally(
          closed([
            { voter: 'a', weight: 1, vote: { position: 'consent' } },
            { voter: 'a', weight: 1, vote: { position: 'consent' } },
          ]),
        ),
      /two ballots/,
    );
    assert.throws(() => consent.tally(closed(ballots([0, { position: 'consent' }]))), /weight/);
  });
});

describe('method registry', () => {
  it('re-checks stored votes before counting them', () => {
    const input = closed(ballots<unknown>([1, { ranking: ['B', 'A'] }]), { options: ['A', 'B'] });
    assert.equal(methods.ranked.tally(input).outcome, 'passed');
    assert.throws(
      () => methods.ranked.tally({ ...input, ballots: ballots<unknown>([1, { ranking: ['Z'] }]) }),
      /invalid/,
    );
  });
});
