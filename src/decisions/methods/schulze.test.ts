import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Ballot } from '../method-shapes.ts';
import { tally, type RankedVote } from './ranked.ts';
import { schulze } from './schulze.ts';

/** `profile([[3, 'ABC'], …])`: one ballot per group, weighted by the group's size. */
const profile = (groups: [number, string][]): Ballot<RankedVote>[] =>
  groups.map(([weight, order], i) => ({ voter: `v${i}`, weight, vote: { ranking: [...order] } }));
const closedTally = (options: string, groups: [number, string][]) => {
  const ballots = profile(groups);
  const eligible = ballots.reduce((s, b) => s + b.weight, 0);
  return tally({ options: [...options], ballots, eligible, quorum: 0, closed: true });
};

// Random weighted profiles of 3–6 options; about 2% of them have co-winners that the old
// one-at-a-time ordering split with a non-winner.
const profileArb = fc.integer({ min: 3, max: 6 }).chain((n) =>
  fc.record({
    options: fc.constant(Array.from({ length: n }, (_, i) => String.fromCharCode(65 + i))),
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

describe('Schulze ranking', () => {
  it('lists every co-winner before any other option, and the first tier is the winners', () => {
    fc.assert(
      fc.property(profileArb, ({ options, ballots }) => {
        const t = tally({
          options,
          ballots: ballots.map((b, k) => ({
            voter: `v${k}`,
            weight: b.weight,
            vote: { ranking: b.ranking.map((i) => options[i]!) },
          })),
          eligible: 100,
          quorum: 0,
          closed: true,
        });
        assert.deepEqual(
          t.order.slice(0, t.winners.length),
          t.winners,
          `co-winners ${t.winners} not first in ${t.order}`,
        );
        assert.deepEqual(t.tiers[0], t.winners);
        assert.deepEqual(t.tiers.flat(), t.order);
      }),
      { numRuns: 3000 },
    );
  });

  it('tiers: nothing in a tier beats its neighbours; each later option is beaten by the tier above', () => {
    fc.assert(
      fc.property(profileArb, ({ options, ballots }) => {
        const n = options.length;
        const { p, tiers } = schulze(n, ballots);
        const beats = (i: number, j: number) => p[i]![j]! > p[j]![i]!;
        assert.deepEqual(
          tiers.flat().sort((a, b) => a - b),
          Array.from({ length: n }, (_, i) => i),
        );
        const tierOf = new Map(tiers.flatMap((tier, k) => tier.map((o) => [o, k] as const)));
        for (let i = 0; i < n; i++)
          for (let j = 0; j < n; j++)
            if (beats(i, j)) assert.ok(tierOf.get(i)! < tierOf.get(j)!, `${i} beats ${j}`);
        for (const [k, tier] of tiers.entries()) {
          assert.ok(tier.length > 0);
          assert.deepEqual(
            tier,
            [...tier].sort((a, b) => a - b),
            'a tier keeps option order',
          );
          if (k > 0) for (const o of tier) assert.ok(tiers[k - 1]!.some((up) => beats(up, o)));
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('a counterexample the old ordering got wrong: B came before co-winner D', () => {
    // A, C and D are unbeaten; A beats B. Taking one option at a time, B (unbeaten once A
    // was gone) was listed before D.
    const t = closedTally('ABCD', [
      [3, 'DA'],
      [3, 'CBA'],
    ]);
    assert.deepEqual(t.winners, ['A', 'C', 'D']);
    assert.deepEqual(t.tiers, [['A', 'C', 'D'], ['B']]);
    assert.deepEqual(t.order, ['A', 'C', 'D', 'B']);
  });

  it('all options tie when nobody ranked anything', () => {
    const t = tally({
      options: ['A', 'B', 'C'],
      ballots: [],
      eligible: 3,
      quorum: 0,
      closed: true,
    });
    assert.deepEqual([t.winners, t.tiers], [[], [['A', 'B', 'C']]]);
  });
});

// Cases from the Condorcet PHP library's Schulze suite (Tests/src/Algo/Methods/Schulze/
// SchulzeTest.php, "Schulze Winning"): options a ballot leaves out rank last, tied, as here.
describe('Schulze against a public reference suite (Condorcet PHP)', () => {
  it('testResult_1: E > A > C > B > D', () => {
    const t = closedTally('ABCDE', [
      [5, 'ACBE'],
      [5, 'ADEC'],
      [8, 'BEDA'],
      [3, 'CABE'],
      [7, 'CAEB'],
      [2, 'CBAD'],
      [7, 'DCEB'],
      [8, 'EBAD'],
    ]);
    assert.deepEqual(t.tiers, [['E'], ['A'], ['C'], ['B'], ['D']]);
  });

  it('testResult_2: B and D tie first, A and C tie second', () => {
    const t = closedTally('ABCD', [
      [3, 'ABC'],
      [2, 'DAB'],
      [2, 'DBC'],
      [2, 'CBD'],
    ]);
    assert.deepEqual(t.winners, ['B', 'D']);
    assert.deepEqual(t.tiers, [
      ['B', 'D'],
      ['A', 'C'],
    ]);
    assert.deepEqual(t.order, ['B', 'D', 'A', 'C']);
  });

  it('testResult_11: Abby > Brad > Erin > Dave > Cora', () => {
    const t = closedTally('ABCDE', [
      [98, 'ACEDB'],
      [64, 'BAECD'],
      [12, 'BAEDC'],
      [98, 'BEACD'],
      [13, 'BEADC'],
      [125, 'BEDAC'],
      [124, 'CAEDB'],
      [76, 'CEADB'],
      [21, 'DABEC'],
      [30, 'DBAEC'],
      [98, 'DBECA'],
      [139, 'DCABE'],
      [23, 'DCBAE'],
    ]);
    assert.deepEqual(t.order, ['A', 'B', 'E', 'D', 'C']);
    assert.equal(t.tiers.length, 5);
  });

  it("Schulze's own examples: the winners", () => {
    const cases: [string, [number, string][], string[]][] = [
      [
        'ABCD',
        [
          [8, 'ACD'],
          [2, 'BAD'],
          [4, 'CDB'],
          [4, 'DBA'],
          [3, 'DCB'],
        ],
        ['D'],
      ],
      [
        'ABCD',
        [
          [12, 'ABC'],
          [6, 'ADB'],
          [9, 'BCD'],
          [15, 'CDA'],
          [21, 'DBA'],
        ],
        ['D'],
      ],
      [
        'ABCD',
        [
          [6, 'ACD'],
          [1, 'BAD'],
          [3, 'CBD'],
          [3, 'DBA'],
          [2, 'DCB'],
        ],
        ['A', 'D'],
      ],
      [
        'ABCDE',
        [
          [9, 'ADBE'],
          [6, 'BCAD'],
          [5, 'BCDE'],
          [2, 'CDBE'],
          [6, 'DECB'],
          [14, 'EACB'],
          [2, 'ECAB'],
          [1, 'EDAC'],
        ],
        ['B'],
      ],
    ];
    for (const [options, groups, winners] of cases) {
      const t = closedTally(options, groups);
      assert.deepEqual(t.winners, winners, `${options} ${JSON.stringify(groups)}`);
      assert.deepEqual(t.tiers[0], winners);
    }
  });
});
