import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Ballot } from '../method-shapes.ts';
import { instantRunoff } from './irv.ts';
import { tally, canStillChange, type RankedVote } from './ranked.ts';
import { schulze, type IndexBallot } from './schulze.ts';

/** `profile([[5, 'ACBED'], …])`: one ballot per group, carrying the group's size as weight. */
function profile(groups: [number, string][]): Ballot<RankedVote>[] {
  return groups.map(([weight, order], i) => ({
    voter: `v${i}`,
    weight,
    vote: { ranking: [...order] },
  }));
}
const totalOf = (ballots: Ballot<unknown>[]) => ballots.reduce((s, b) => s + b.weight, 0);
const closedTally = (options: string[], ballots: Ballot<RankedVote>[]) =>
  tally({ options, ballots, eligible: totalOf(ballots), quorum: 0, closed: true });

/** Plain pairwise counts straight from the definition, to check the fast ones against. */
function prefers(ballots: IndexBallot[], i: number, j: number): number {
  let sum = 0;
  for (const { ranking, weight } of ballots) {
    const a = ranking.indexOf(i);
    const b = ranking.indexOf(j);
    if (a !== -1 && (b === -1 || a < b)) sum += weight;
  }
  return sum;
}

const profileArb = fc.integer({ min: 2, max: 6 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    ballots: fc.array(
      fc.record({
        ranking: fc.shuffledSubarray(
          Array.from({ length: n }, (_, i) => i),
          { minLength: 1 },
        ),
        weight: fc.integer({ min: 1, max: 4 }),
      }),
      { minLength: 1, maxLength: 15 },
    ),
  }),
);

describe('Schulze', () => {
  it('matches the worked example of 45 voters and 5 options (winner E)', () => {
    const ballots = profile([
      [5, 'ACBED'],
      [5, 'ADECB'],
      [8, 'BEDAC'],
      [3, 'CABED'],
      [7, 'CAEBD'],
      [2, 'CBADE'],
      [7, 'DCEBA'],
      [8, 'EBADC'],
    ]);
    const t = closedTally([...'ABCDE'], ballots);
    assert.deepEqual(t.pairwise, [
      [0, 20, 26, 30, 22],
      [25, 0, 16, 33, 18],
      [19, 29, 0, 17, 24],
      [15, 12, 28, 0, 14],
      [23, 27, 21, 31, 0],
    ]);
    assert.deepEqual(t.strongestPaths, [
      [0, 28, 28, 30, 24],
      [25, 0, 28, 33, 24],
      [25, 29, 0, 29, 24],
      [25, 28, 28, 0, 24],
      [25, 28, 28, 31, 0],
    ]);
    assert.equal(t.winner, 'E');
    assert.deepEqual(t.winners, ['E']);
    assert.deepEqual(t.order, ['E', 'A', 'C', 'B', 'D']);
    assert.equal(t.outcome, 'passed');
  });

  it('counts unranked options below every ranked one, tied among themselves', () => {
    const t = closedTally(['A', 'B', 'C'], profile([[1, 'B']]));
    assert.deepEqual(t.pairwise, [
      [0, 0, 0],
      [1, 0, 1],
      [0, 0, 0],
    ]);
    assert.equal(t.winner, 'B');
  });

  it('breaks a tie by option order and says who was tied', () => {
    const t = closedTally(
      ['A', 'B', 'C'],
      profile([
        [1, 'CA'],
        [1, 'AC'],
      ]),
    );
    assert.deepEqual(t.winners, ['A', 'C']);
    assert.equal(t.winner, 'A');
    const swapped = closedTally(
      ['C', 'B', 'A'],
      profile([
        [1, 'CA'],
        [1, 'AC'],
      ]),
    );
    assert.equal(swapped.winner, 'C');
  });

  it('picks the Condorcet winner whenever there is one', () => {
    let withWinner = 0;
    fc.assert(
      fc.property(profileArb, ({ n, ballots }) => {
        const result = schulze(n, ballots);
        for (let i = 0; i < n; i++)
          for (let j = 0; j < n; j++)
            if (i !== j) assert.equal(result.d[i]![j], prefers(ballots, i, j));
        const condorcet = Array.from({ length: n }, (_, c) => c).find((c) =>
          Array.from({ length: n }, (_, j) => j).every(
            (j) => j === c || prefers(ballots, c, j) > prefers(ballots, j, c),
          ),
        );
        assert.ok(result.winners.length > 0);
        if (condorcet !== undefined) {
          withWinner++;
          assert.deepEqual(result.winners, [condorcet]);
          assert.equal(result.order[0], condorcet);
        }
      }),
      { numRuns: 500 },
    );
    assert.ok(withWinner > 50, `only ${withWinner} profiles had a Condorcet winner`);
  });

  it('a ballot of weight w counts as w identical ballots', () => {
    fc.assert(
      fc.property(profileArb, ({ n, ballots }) => {
        const spread = ballots.flatMap((b) =>
          Array.from({ length: b.weight }, () => ({ ranking: b.ranking, weight: 1 })),
        );
        assert.deepEqual(schulze(n, ballots), schulze(n, spread));
        const options = Array.from({ length: n }, (_, i) => `o${i}`);
        assert.equal(instantRunoff(options, ballots).winner, instantRunoff(options, spread).winner);
      }),
    );
  });

  it('orders the options by Schulze, agreeing with the winners (alice [b,c], bob [c,a,b])', () => {
    const t = tally({
      options: ['a', 'b', 'c'],
      ballots: [
        { voter: 'alice', weight: 1, vote: { ranking: ['b', 'c'] } },
        { voter: 'bob', weight: 1, vote: { ranking: ['c', 'a', 'b'] } },
      ],
      eligible: 2,
      quorum: 0,
      closed: true,
    });
    // c beats a 2–0; b and c tie, as do a and b: b and c are unbeaten, b listed first.
    assert.deepEqual([t.winners, t.winner, t.order], [['b', 'c'], 'b', ['b', 'c', 'a']]);
  });

  it('order starts with the winner and never puts an option below one it beats by strongest paths', () => {
    fc.assert(
      fc.property(profileArb, ({ n, ballots }) => {
        const { p, winners, order } = schulze(n, ballots);
        assert.deepEqual(
          [...order].sort((a, b) => a - b),
          Array.from({ length: n }, (_, i) => i),
          'a permutation of the options',
        );
        assert.equal(order[0], winners[0]);
        const at = new Map(order.map((o, k) => [o, k]));
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++)
            if (p[i]![j]! > p[j]![i]!)
              assert.ok(at.get(i)! < at.get(j)!, `${i} beats ${j} but comes after it in ${order}`);
        }
        // Options sharing a tier keep option order (the documented tie-break).
        for (const tier of schulze(n, ballots).tiers)
          assert.deepEqual(
            tier,
            [...tier].sort((a, b) => a - b),
            `tier ${tier} out of order`,
          );
        const named = tally({
          options: Array.from({ length: n }, (_, i) => `o${i}`),
          ballots: ballots.map((b, k) => ({
            voter: `v${k}`,
            weight: b.weight,
            vote: { ranking: b.ranking.map((i) => `o${i}`) },
          })),
          eligible: 100,
          quorum: 0,
          closed: true,
        });
        assert.equal(named.order[0], named.winner);
      }),
      { numRuns: 500 },
    );
  });

  it('no winner is beaten by a strongest path', () => {
    fc.assert(
      fc.property(profileArb, ({ n, ballots }) => {
        const { p, winners } = schulze(n, ballots);
        for (const w of winners) for (let j = 0; j < n; j++) assert.ok(p[w]![j]! >= p[j]![w]!);
      }),
    );
  });
});

