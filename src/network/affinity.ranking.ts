// Reading affinity (docs/adr/0030-affinity-fast-reads.md): each process keeps a copy of the
// stored profiles and document counts, brought up to date on every read by asking only for
// the rows written after the last sequence number it saw. A request then reads the pair rows
// of one commune (ties, reach), scores its candidates in memory, and asks the database who
// the viewer may list only for the few it is about to show.
import type { Dialect } from '../db/database.ts';
import type { Executor } from '../db/transaction.ts';
import type { AffinityParts, Viewer } from './affinity.ts';
import { affinityReasons, scoreOf } from './affinity.ts';
import {
  idfOf,
  inputsOf,
  type StoredReach,
  type StoredTies,
  type VectorProfile,
} from './affinity.index.ts';
import { affinityRepository, DOCUMENTS } from './affinity.repository.ts';
import { affinityView, type SeenCommune } from './affinity.view.ts';

export type AffinityEntry = {
  commune: string;
  name: string;
  score: number;
  degree: number | null;
  reasons: string[];
};

/** Where a page of a list sorted by affinity starts: after this score and handle. */
export type AffinityCursor = { score: number; handle: string };

/** One candidate, scored, before anyone checked the viewer may list it. */
export type Scored = {
  origin: VectorProfile;
  other: VectorProfile;
  ties: StoredTies | undefined;
  reach: StoredReach | undefined;
  text: number;
  score: number;
  handle: string;
};

export const listed = (c: SeenCommune | undefined): boolean =>
  c !== undefined && (c.visibility === 'public' || c.member);

/** Best first; equal scores by handle, so that a cursor (score, handle) is a total order. */
export const byScore = (x: { score: number; handle: string }, y: typeof x): number =>
  y.score - x.score || (x.handle < y.handle ? -1 : x.handle > y.handle ? 1 : 0);

/** True when the entry comes after the cursor in that order. */
export const afterCursor = (e: { score: number; handle: string }, c?: AffinityCursor) =>
  c === undefined || e.score < c.score || (e.score === c.score && e.handle > c.handle);

/** This process' copy of the profiles and document counts, with a tag index over them. */
function readModel(db: Executor, dialect: Dialect) {
  const repo = affinityRepository(db, dialect);
  let seq = -1;
  let epoch = -1;
  let documents = 0;
  const frequency = new Map<number, number>();
  const profiles = new Map<string, VectorProfile>();
  const byTag = new Map<string, Set<string>>();
  let idf = new Float64Array(0);
  let norms = new Map<string, number>();

  const index = (p: VectorProfile, add: boolean) => {
    for (const t of p.tags) {
      let set = byTag.get(t);
      if (!set) byTag.set(t, (set = new Set()));
      if (add) set.add(p.id);
      else set.delete(p.id);
    }
  };

  return {
    /** Brings the copy up to date: one small read when nothing changed. */
    async refresh() {
      const now = await repo.counters();
      if (now.epoch !== epoch) {
        // A rebuild wrote every row anew (or this is the first read): start over.
        [seq, epoch, documents] = [-1, now.epoch, 0];
        frequency.clear();
        profiles.clear();
        byTag.clear();
      }
      if (now.seq === seq) return;
      // Rows up to now.seq are all visible (each event writes its rows and takes its number
      // in one transaction, one at a time); later ones may come too and come again next time.
      // Profiles first: the terms read after them hold every id they name.
      const changed = await repo.profilesSince(seq);
      const terms = await repo.termsSince(seq);
      seq = now.seq;
      for (const p of changed) {
        const had = profiles.get(p.id);
        if (had) index(had, false);
        profiles.set(p.id, p);
        index(p, true);
      }
      let top = idf.length - 1;
      for (const r of terms) {
        if (r.term === DOCUMENTS) documents = r.documents;
        frequency.set(r.id, r.documents);
        top = Math.max(top, r.id);
      }
      if (terms.length === 0 && changed.length === 0) return;
      idf = new Float64Array(top + 1).fill(idfOf(documents, 0));
      for (const [id, n] of frequency) idf[id] = idfOf(documents, n);
      norms = new Map();
    },

    profile: (id: string) => profiles.get(id),

    /** Communes carrying any of the tags. */
    tagged(tags: readonly string[]): string[] {
      return tags.flatMap((t) => [...(byTag.get(t) ?? [])]);
    },

    /** Smoothed IDF (similarity.ts) by term id, for every id a stored profile names. */
    idfs: (): Float64Array => idf,

    /** Euclidean norm of a profile's TF-IDF vector, kept until the counts change. */
    norm(p: VectorProfile): number {
      let n = norms.get(p.id);
      if (n === undefined) {
        let sum = 0;
        for (let i = 0; i < p.termIds.length; i++) {
          const w = p.counts[i]! * (idf[p.termIds[i]!] ?? idfOf(documents, 0));
          sum += w * w;
        }
        norms.set(p.id, (n = Math.sqrt(sum)));
      }
      return n;
    },

    /** How many profiles and terms the copy holds (the benchmark reports it). */
    size: () => ({ profiles: profiles.size, terms: frequency.size }),
  };
}

