// Instant-runoff voting over weighted rankings, shown beside the Schulze winner.

import type { IndexBallot } from './schulze.ts';

export type IrvRound = {
  /** Weight on each option still in the count, in option order. */
  counts: { option: string; weight: number }[];
  /** Weight of ballots whose ranked options are all out. */
  exhausted: number;
  /** Who leaves after this round; null in the last round. */
  eliminated: string | null;
};

export type IrvResult = {
  winner: string | null;
  /**
   * The options the count ended tied between, in option order: every option still in had the
   * same weight (the last two tied, or all left would have been eliminated at once). Empty
   * otherwise; winner is null whenever it is not.
   */
  tied: string[];
  rounds: IrvRound[];
};

/**
 * Each round a ballot counts for its highest-ranked option still in; an option with more
 * than half of the non-exhausted weight wins, otherwise the weakest leaves. When every
 * option still in has the same weight, eliminating the weakest would eliminate them all:
 * the count ends in a tie between them rather than picking one. Ties for the weakest
 * among others: the one with less weight in the latest earlier round where they differ,
 * then the one listed last (so earlier-listed options survive, as in Schulze's tie-break).
 */
export function instantRunoff(
  options: readonly string[],
  ballots: readonly IndexBallot[],
): IrvResult {
  const n = options.length;
  const inCount = new Array<boolean>(n).fill(true);
  const history: number[][] = [];
  const rounds: IrvRound[] = [];
  for (;;) {
    const totals = new Array<number>(n).fill(0);
    let exhausted = 0;
    for (const { ranking, weight } of ballots) {
      const first = ranking.find((i) => inCount[i]);
      if (first === undefined) exhausted += weight;
      else totals[first]! += weight;
    }
    history.push(totals);
    const live = options.flatMap((_, i) => (inCount[i] ? [i] : []));
    const counts = live.map((i) => ({ option: options[i]!, weight: totals[i]! }));
    const active = live.reduce((sum, i) => sum + totals[i]!, 0);
    const leader = live.find((i) => totals[i]! * 2 > active);
    if (active === 0 || leader !== undefined || live.length <= 1) {
      rounds.push({ counts, exhausted, eliminated: null });
      return { winner: leader === undefined ? null : options[leader]!, tied: [], rounds };
    }
    if (live.every((i) => totals[i] === totals[live[0]!])) {
      rounds.push({ counts, exhausted, eliminated: null });
      return { winner: null, tied: live.map((i) => options[i]!), rounds };
    }
    const out = weakest(live, history);
    inCount[out] = false;
    rounds.push({ counts, exhausted, eliminated: options[out]! });
  }
}

function weakest(live: number[], history: number[][]): number {
  let tied = live;
  for (let r = history.length - 1; r >= 0 && tied.length > 1; r--) {
    const round = history[r]!;
    const low = Math.min(...tied.map((i) => round[i]!));
    tied = tied.filter((i) => round[i] === low);
  }
  return tied[tied.length - 1]!;
}