describe('instant runoff', () => {
  it('Tennessee: IRV elects Knoxville, Schulze Nashville, plurality would pick Memphis', () => {
    const ballots = profile([
      [42, 'MNCK'],
      [26, 'NCKM'],
      [15, 'CKNM'],
      [17, 'KCNM'],
    ]);
    const t = closedTally([...'MNCK'], ballots);
    assert.equal(t.winner, 'N');
    const irv = t.instantRunoff;
    assert.equal(irv.winner, 'K');
    assert.deepEqual(
      irv.rounds.map((r) => [
        Object.fromEntries(r.counts.map((c) => [c.option, c.weight])),
        r.eliminated,
      ]),
      [
        [{ M: 42, N: 26, C: 15, K: 17 }, 'C'],
        [{ M: 42, N: 26, K: 32 }, 'N'],
        [{ M: 42, K: 58 }, null],
      ],
    );
  });

  it('elects a first-round majority at once', () => {
    const irv = instantRunoff(
      ['A', 'B'],
      [
        { ranking: [0, 1], weight: 3 },
        { ranking: [1, 0], weight: 2 },
      ],
    );
    assert.equal(irv.winner, 'A');
    assert.equal(irv.rounds.length, 1);
  });

  it('drops exhausted ballots from the count, and eliminates the later-listed of two tied', () => {
    // B and C tie on 2; C is listed last and leaves; its bullet votes exhaust; A has 3 of 5.
    const irv = instantRunoff(
      ['A', 'B', 'C'],
      [
        { ranking: [0], weight: 3 },
        { ranking: [1], weight: 2 },
        { ranking: [2], weight: 2 },
      ],
    );
    assert.deepEqual(
      irv.rounds.map((r) => [r.eliminated, r.exhausted]),
      [
        ['C', 0],
        [null, 2],
      ],
    );
    assert.equal(irv.winner, 'A');
    // With a second preference for B, C's ballots carry B past A.
    const transfer = instantRunoff(
      ['A', 'B', 'C'],
      [
        { ranking: [0], weight: 3 },
        { ranking: [1], weight: 2 },
        { ranking: [2, 1], weight: 2 },
      ],
    );
    assert.equal(transfer.winner, 'B');
  });

  it('breaks a tie for last by the earlier round first', () => {
    // Round 1: A 4, B 3, C 3, D 1 → D leaves, to C. Round 2: A 4, B 3, C 4 → B leaves.
    const irv = instantRunoff(
      ['A', 'B', 'C', 'D'],
      [
        { ranking: [0], weight: 4 },
        { ranking: [1, 2], weight: 3 },
        { ranking: [2], weight: 3 },
        { ranking: [3, 2], weight: 1 },
      ],
    );
    assert.deepEqual(
      irv.rounds.map((r) => r.eliminated),
      ['D', 'B', null],
    );
    assert.equal(irv.winner, 'C');
    // A and B tie on 3 in round 2, but A had less in round 1 (2 against 3): A leaves, though
    // option order alone would have sent B.
    const back = instantRunoff(
      ['A', 'B', 'C', 'D'],
      [
        { ranking: [0], weight: 2 },
        { ranking: [1], weight: 3 },
        { ranking: [3, 0], weight: 1 },
        { ranking: [2], weight: 5 },
      ],
    );
    assert.deepEqual(
      back.rounds.map((r) => r.eliminated),
      ['D', 'A', null],
    );
    assert.equal(back.winner, 'C');
  });

  it('has no winner when nobody voted', () => {
    assert.deepEqual(instantRunoff(['A', 'B'], []), {
      winner: null,
      tied: [],
      rounds: [
        {
          counts: [
            { option: 'A', weight: 0 },
            { option: 'B', weight: 0 },
          ],
          exhausted: 0,
          eliminated: null,
        },
      ],
    });
  });

  it('the winner holds more than half of the live weight in the last round', () => {
    fc.assert(
      fc.property(profileArb, ({ n, ballots }) => {
        const options = Array.from({ length: n }, (_, i) => `o${i}`);
        const { winner, rounds } = instantRunoff(options, ballots);
        const last = rounds.at(-1)!;
        assert.equal(rounds.filter((r) => r.eliminated !== null).length, rounds.length - 1);
        const live = last.counts.reduce((s, c) => s + c.weight, 0);
        if (winner !== null)
          assert.ok(last.counts.find((c) => c.option === winner)!.weight * 2 > live);
      }),
    );
  });
});

