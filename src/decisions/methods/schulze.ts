// The Schulze method over weighted rankings, on option indices.

/** A ranking of option indices, best first; options left out rank below all listed, tied. */
export type IndexBallot = { ranking: readonly number[]; weight: number };

export type SchulzeResult = {
  /** d[i][j]: weight of ballots preferring option i to option j. */
  d: number[][];
  /** p[i][j]: strength of the strongest path from i to j (winning votes; 0 when there is none). */
  p: number[][];
  /** Options nobody beats (p[j][i] > p[i][j] for no j), ascending. Never empty when n > 0. */
  winners: number[];
  /**
   * All options, best first, by Schulze: i comes before j whenever p[i][j] > p[j][i]
   * (a strict partial order); options it leaves unordered go in option order. So
   * order[0] is winners[0].
   */
  order: number[];
};

/** Pairwise preferences: O(n) per ranked position of each ballot. */
export function pairwise(n: number, ballots: readonly IndexBallot[]): Float64Array {
  const d = new Float64Array(n * n);
  const position = new Int32Array(n).fill(n);
  for (const { ranking, weight } of ballots) {
    for (const [at, option] of ranking.entries()) position[option] = at;
    for (const [at, i] of ranking.entries()) {
      const row = i * n;
      for (let j = 0; j < n; j++) if (position[j]! > at) d[row + j]! += weight;
    }
    for (const option of ranking) position[option] = n;
  }
  return d;
}

/**
 * Strongest paths by a Floyd–Warshall widest-path pass, O(n³). A link i→j exists when more
 * weight prefers i to j than j to i, with strength d[i][j].
 */
export function schulze(n: number, ballots: readonly IndexBallot[]): SchulzeResult {
  const d = pairwise(n, ballots);
  const p = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++)
      if (i !== j && d[i * n + j]! > d[j * n + i]!) p[i * n + j] = d[i * n + j]!;
  }
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < n; i++) {
      const ik = p[i * n + k]!;
      if (i === k || ik === 0) continue;
      for (let j = 0; j < n; j++) {
        if (j === i || j === k) continue;
        const through = Math.min(ik, p[k * n + j]!);
        if (through > p[i * n + j]!) p[i * n + j] = through;
      }
    }
  }
  const beats = (i: number, j: number) => p[i * n + j]! > p[j * n + i]!;
  const indices = Array.from({ length: n }, (_, i) => i);
  return {
    d: toRows(d, n),
    p: toRows(p, n),
    winners: indices.filter((i) => indices.every((j) => !beats(j, i))),
    order: schulzeOrder(n, beats),
  };
}

/**
 * The Schulze ranking: repeatedly takes the first option (by index) that no remaining
 * option beats. Schulze's relation is transitive, so one always exists; O(n³) like the
 * paths. Counting pairwise wins instead would disagree with the winners.
 */
function schulzeOrder(n: number, beats: (i: number, j: number) => boolean): number[] {
  const remaining = Array.from({ length: n }, (_, i) => i);
  const order: number[] = [];
  while (remaining.length > 0) {
    const at = remaining.findIndex((i) => remaining.every((j) => !beats(j, i)));
    // A cycle cannot happen (strongest paths are transitive); take the first rather than loop.
    order.push(...remaining.splice(Math.max(at, 0), 1));
  }
  return order;
}

const toRows = (flat: Float64Array, n: number): number[][] =>
  Array.from({ length: n }, (_, i) => Array.from(flat.subarray(i * n, i * n + n)));
