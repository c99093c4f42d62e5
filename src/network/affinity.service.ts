// Affinity kept current from domain events, and read without recomputing the network
// (docs/adr/0020-affinity-kept-current.md). Every handler recounts from the source rows it
// is pointed at, so an event delivered twice, or late, leaves the same rows.
import type { Deps } from '../deps.ts';
import type { Executor } from '../db/transaction.ts';
import type { DomainEvent } from '../events/events.ts';
import { ok, type Result } from '../shared/result.ts';
import type { AffinityParts, Viewer } from './affinity.ts';
import { WEIGHTS, affinityReasons, scoreOf } from './affinity.ts';
import {
  fullIndex,
  inputsOf,
  profileOf,
  reachRows,
  termDelta,
  type StoredProfile,
  type StoredReach,
  type StoredTies,
} from './affinity.index.ts';
import { affinityRepository, DOCUMENTS } from './affinity.repository.ts';
import { affinityView, type SeenCommune } from './affinity.view.ts';
import { MAX_DEGREE } from './degrees.ts';
import { vectorOfCounts } from './similarity.ts';

export type AffinityEntry = {
  commune: string;
  name: string;
  score: number;
  degree: number | null;
  reasons: string[];
};

/** The event types the subscriber follows. */
export const AFFINITY_EVENTS = [
  'commune_created',
  'charter_amended',
  'member_joined',
  'member_left',
  'item_saved',
  'item_deleted',
  'transfer_posted',
  'alliance_formed',
  'alliance_ended',
] as const satisfies DomainEvent['type'][];

const listed = (c: SeenCommune | undefined): boolean =>
  c !== undefined && (c.visibility === 'public' || c.member);

