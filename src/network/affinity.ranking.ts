// Reading affinity: every candidate of one commune scored from the stored parts, best first
// (docs/adr/0030-affinity-fast-reads.md). Document counts are kept per process and refreshed
// by sequence number, so a request reads only the terms that changed since the one before.
import type { Dialect } from '../db/database.ts';
import type { Executor } from '../db/transaction.ts';
import type { AffinityParts, Viewer } from './affinity.ts';
import { affinityReasons, scoreOf } from './affinity.ts';
import {
  cosineTo,
  idfOf,
  inputsOf,
  weighted,
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

/** One candidate, scored, before its reasons are written. */
export type Scored = {
  origin: VectorProfile;
  other: VectorProfile;
  seen: SeenCommune;
  inputs: ReturnType<typeof inputsOf>;
  reach: StoredReach | undefined;
  score: number;
};

export const listed = (c: SeenCommune | undefined): boolean =>
  c !== undefined && (c.visibility === 'public' || c.member);

/** Best first; equal scores by handle, so that a cursor (score, handle) is a total order. */
export const byScore = (x: { score: number; handle: string }, y: typeof x): number =>
  y.score - x.score || (x.handle < y.handle ? -1 : x.handle > y.handle ? 1 : 0);

/** True when the entry comes after the cursor in that order. */
export const afterCursor = (e: { score: number; handle: string }, c?: AffinityCursor) =>
  c === undefined || e.score < c.score || (e.score === c.score && e.handle > c.handle);

/** Document counts by term id, as of the last sequence number this process read. */
function termCache() {
  let seq = -1;
  let documents = 0;
  const frequency = new Map<number, number>();
  const idf = new Map<number, number>();
  return {
    /** Brings the counts up to date: one indexed read, of nothing when nothing changed. */
    async refresh(db: Executor, dialect: Dialect) {
      const repo = affinityRepository(db, dialect);
      const last = await repo.seq();
      if (last === seq) return;
      // Counters only grow; one that went back means the rows were made anew (tests).
      if (last < seq) {
        seq = -1;
        frequency.clear();
      }
      for (const r of await repo.termsSince(seq)) {
        if (r.term === DOCUMENTS) documents = r.documents;
        frequency.set(r.id, r.documents);
        seq = Math.max(seq, r.seq);
      }
      seq = Math.max(seq, last);
      idf.clear();
    },
    idf(termId: number): number {
      let v = idf.get(termId);
      if (v === undefined) idf.set(termId, (v = idfOf(documents, frequency.get(termId) ?? 0)));
      return v;
    },
  };
}

export function affinityRanking(db: Executor, dialect: Dialect) {
  const terms = termCache();
  const repo = affinityRepository(db, dialect);
  const view = affinityView(db);

  /**
   * Every commune related to the origin (a shared tag, a tie, an alliance path within 6)
   * that the viewer may list, scored, best first. Those the viewer may not list are dropped
   * before anything else is read about them.
   */
  async function scoreAll(communeId: string, viewerId: string | null): Promise<Scored[]> {
    const me = await repo.profile(communeId);
    if (!me) return [];
    const [tieRows, reachRows, tagged] = await Promise.all([
      repo.ties(communeId),
      repo.reach(communeId),
      repo.tagPartners(me.tags, communeId),
    ]);
    const ties = new Map(tieRows.map((t): [string, StoredTies] => [t.b, t]));
    const reach = new Map(reachRows.map((x): [string, StoredReach] => [x.b, x]));
    const candidates = new Set([...tagged, ...ties.keys(), ...reach.keys()]);
    candidates.delete(communeId);
    const seen = await view.seen([...candidates], viewerId);
    const visible = [...candidates].filter((id) => listed(seen.get(id)));
    const profiles = await repo.profiles(visible);
    // After the profiles: every term they name has its count by now.
    await terms.refresh(db, dialect);
    const idf = (id: number) => terms.idf(id);
    const mine = weighted(me, idf);
    const out: Scored[] = [];
    for (const p of profiles) {
      const text = cosineTo(mine, p, idf);
      const inputs = inputsOf(me, p, text, ties.get(p.id), reach.get(p.id));
      const s = seen.get(p.id)!;
      out.push({
        origin: me,
        other: p,
        seen: s,
        inputs,
        reach: reach.get(p.id),
        score: scoreOf(inputs),
      });
    }
    return out.sort((x, y) => byScore(entryKey(x), entryKey(y)));
  }

  /** The reasons of a few scored candidates, named as the viewer may see them. */
  async function explain(list: readonly Scored[], viewerId: string | null) {
    const vias = list.flatMap((s) => s.reach?.via ?? []);
    const viaSeen = await view.seen(vias, viewerId);
    const out: AffinityEntry[] = [];
    for (const s of list) {
      const shared =
        s.inputs.sharedMembers > 0 ? await view.sharedMembers(s.origin.id, s.other.id) : [];
      const names = new Map(shared.map((m) => [m.id, m.handle]));
      const via = s.reach?.via ?? null;
      const parts: AffinityParts = {
        sameCategory: s.inputs.sameCategory ? s.origin.category : undefined,
        sharedTags: s.inputs.sharedTagList,
        tagUnion: s.inputs.tagUnion,
        textSimilarity: s.inputs.textSimilarity,
        sharedMembers: shared.map((m) => m.id),
        reach:
          s.inputs.degree === undefined
            ? undefined
            : { degree: s.inputs.degree, through: via === null ? [] : [via] },
        ties: s.inputs.ties,
      };
      const viewer: Viewer = {
        mayseeCommune: (id) => id === s.origin.id || id === s.other.id || listed(viaSeen.get(id)),
        // Both communes are listed to the viewer, so their members are too.
        mayseeMember: (id) => names.has(id),
        communeName: (id) => viaSeen.get(id)?.name ?? s.seen.name,
        memberName: (id) => names.get(id) ?? '',
      };
      out.push({
        commune: s.seen.handle,
        name: s.seen.name,
        score: s.score,
        degree: s.inputs.degree ?? null,
        reasons: affinityReasons(s.origin.id, s.other.id, parts, viewer) ?? [],
      });
    }
    return out;
  }

  return { scoreAll, explain };
}

export const entryKey = (s: Scored) => ({ score: s.score, handle: s.seen.handle });