describe('ranked tally', () => {
  it('a profile where plurality ties, IRV picks C and Schulze picks B', () => {
    // B is everyone's compromise: the A and C camps both put B second.
    const t = closedTally(
      ['A', 'B', 'C'],
      profile([
        [4, 'ABC'],
        [4, 'CBA'],
        [2, 'BCA'],
      ]),
    );
    const first = t.instantRunoff.rounds[0]!.counts;
    const top = Math.max(...first.map((c) => c.weight));
    assert.deepEqual(
      first.filter((c) => c.weight === top).map((c) => c.option),
      ['A', 'C'],
      'plurality: A and C tie',
    );
    assert.equal(t.instantRunoff.winner, 'C', 'IRV: B goes out first and its ballots carry C');
    assert.equal(t.winner, 'B', 'Schulze: B beats A 6–4 and C 6–4');
    assert.deepEqual(t.winners, ['B']);
  });

  it('is rejected below quorum, and with no ballots', () => {
    const ballots = profile([[2, 'AB']]);
    const low = tally({ options: ['A', 'B'], ballots, eligible: 10, quorum: 0.5, closed: true });
    assert.deepEqual([low.outcome, low.reason, low.winner], ['rejected', 'quorum_not_met', 'A']);
    const none = tally({ options: ['A', 'B'], ballots: [], eligible: 10, quorum: 0, closed: true });
    assert.deepEqual([none.outcome, none.reason, none.winner], ['rejected', 'no_votes', null]);
  });

  it('settles early only when the winner leads every rival by more than the votes left', () => {
    // A beats B 6–2: a margin of 4.
    const input = {
      options: ['A', 'B'],
      ballots: profile([
        [6, 'AB'],
        [2, 'BA'],
      ]),
      eligible: 11,
      quorum: 0,
      closed: false,
    };
    assert.equal(canStillChange(input), false, '3 votes left cannot undo a margin of 4');
    assert.equal(tally(input).outcome, 'passed');
    assert.equal(canStillChange({ ...input, eligible: 12 }), true, '4 votes left could tie it');
    assert.deepEqual(
      [tally({ ...input, eligible: 12 }).outcome, tally({ ...input, eligible: 12 }).reason],
      ['undecided', 'open'],
    );
  });
});
