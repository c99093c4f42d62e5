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
   * All options in tiers, best first: the first tier is exactly `winners`, each next one
   * the options nobody left beats. Options within a tier are tied, in option order.
   */
  tiers: number[][];
  /** The tiers one after another, so order[0] is winners[0] and co-winners come first. */
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
  const tiers = schulzeTiers(n, beats);
  return {
    d: toRows(d, n),
    p: toRows(p, n),
    winners: tiers[0] ?? [],
    tiers,
    order: tiers.flat(),
  };
}

/**
 * The Schulze ranking in tiers: each tier holds every remaining option that no remaining
 * option beats, so the first tier is the winners. Taking them one at a time instead put a
 * non-winner above a co-winner once a winner was removed. Schulze's relation is transitive,
 * so each tier is non-empty; O(n³) like the paths.
 */
function schulzeTiers(n: number, beats: (i: number, j: number) => boolean): number[][] {
  let remaining = Array.from({ length: n }, (_, i) => i);
  const tiers: number[][] = [];
  while (remaining.length > 0) {
    let tier = remaining.filter((i) => remaining.every((j) => !beats(j, i)));
    // A cycle cannot happen (strongest paths are transitive); take them all rather than loop.
    if (tier.length === 0) tier = remaining;
    tiers.push(tier);
    remaining = remaining.filter((i) => !tier.includes(i));
  }
  return tiers;
}

const toRows = (flat: Float64Array, n: number): number[][] =>
  Array.from({ length: n }, (_, i) => Array.from(flat.subarray(i * n, i * n + n)));