export function affinityService(deps: Deps) {
  const repo = (ex: Executor) => affinityRepository(ex, deps.dialect);
  const view = (ex: Executor) => affinityView(ex);

  /** A charter's category, tags and words, and the document counts they move. */
  async function refreshProfile(tx: Executor, communeId: string): Promise<void> {
    const charter = await view(tx).charterOf(communeId);
    const before = await repo(tx).profile(communeId);
    const after = charter && profileOf(charter);
    if (!after) return;
    const delta = termDelta(before, after);
    if (!before) delta.set(DOCUMENTS, 1);
    await repo(tx).adjustTerms(delta);
    await repo(tx).putProfile(after);
    if (before?.tags.join('\n') !== after.tags.join('\n'))
      await repo(tx).setTags(communeId, after.tags);
  }

  /** Shared members between the commune and every other commune of the person, recounted. */
  async function recountMembers(tx: Executor, communeId: string, accountId: string) {
    for (const other of await view(tx).communesOf(accountId)) {
      if (other === communeId) continue;
      const n = await view(tx).sharedMemberCount(communeId, other);
      await repo(tx).setTie(communeId, other, 'shared_members', n);
    }
  }

  async function recountForks(tx: Executor, itemId: string) {
    const fork = await view(tx).forkOf(itemId);
    if (!fork || fork[0] === fork[1]) return;
    await repo(tx).setTie(fork[0], fork[1], 'forks', await view(tx).forkCount(...fork));
  }

  async function recountClearing(tx: Executor, communeId: string, transferId: string) {
    const partner = await view(tx).clearingPartnerOf(communeId, transferId);
    if (!partner || partner === communeId) return;
    const totals = await view(tx).clearingTotals(communeId, partner);
    await repo(tx).setTie(communeId, partner, 'clearing', totals.volume);
    await repo(tx).setTie(communeId, partner, 'thanks', totals.thanks);
  }

  /**
   * An alliance between a and b began or ended: every commune whose distances may move is
   * within MAX_DEGREE of a or b, before (its stored reach names a or b) or after (a BFS from
   * a and b now finds it). Each of those gets its own bounded BFS again; nobody else changes.
   */
  async function refreshReach(tx: Executor, ends: readonly string[]) {
    const adjacency = new Map<string, string[]>();
    const bfs = async (start: string): Promise<StoredReach[]> => {
      // Load the allies of everyone within MAX_DEGREE - 1: enough for a BFS to MAX_DEGREE.
      let frontier = [start];
      const seen = new Set(frontier);
      for (let d = 0; d < MAX_DEGREE && frontier.length > 0; d++) {
        const missing = frontier.filter((id) => !adjacency.has(id));
        for (const [id, list] of await repo(tx).neighbours(missing)) adjacency.set(id, list);
        const next: string[] = [];
        for (const id of frontier)
          for (const n of adjacency.get(id) ?? [])
            if (!seen.has(n)) {
              seen.add(n);
              next.push(n);
            }
        frontier = next;
      }
      return reachRows(adjacency, start);
    };
    const affected = new Set([...ends, ...(await repo(tx).reaching(ends))]);
    for (const end of ends) for (const r of await bfs(end)) affected.add(r.b);
    const reaches = new Map<string, StoredReach[]>();
    for (const id of [...affected].sort()) reaches.set(id, await bfs(id));
    await repo(tx).replaceReaches(reaches);
  }

  /** The subscriber: one event, in its delivery's transaction. */
  async function apply(tx: Executor, e: DomainEvent): Promise<void> {
    await repo(tx).lock();
    switch (e.type) {
      case 'commune_created':
      case 'charter_amended':
        return refreshProfile(tx, e.communeId);
      case 'member_joined':
      case 'member_left':
        return recountMembers(tx, e.communeId, e.accountId);
      case 'item_saved':
      case 'item_deleted':
        return recountForks(tx, e.itemId);
      case 'transfer_posted':
        return recountClearing(tx, e.communeId, e.transferId);
      case 'alliance_formed':
      case 'alliance_ended':
        return refreshReach(tx, [e.communeId, e.partnerId]);
      default:
        return;
    }
  }

  /** Replaces every stored row with a full recompute (a new server, or after a restore). */
  async function rebuild(tx: Executor): Promise<void> {
    const index = fullIndex(await view(tx).source());
    const r = repo(tx);
    await r.clear();
    for (const p of index.profiles) {
      await r.putProfile(p);
      await r.setTags(p.id, p.tags);
    }
    await r.adjustTerms(new Map([...index.terms, [DOCUMENTS, index.documents]]));
    for (const t of index.ties) {
      if (t.a > t.b) continue;
      await r.setTie(t.a, t.b, 'shared_members', t.sharedMembers);
      await r.setTie(t.a, t.b, 'forks', t.forks);
      await r.setTie(t.a, t.b, 'thanks', t.thanks);
      await r.setTie(t.a, t.b, 'clearing', t.clearing);
    }
    const byCommune = new Map<string, StoredReach[]>();
    for (const row of index.reach) byCommune.set(row.a, [...(byCommune.get(row.a) ?? []), row]);
    for (const [id, rows] of byCommune) await r.replaceReach(id, rows);
  }

  /**
   * The communes nearest one commune, best first: candidates are those it shares a tag, a
   * tie or an alliance path with (an index lookup each), scored from the stored parts.
   * Communes the viewer may not list are left out before scoring, so nothing of them leaks.
   */
  async function ranked(
    communeId: string,
    viewerId: string | null,
    limit: number,
    ex: Executor = deps.db,
  ): Promise<AffinityEntry[]> {
    const r = repo(ex);
    const me = await r.profile(communeId);
    if (!me) return [];
    const ties = new Map((await r.ties(communeId)).map((t): [string, StoredTies] => [t.b, t]));
    const reach = new Map((await r.reach(communeId)).map((x): [string, StoredReach] => [x.b, x]));
    const candidates = new Set([
      ...(await r.tagPartners(me.tags, communeId)),
      ...ties.keys(),
      ...reach.keys(),
    ]);
    candidates.delete(communeId);
    const seen = await view(ex).seen([...candidates], viewerId);
    const visible = [...candidates].filter((id) => listed(seen.get(id)));
    // Every part but the text first, from category and tags; the text part adds at most
    // WEIGHTS.text, so a candidate whose other parts fall that far behind the k-th best
    // exact score cannot enter the top k, and its words are never read.
    const outlines = await r.outlines(visible);
    const corpus = { documents: 0, frequency: new Map<string, number>() };
    const noText = new Map<string, number>();
    for (const o of outlines) {
      const p: StoredProfile = { ...o, terms: new Map() };
      noText.set(
        o.id,
        scoreOf(inputsOf(me, p, corpus, ties.get(o.id), reach.get(o.id), new Map())),
      );
    }
    const order = outlines.sort((x, y) => noText.get(y.id)! - noText.get(x.id)!);
    const known = new Set<string>();
    const learn = async (terms: Iterable<string>) => {
      const fresh = [...terms].filter((t) => !known.has(t));
      const stats = await r.termStats(fresh);
      for (const t of fresh) known.add(t);
      for (const [t, n] of stats.frequency) corpus.frequency.set(t, n);
      corpus.documents = stats.documents;
    };
    await learn(me.terms.keys());
    const mine = vectorOfCounts(me.terms, corpus);
    type Scored = {
      p: StoredProfile;
      inputs: ReturnType<typeof inputsOf>;
      score: number;
      handle: string;
    };
    const scored: Scored[] = [];
    const kth = () => (scored.length < limit ? -Infinity : scored[limit - 1]!.score);
    const BATCH = 32;
    for (let i = 0; i < order.length; i += BATCH) {
      const batch = order
        .slice(i, i + BATCH)
        .filter((o) => noText.get(o.id)! + WEIGHTS.text + 1e-9 >= kth());
      if (batch.length === 0) break;
      const profiles = await r.profiles(batch.map((o) => o.id));
      const terms = new Set<string>();
      for (const p of profiles) for (const t of p.terms.keys()) terms.add(t);
      await learn(terms);
      for (const p of profiles) {
        const inputs = inputsOf(me, p, corpus, ties.get(p.id), reach.get(p.id), mine);
        scored.push({ p, inputs, score: scoreOf(inputs), handle: seen.get(p.id)!.handle });
      }
      scored.sort((x, y) => y.score - x.score || (x.handle < y.handle ? -1 : 1));
      scored.length = Math.min(scored.length, limit);
    }
    const top = scored;
    // Names for reasons: the first commune on each path, if the viewer may list it.
    const vias = top.flatMap((s) => reach.get(s.p.id)?.via ?? []);
    const viaSeen = await view(ex).seen(vias, viewerId);
    const out: AffinityEntry[] = [];
    for (const s of top) {
      const other = seen.get(s.p.id)!;
      const shared =
        s.inputs.sharedMembers > 0 ? await view(ex).sharedMembers(communeId, s.p.id) : [];
      const names = new Map(shared.map((m) => [m.id, m.handle]));
      const via = reach.get(s.p.id)?.via ?? null;
      const parts: AffinityParts = {
        sameCategory: s.inputs.sameCategory ? me.category : undefined,
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
        mayseeCommune: (id) => id === communeId || id === s.p.id || listed(viaSeen.get(id)),
        // Both communes are listed to the viewer, so their members are too.
        mayseeMember: (id) => names.has(id),
        communeName: (id) => viaSeen.get(id)?.name ?? other.name,
        memberName: (id) => names.get(id) ?? '',
      };
      out.push({
        commune: other.handle,
        name: other.name,
        score: s.score,
        degree: s.inputs.degree ?? null,
        reasons: affinityReasons(communeId, s.p.id, parts, viewer) ?? [],
      });
    }
    return out;
  }

  /** A person's affinity: see forPerson. */
  async function nearPerson(viewerId: string, limit: number) {
    const mine = await view(deps.db).communesOf(viewerId);
    const own = await view(deps.db).seen(mine, viewerId);
    const ownHandles = new Set([...own.values()].map((c) => c.handle));
    const best = new Map<string, AffinityEntry & { from: string }>();
    for (const id of mine) {
      const from = own.get(id)?.handle ?? '';
      for (const e of await ranked(id, viewerId, limit + mine.length)) {
        if (ownHandles.has(e.commune)) continue;
        const had = best.get(e.commune);
        if (!had || e.score > had.score) best.set(e.commune, { ...e, from });
      }
    }
    const list = [...best.values()].sort(
      (x, y) => y.score - x.score || (x.commune < y.commune ? -1 : 1),
    );
    return list.slice(0, limit);
  }

  return {
    apply,
    rebuild,
    ranked,

    /** For the communes list sorted by affinity (a port of the communes context). */
    nearest: (
      near: { communeId: string } | { personId: string },
      viewerId: string | null,
      limit: number,
    ): Promise<AffinityEntry[]> =>
      'communeId' in near
        ? ranked(near.communeId, viewerId, limit)
        : nearPerson(near.personId, limit),

    /** The communes nearest a commune the caller was let into (communeAccess). */
    async forCommune(
      communeId: string,
      viewerId: string | null,
      limit: number,
    ): Promise<Result<AffinityEntry[]>> {
      return ok(await ranked(communeId, viewerId, limit));
    },

    /**
     * A person's affinity: through each commune they belong to, the best of them for each
     * other commune (the reasons are that commune's, and `from` names it). Their own are left out.
     */
    async forPerson(
      viewerId: string,
      limit: number,
    ): Promise<Result<(AffinityEntry & { from: string })[]>> {
      return ok(await nearPerson(viewerId, limit));
    },
  };
}
export type AffinityService = ReturnType<typeof affinityService>;