export function affinityRanking(db: Executor, dialect: Dialect) {
  const model = readModel(db, dialect);
  const repo = affinityRepository(db, dialect);
  const view = affinityView(db);

  /**
   * Every commune related to the origin (a shared tag, a tie, an alliance path within 6),
   * scored from the stored parts, best first. Nothing here is shown yet: `listedPage` keeps
   * only those the viewer may list, before anything about them is put into words.
   */
  async function scoreAll(communeId: string): Promise<Scored[]> {
    const [tieRows, reachRows] = await Promise.all([
      repo.ties(communeId),
      repo.reach(communeId),
      model.refresh(),
    ]);
    const me = model.profile(communeId);
    if (!me) return [];
    const ties = new Map(tieRows.map((t): [string, StoredTies] => [t.b, t]));
    const reach = new Map(reachRows.map((x): [string, StoredReach] => [x.b, x]));
    const candidates = new Set([...model.tagged(me.tags), ...ties.keys(), ...reach.keys()]);
    candidates.delete(communeId);
    // My weights by term id in a dense array, then one pass over each candidate's counts.
    const idf = model.idfs();
    const mine = new Float64Array(idf.length);
    for (let i = 0; i < me.termIds.length; i++)
      mine[me.termIds[i]!] = me.counts[i]! * idf[me.termIds[i]!]!;
    const myNorm = model.norm(me);
    const myTags = new Set(me.tags);
    const out: Scored[] = [];
    for (const id of candidates) {
      const p = model.profile(id);
      if (!p) continue;
      let dot = 0;
      const { termIds, counts } = p;
      for (let i = 0; i < termIds.length; i++) {
        const w = mine[termIds[i]!]!;
        if (w !== 0) dot += w * counts[i]! * idf[termIds[i]!]!;
      }
      const text = dot === 0 ? 0 : Math.min(1, Math.max(0, dot / (myNorm * model.norm(p))));
      let shared = 0;
      for (const t of p.tags) if (myTags.has(t)) shared++;
      const t = ties.get(id);
      const union = me.tags.length + p.tags.length - shared;
      const score = scoreOf({
        sameCategory: me.category !== '' && me.category === p.category,
        sharedTags: shared,
        tagUnion: union,
        textSimilarity: text,
        sharedMembers: t?.sharedMembers ?? 0,
        degree: reach.get(id)?.degree,
        ties: t
          ? { forks: t.forks, thanks: t.thanks, clearingVolume: t.clearing }
          : { forks: 0, thanks: 0, clearingVolume: 0 },
      });
      out.push({
        origin: me,
        other: p,
        ties: t,
        reach: reach.get(id),
        text,
        score,
        handle: p.handle,
      });
    }
    return out.sort(byScore);
  }

  /**
   * The first `limit` of a sorted list after the cursor that the viewer may list, asked of
   * the database a few at a time (visibility is read live: a commune made private vanishes
   * at once). Their reasons name only what the viewer may see.
   */
  async function listedPage(
    sorted: readonly Scored[],
    viewerId: string | null,
    limit: number,
    after?: AffinityCursor,
  ): Promise<AffinityEntry[]> {
    const page: { s: Scored; seen: SeenCommune }[] = [];
    let i = sorted.findIndex((s) => afterCursor(s, after));
    if (i < 0) return [];
    while (page.length < limit && i < sorted.length) {
      const batch = sorted.slice(i, i + Math.max(16, 2 * (limit - page.length)));
      i += batch.length;
      const seen = await view.seen(
        batch.map((s) => s.other.id),
        viewerId,
      );
      for (const s of batch) {
        const c = seen.get(s.other.id);
        if (listed(c) && page.length < limit) page.push({ s, seen: c! });
      }
    }
    return explain(page, viewerId);
  }

  async function explain(
    list: readonly { s: Scored; seen: SeenCommune }[],
    viewerId: string | null,
  ): Promise<AffinityEntry[]> {
    const viaSeen = await view.seen(
      list.flatMap(({ s }) => s.reach?.via ?? []),
      viewerId,
    );
    // Shared members, named, for each origin in one read.
    const members = new Map<string, { id: string; handle: string }[]>();
    const byOrigin = new Map<string, string[]>();
    for (const { s } of list)
      if ((s.ties?.sharedMembers ?? 0) > 0)
        byOrigin.set(s.origin.id, [...(byOrigin.get(s.origin.id) ?? []), s.other.id]);
    for (const [origin, others] of byOrigin)
      for (const [other, m] of await view.sharedMembersWith(origin, others))
        members.set(`${origin}\u0000${other}`, m);
    return list.map(({ s, seen }) => {
      const inputs = inputsOf(s.origin, s.other, s.text, s.ties, s.reach);
      const shared = members.get(`${s.origin.id}\u0000${s.other.id}`) ?? [];
      const names = new Map(shared.map((m) => [m.id, m.handle]));
      const via = s.reach?.via ?? null;
      const parts: AffinityParts = {
        sameCategory: inputs.sameCategory ? s.origin.category : undefined,
        sharedTags: inputs.sharedTagList,
        tagUnion: inputs.tagUnion,
        textSimilarity: inputs.textSimilarity,
        sharedMembers: shared.map((m) => m.id),
        reach:
          inputs.degree === undefined
            ? undefined
            : { degree: inputs.degree, through: via === null ? [] : [via] },
        ties: inputs.ties,
      };
      const viewer: Viewer = {
        mayseeCommune: (id) => id === s.origin.id || id === s.other.id || listed(viaSeen.get(id)),
        // Both communes are listed to the viewer, so their members are too.
        mayseeMember: (id) => names.has(id),
        communeName: (id) => viaSeen.get(id)?.name ?? seen.name,
        memberName: (id) => names.get(id) ?? '',
      };
      return {
        commune: seen.handle,
        name: seen.name,
        score: s.score,
        degree: inputs.degree ?? null,
        reasons: affinityReasons(s.origin.id, s.other.id, parts, viewer) ?? [],
      };
    });
  }

  return { scoreAll, listedPage, size: () => model.size() };
}
