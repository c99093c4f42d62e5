// The stored parts of affinity and how they follow the network, no I/O. The subscriber keeps
// them current event by event; fullIndex computes them from scratch, which a rebuild writes
// and the tests compare the incremental rows with (docs/adr/0020-affinity-kept-current.md).
import type { ScoreInputs, Ties } from './affinity.ts';
import { normalTag } from './affinity.ts';
import type { AllianceGraph } from './degrees.ts';
import { MAX_DEGREE, reachFrom } from './degrees.ts';
import { termCounts } from './similarity.ts';

export type StoredProfile = {
  readonly id: string;
  /** A commune's handle never changes: kept here to order equal scores without a lookup. */
  readonly handle: string;
  readonly category: string;
  /** Normalised, unique, sorted. */
  readonly tags: readonly string[];
  readonly terms: ReadonlyMap<string, number>;
};

export type TieColumn = 'shared_members' | 'forks' | 'thanks' | 'clearing';

export type StoredTies = {
  readonly a: string;
  readonly b: string;
  readonly sharedMembers: number;
  readonly forks: number;
  readonly thanks: number;
  readonly clearing: number;
};

export type StoredReach = {
  readonly a: string;
  readonly b: string;
  readonly degree: number;
  readonly via: string | null;
};

export type Charter = {
  readonly id: string;
  readonly handle: string;
  readonly category: string;
  readonly tags: readonly string[];
  readonly vision: string;
  readonly agreements: readonly string[];
};

/** The text that stands for a commune's charter: its vision and its agreements. */
export const charterText = (c: Pick<Charter, 'vision' | 'agreements'>): string =>
  [c.vision, ...c.agreements].join('\n');

export const profileOf = (c: Charter): StoredProfile => ({
  id: c.id,
  handle: c.handle,
  category: normalTag(c.category),
  tags: [...new Set(c.tags.map(normalTag).filter((t) => t !== ''))].sort(),
  terms: new Map([...termCounts(charterText(c))].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))),
});

/** A commune's stored reach: everyone within MAX_DEGREE, with the first commune on the way. */
export const reachRows = (graph: AllianceGraph, start: string): StoredReach[] =>
  [...reachFrom(graph, start, MAX_DEGREE)].map(([b, r]) => ({
    a: start,
    b,
    degree: r.degree,
    via: r.degree === 1 ? null : (r.through[0] ?? null),
  }));

/** An undirected graph with every adjacency list sorted, so that a BFS is deterministic. */
export const sortedGraph = (pairs: Iterable<readonly [string, string]>): Map<string, string[]> => {
  const sets = new Map<string, Set<string>>();
  const link = (a: string, b: string) => {
    const s = sets.get(a);
    if (s) s.add(b);
    else sets.set(a, new Set([b]));
  };
  for (const [a, b] of pairs) {
    if (a === b) continue;
    link(a, b);
    link(b, a);
  }
  return new Map([...sets].map(([k, s]) => [k, [...s].sort()]));
};

export type Source = {
  readonly communes: readonly Charter[];
  /** [communeId, accountId] */
  readonly memberships: readonly (readonly [string, string])[];
  readonly alliances: readonly (readonly [string, string])[];
  /** [commune of the fork, commune forked from], one per live fork. */
  readonly forks: readonly (readonly [string, string])[];
  /** Payments into a clearing account: [commune, partner, amount, is thanks]. */
  readonly clearing: readonly (readonly [string, string, number, boolean])[];
};

export type Index = {
  profiles: StoredProfile[];
  terms: Map<string, number>;
  documents: number;
  ties: StoredTies[];
  reach: StoredReach[];
};

const pairKey = (a: string, b: string) => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);

