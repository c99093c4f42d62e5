// The affinity between two communes, from its parts, with reasons a person can read. No I/O.
import type { AllianceGraph, Reach } from './degrees.ts';
import { MAX_DEGREE, degreeBetween } from './degrees.ts';
import type { Corpus } from './similarity.ts';
import { textSimilarity } from './similarity.ts';

export type CommuneProfile = {
  readonly id: string;
  readonly category: string;
  readonly tags: readonly string[];
  /** Vision and charter text together. */
  readonly text: string;
  /** Account ids of the members. */
  readonly members: readonly string[];
};

/** What passed between the two communes, summed over both directions. */
export type Ties = {
  readonly forks: number;
  readonly thanks: number;
  readonly clearingVolume: number;
};

export const NO_TIES: Ties = { forks: 0, thanks: 0, clearingVolume: 0 };

export type AffinityParts = {
  readonly sameCategory: string | undefined;
  readonly sharedTags: readonly string[];
  readonly tagUnion: number;
  readonly textSimilarity: number;
  readonly sharedMembers: readonly string[];
  readonly reach: Reach | undefined;
  readonly ties: Ties;
};

export type Network = { readonly corpus: Corpus; readonly graph: AllianceGraph };

export const normalTag = (tag: string): string => tag.trim().toLowerCase();

export const affinityParts = (
  a: CommuneProfile,
  b: CommuneProfile,
  network: Network,
  ties: Ties = NO_TIES,
): AffinityParts => {
  const tagsA = new Set(a.tags.map(normalTag).filter((t) => t !== ''));
  const tagsB = new Set(b.tags.map(normalTag).filter((t) => t !== ''));
  const sharedTags = [...tagsA].filter((t) => tagsB.has(t)).sort();
  const membersB = new Set(b.members);
  const category = normalTag(a.category);
  return {
    sameCategory: category !== '' && category === normalTag(b.category) ? category : undefined,
    sharedTags,
    tagUnion: new Set([...tagsA, ...tagsB]).size,
    textSimilarity: textSimilarity(a.text, b.text, network.corpus),
    sharedMembers: [...new Set(a.members)].filter((m) => membersB.has(m)).sort(),
    reach: degreeBetween(network.graph, a.id, b.id),
    ties,
  };
};

// Weights sum to 1 and every part lies in [0, 1], so the score does too.
export const WEIGHTS = {
  category: 0.1,
  tags: 0.2,
  text: 0.2,
  members: 0.15,
  degree: 0.15,
  exchange: 0.1,
  clearing: 0.1,
} as const;

/** 0 for nothing, approaching 1 as the count grows; never decreasing. */
const saturate = (count: number, half: number): number =>
  count <= 0 || !Number.isFinite(count) ? (count === Infinity ? 1 : 0) : count / (count + half);

const degreePart = (reach: Reach | undefined): number =>
  reach === undefined || reach.degree < 1
    ? reach?.degree === 0
      ? 1
      : 0
    : (MAX_DEGREE + 1 - reach.degree) / MAX_DEGREE;

/** The counts a score needs: what the stored parts give without naming anyone. */
export type ScoreInputs = {
  readonly sameCategory: boolean;
  readonly sharedTags: number;
  readonly tagUnion: number;
  readonly textSimilarity: number;
  readonly sharedMembers: number;
  readonly degree: number | undefined;
  readonly ties: Ties;
};

export const scoreOf = (s: ScoreInputs): number => {
  const jaccard = s.tagUnion === 0 ? 0 : s.sharedTags / s.tagUnion;
  const reach = s.degree === undefined ? undefined : { degree: s.degree, through: [] };
  const score =
    WEIGHTS.category * (s.sameCategory ? 1 : 0) +
    WEIGHTS.tags * jaccard +
    WEIGHTS.text * Math.min(1, Math.max(0, s.textSimilarity)) +
    WEIGHTS.members * saturate(s.sharedMembers, 2) +
    WEIGHTS.degree * degreePart(reach) +
    WEIGHTS.exchange * saturate(s.ties.forks + s.ties.thanks, 3) +
    WEIGHTS.clearing * saturate(s.ties.clearingVolume, 100);
  return Math.min(1, Math.max(0, score));
};

export const affinityScore = (parts: AffinityParts): number =>
  scoreOf({
    sameCategory: parts.sameCategory !== undefined,
    sharedTags: parts.sharedTags.length,
    tagUnion: parts.tagUnion,
    textSimilarity: parts.textSimilarity,
    sharedMembers: parts.sharedMembers.length,
    degree: parts.reach?.degree,
    ties: parts.ties,
  });

/** What the person asking may see; the reasons name nothing else. */
export type Viewer = {
  readonly mayseeCommune: (communeId: string) => boolean;
  readonly mayseeMember: (accountId: string) => boolean;
  readonly communeName: (communeId: string) => string;
  readonly memberName: (accountId: string) => string;
};

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/**
 * Reasons for the pair, strongest evidence first. Undefined when the viewer may not see both
 * communes: the caller then answers as if the pair did not exist.
 */
export const affinityReasons = (
  a: string,
  b: string,
  parts: AffinityParts,
  viewer: Viewer,
): string[] | undefined => {
  if (!viewer.mayseeCommune(a) || !viewer.mayseeCommune(b)) return undefined;
  const reasons: string[] = [];
  if (parts.reach !== undefined && parts.reach.degree >= 1) {
    const first = parts.reach.through[0];
    if (parts.reach.degree === 1) reasons.push('allied directly');
    else if (first !== undefined && viewer.mayseeCommune(first))
      reasons.push(`allied through ${viewer.communeName(first)}, ${parts.reach.degree} steps`);
    else reasons.push(`allied in ${parts.reach.degree} steps`);
  }
  if (parts.sharedMembers.length > 0) {
    const named = parts.sharedMembers.filter((m) => viewer.mayseeMember(m)).map(viewer.memberName);
    const hidden = parts.sharedMembers.length - named.length;
    const list = hidden > 0 ? [...named, plural(hidden, 'other', 'others')] : named;
    reasons.push(
      named.length === 0
        ? plural(hidden, 'shared member', 'shared members')
        : `${plural(parts.sharedMembers.length, 'shared member', 'shared members')}: ${list.join(', ')}`,
    );
  }
  if (parts.sharedTags.length > 0)
    reasons.push(
      `${plural(parts.sharedTags.length, 'shared tag', 'shared tags')}: ${parts.sharedTags.join(', ')}`,
    );
  const percent = Math.round(parts.textSimilarity * 100);
  if (percent > 0) reasons.push(`visions ${percent} % alike`);
  if (parts.sameCategory !== undefined) reasons.push(`same category: ${parts.sameCategory}`);
  if (parts.ties.forks > 0)
    reasons.push(`${plural(parts.ties.forks, 'fork', 'forks')} between them`);
  if (parts.ties.thanks > 0)
    reasons.push(`${plural(parts.ties.thanks, 'thanks', 'thanks')} between them`);
  if (parts.ties.clearingVolume > 0)
    reasons.push(`${parts.ties.clearingVolume} units cleared between them`);
  return reasons;
};
