// Affinity tables (src/network, migration 0015): what the affinity subscriber keeps current
// from domain events (docs/adr/0020-affinity-kept-current.md). Scores are composed on read
// from these parts; nothing here is a copy of a whole pair matrix.
import type { ColumnType } from 'kysely';

type Count = ColumnType<number | string, number, number>;

/** One row per commune: what its charter says, in the form the score reads. */
export type AffinityProfileTable = {
  commune_id: string;
  /** The commune's handle (it never changes): equal scores are ordered by it. */
  handle: string;
  category: string;
  /** Normalised tags, JSON text. */
  tags: string;
  /** Term counts of vision and agreements: packed (term id, count) pairs, base64 (0024). */
  terms: string;
  /** When it last changed (affinity_meta `seq`): readers fetch only what changed. */
  seq: Count;
};

/** Document frequency per term; the row with term '' holds the number of documents. */
export type AffinityTermTable = { term: string; id: Count; documents: Count; seq: Count };

/** Counters (`seq`, `term_id`) and the `format` the stored rows were built in. */
export type AffinityMetaTable = { key: string; value: Count };

/** Inverted tag index: which communes carry a tag (candidates that share one). */
export type AffinityTagTable = { tag: string; commune_id: string };

/** What passed between two communes, stored in both directions; no row when all are zero. */
export type AffinityTieTable = {
  commune_id: string;
  other_id: string;
  shared_members: Count;
  forks: Count;
  thanks: Count;
  clearing: Count;
};

/** Degrees of separation up to 6 in the alliance graph, from each commune's own BFS. */
export type AffinityReachTable = {
  commune_id: string;
  other_id: string;
  degree: number;
  /** The first commune on the path; null for a direct alliance. */
  via: string | null;
};

export type AffinityTables = {
  affinity_profiles: AffinityProfileTable;
  affinity_terms: AffinityTermTable;
  affinity_tags: AffinityTagTable;
  affinity_ties: AffinityTieTable;
  affinity_reach: AffinityReachTable;
  affinity_meta: AffinityMetaTable;
};
