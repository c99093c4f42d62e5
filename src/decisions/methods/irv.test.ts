import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { instantRunoff } from './irv.ts';
import type { IndexBallot } from './schulze.ts';

/** `irv('ABC', [[2, 'AB'], …])`: options by letter, one weighted ballot per group. */
function irv(options: string, groups: [number, string][]) {
  const ballots: IndexBallot[] = groups.map(([weight, order]) => ({
    weight,
    ranking: [...order].map((o) => options.indexOf(o)),
  }));
  return instantRunoff([...options], ballots);
}

describe('instant runoff ties', () => {
  it('reports a tie when the last two are tied, instead of picking one', () => {
    // C leaves first and its ballot exhausts: A 2, B 2.
    const r = irv('ABC', [
      [2, 'A'],
      [2, 'B'],
      [1, 'C'],
    ]);
    assert.deepEqual([r.winner, r.tied], [null, ['A', 'B']]);
    assert.deepEqual(
      r.rounds.map((x) => x.eliminated),
      ['C', null],
    );
  });

  it('reports a tie when every option left would be eliminated at once', () => {
    const r = irv('ABC', [
      [2, 'ABC'],
      [2, 'BCA'],
      [2, 'CAB'],
    ]);
    assert.deepEqual([r.winner, r.tied, r.rounds.length], [null, ['A', 'B', 'C'], 1]);
  });

  it('a tie among the weakest only, with others still ahead, is broken and the count goes on', () => {
    const r = irv('ABC', [
      [3, 'A'],
      [2, 'B'],
      [2, 'CB'],
    ]);
    assert.deepEqual([r.winner, r.tied], ['B', []]);
  });

  it('has a winner or a tie whenever anyone voted, never both', () => {
    const arb = fc.integer({ min: 2, max: 5 }).chain((n) =>
      fc.record({
        n: fc.constant(n),
        ballots: fc.array(
          fc.record({
            ranking: fc.shuffledSubarray(
              Array.from({ length: n }, (_, i) => i),
              { minLength: 1 },
            ),
            weight: fc.integer({ min: 1, max: 3 }),
          }),
          { minLength: 1, maxLength: 8 },
        ),
      }),
    );
    let ties = 0;
    fc.assert(
      fc.property(arb, ({ n, ballots }) => {
        const options = Array.from({ length: n }, (_, i) => `o${i}`);
        const r = instantRunoff(options, ballots);
        assert.ok((r.winner === null) !== (r.tied.length === 0), JSON.stringify(r));
        if (r.tied.length > 0) {
          ties++;
          const last = r.rounds.at(-1)!;
          assert.deepEqual(
            last.counts.map((c) => c.option),
            r.tied,
          );
          assert.equal(new Set(last.counts.map((c) => c.weight)).size, 1, 'all tied equal');
        }
      }),
      { numRuns: 1000 },
    );
    assert.ok(ties > 0, 'no profile ended in a tie');
  });
});

// Cases from the Condorcet PHP library's instant-runoff suite
// (Tests/src/Algo/Methods/InstantRunoff/InstantRunoffTest.php).
describe('instant runoff against a public reference suite (Condorcet PHP)', () => {
  it('testResult_1 (fr.wikipedia, Vote alternatif): D wins in the third round', () => {
    const r = irv('ABCD', [
      [42, 'ABCD'],
      [26, 'BCDA'],
      [15, 'CDBA'],
      [17, 'DCBA'],
    ]);
    assert.equal(r.winner, 'D');
    assert.deepEqual(
      r.rounds.map((x) => Object.fromEntries(x.counts.map((c) => [c.option, c.weight]))),
      [
        { A: 42, B: 26, C: 15, D: 17 },
        { A: 42, B: 26, D: 32 },
        { A: 42, D: 58 },
      ],
    );
  });

  it('testResult_2 (en.wikipedia): sue wins once bill leaves', () => {
    const r = irv('bsl', [
      [2, 'bls'],
      [2, 'sbl'],
      [1, 'lsb'],
    ]);
    assert.equal(r.winner, 's');
  });

  it('testResult_Equality: one ballot each for A and B is a tie', () => {
    const r = irv('AB', [
      [1, 'A'],
      [1, 'B'],
    ]);
    assert.deepEqual([r.winner, r.tied], [null, ['A', 'B']]);
  });
});