/** Every stored part, from scratch. */
export const fullIndex = (s: Source): Index => {
  const profiles = s.communes.map(profileOf);
  const terms = new Map<string, number>();
  for (const p of profiles) for (const t of p.terms.keys()) terms.set(t, (terms.get(t) ?? 0) + 1);
  const known = new Set(profiles.map((p) => p.id));
  const ties = new Map<
    string,
    { sharedMembers: number; forks: number; thanks: number; clearing: number }
  >();
  const tie = (a: string, b: string) => {
    const k = pairKey(a, b);
    let t = ties.get(k);
    if (!t) ties.set(k, (t = { sharedMembers: 0, forks: 0, thanks: 0, clearing: 0 }));
    return t;
  };
  const byAccount = new Map<string, string[]>();
  for (const [c, a] of s.memberships) byAccount.set(a, [...(byAccount.get(a) ?? []), c]);
  for (const communes of byAccount.values()) {
    const list = [...new Set(communes)];
    for (let i = 0; i < list.length; i++)
      for (let j = i + 1; j < list.length; j++) tie(list[i]!, list[j]!).sharedMembers++;
  }
  for (const [a, b] of s.forks) if (a !== b) tie(a, b).forks++;
  for (const [a, b, amount, thanks] of s.clearing) {
    if (a === b) continue;
    tie(a, b).clearing += amount;
    if (thanks) tie(a, b).thanks++;
  }
  const tieRows: StoredTies[] = [];
  for (const [k, t] of ties) {
    const [a, b] = k.split('\u0000') as [string, string];
    tieRows.push({ a, b, ...t }, { a: b, b: a, ...t });
  }
  const graph = sortedGraph(s.alliances);
  const reach = [...known].flatMap((id) => reachRows(graph, id));
  return { profiles, terms, documents: profiles.length, ties: tieRows, reach };
};

export const NO_STORED_TIES: Ties = { forks: 0, thanks: 0, clearingVolume: 0 };

/** A profile as stored (migration 0024): term ids and their counts, side by side. */
export type VectorProfile = {
  readonly id: string;
  readonly handle: string;
  readonly category: string;
  readonly tags: readonly string[];
  readonly termIds: Uint32Array;
  readonly counts: Uint32Array;
};

/** Document counts by term id, and the number of documents. */
export type TermStats = {
  readonly documents: number;
  readonly frequency: (termId: number) => number;
};

/** The same smoothed IDF as similarity.ts' vectorOfCounts, by term id. */
export const idfOf = (documents: number, frequency: number): number =>
  Math.log((1 + documents) / (1 + frequency)) + 1;

/** A profile's TF-IDF weights by term id, and their Euclidean norm. */
export type Weighted = { readonly weights: Map<number, number>; readonly norm: number };

export const weighted = (p: VectorProfile, idf: (termId: number) => number): Weighted => {
  const weights = new Map<number, number>();
  let sum = 0;
  for (let i = 0; i < p.termIds.length; i++) {
    const w = p.counts[i]! * idf(p.termIds[i]!);
    weights.set(p.termIds[i]!, w);
    sum += w * w;
  }
  return { weights, norm: Math.sqrt(sum) };
};

/** similarity.ts' cosine, from `a`'s weights and `b`'s packed counts. */
export const cosineTo = (a: Weighted, b: VectorProfile, idf: (termId: number) => number) => {
  let dot = 0;
  let sum = 0;
  for (let i = 0; i < b.termIds.length; i++) {
    const w = b.counts[i]! * idf(b.termIds[i]!);
    sum += w * w;
    const mine = a.weights.get(b.termIds[i]!);
    if (mine !== undefined) dot += mine * w;
  }
  if (dot === 0) return 0;
  return Math.min(1, Math.max(0, dot / (a.norm * Math.sqrt(sum))));
};

/** What the score needs for one pair, from the stored parts. */
export const inputsOf = (
  a: VectorProfile,
  b: VectorProfile,
  textSimilarity: number,
  ties: StoredTies | undefined,
  reach: StoredReach | undefined,
): ScoreInputs & { sharedTagList: string[] } => {
  const tagsB = new Set(b.tags);
  const sharedTagList = a.tags.filter((t) => tagsB.has(t));
  return {
    sameCategory: a.category !== '' && a.category === b.category,
    sharedTags: sharedTagList.length,
    sharedTagList,
    tagUnion: a.tags.length + b.tags.length - sharedTagList.length,
    textSimilarity,
    sharedMembers: ties?.sharedMembers ?? 0,
    degree: reach?.degree,
    ties: ties
      ? { forks: ties.forks, thanks: ties.thanks, clearingVolume: ties.clearing }
      : NO_STORED_TIES,
  };
};
