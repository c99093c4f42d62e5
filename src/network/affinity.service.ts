// Affinity kept current from domain events, and read without recomputing the network
// (docs/adr/0020-affinity-kept-current.md). Every handler recounts from the source rows it
// is pointed at, so an event delivered twice, or late, leaves the same rows.
import type { Deps } from '../deps.ts';
import type { Executor } from '../db/transaction.ts';
import type { DomainEvent } from '../events/events.ts';
import { ok, type Result } from '../shared/result.ts';
import { fullIndex, profileOf, reachRows, type StoredReach } from './affinity.index.ts';
import {
  affinityRanking,
  byScore,
  type AffinityCursor,
  type AffinityEntry,
  type Scored,
} from './affinity.ranking.ts';
import { affinityRepository, DOCUMENTS, packTerms } from './affinity.repository.ts';
import { affinityView } from './affinity.view.ts';
import { MAX_DEGREE } from './degrees.ts';

export type { AffinityCursor, AffinityEntry } from './affinity.ranking.ts';

/**
 * The format the stored rows are written in. A migration that changes it (0024 did) leaves
 * the rows stale, and `commune migrate` rebuilds them (rebuildIfStale).
 */
export const AFFINITY_FORMAT = 2;

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

/**
 * Which of those events the subscriber needs, asked at publish time: of the transfers only
 * those paid into a clearing account, the only ones that move a tie (recountClearing).
 */
export const affinityWants = (e: DomainEvent): boolean =>
  e.type !== 'transfer_posted' || e.payee === undefined || e.payee === 'clearing';

export function affinityService(deps: Deps) {
  const repo = (ex: Executor) => affinityRepository(ex, deps.dialect);
  const view = (ex: Executor) => affinityView(ex);

  /**
   * A charter's category, tags and words, and the document counts they move: a term the
   * profile gains counts one document more, one it loses one fewer.
   */
  async function refreshProfile(tx: Executor, communeId: string): Promise<void> {
    const charter = await view(tx).charterOf(communeId);
    if (!charter) return;
    const r = repo(tx);
    const after = profileOf(charter);
    const before = await r.profile(communeId);
    const words = before ? [...after.terms.keys()] : [DOCUMENTS, ...after.terms.keys()];
    const ids = await r.termIds(words);
    const fresh = words.filter((t) => !ids.has(t));
    const made = await r.newTermIds(fresh.length);
    fresh.forEach((t, i) => ids.set(t, made[i]!));
    const had = new Set(before?.termIds ?? []);
    const counts = new Map([...after.terms].map(([t, n]) => [ids.get(t)!, n]));
    const gained = words
      .filter((t) => !had.has(ids.get(t)!))
      .map((t): [string, number] => [t, ids.get(t)!]);
    const lost = [...had].filter((id) => !counts.has(id));
    const terms = packTerms(counts);
    const same =
      before !== undefined &&
      gained.length === 0 &&
      lost.length === 0 &&
      before.category === after.category &&
      before.tags.join('\n') === after.tags.join('\n') &&
      packTerms(new Map([...before.termIds].map((id, i) => [id, before.counts[i]!]))) === terms;
    if (same) return;
    const seq = await r.nextSeq();
    await r.addDocuments(gained, seq);
    await r.removeDocuments(lost, seq);
    await r.putProfiles([{ ...after, terms }], seq);
    if (before?.tags.join('\n') !== after.tags.join('\n')) await r.setTags(communeId, after.tags);
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
    await r.lock();
    await r.clear();
    await r.nextEpoch();
    const words = [DOCUMENTS, ...index.terms.keys()];
    const made = await r.newTermIds(words.length);
    const ids = new Map(words.map((t, i) => [t, made[i]!]));
    const seq = await r.nextSeq();
    await r.insertTerms(
      words.map((term) => ({
        term,
        id: ids.get(term)!,
        documents: term === DOCUMENTS ? index.documents : index.terms.get(term)!,
        seq,
      })),
    );
    await r.putProfiles(
      index.profiles.map((p) => ({
        ...p,
        terms: packTerms(new Map([...p.terms].map(([t, n]) => [ids.get(t)!, n]))),
      })),
      seq,
    );
    await r.insertTags(index.profiles.flatMap((p) => p.tags.map((t) => [t, p.id] as const)));
    await r.insertTies(index.ties);
    const byCommune = new Map<string, StoredReach[]>();
    for (const row of index.reach) byCommune.set(row.a, [...(byCommune.get(row.a) ?? []), row]);
    await r.replaceReaches(byCommune);
    await r.setFormat(AFFINITY_FORMAT);
  }

  /** Rebuilds the stored rows when they were built in another format, or never: see 0024. */
  async function rebuildIfStale(): Promise<boolean> {
    if ((await repo(deps.db).format()) === AFFINITY_FORMAT) return false;
    return deps.db.transaction().execute(async (tx) => {
      await repo(tx).lock();
      if ((await repo(tx).format()) === AFFINITY_FORMAT) return false;
      await rebuild(tx);
      return true;
    });
  }

  const ranking = affinityRanking(deps.db, deps.dialect);

  /** The communes nearest one commune, best first, after the cursor if one is given. */
  async function ranked(
    communeId: string,
    viewerId: string | null,
    limit: number,
    after?: AffinityCursor,
  ): Promise<AffinityEntry[]> {
    return ranking.listedPage(await ranking.scoreAll(communeId), viewerId, limit, after);
  }

  /**
   * A person's affinity: through each commune they belong to, the best of them for each
   * other commune (the reasons are that commune's, and `from` names it). Their own are left out.
   */
  async function nearPerson(viewerId: string, limit: number, after?: AffinityCursor) {
    const mine = await view(deps.db).communesOf(viewerId);
    const own = await view(deps.db).seen(mine, viewerId);
    const best = new Map<string, Scored>();
    for (const id of mine)
      for (const s of await ranking.scoreAll(id)) {
        if (own.has(s.other.id)) continue;
        const had = best.get(s.other.id);
        if (!had || s.score > had.score) best.set(s.other.id, s);
      }
    const sorted = [...best.values()].sort(byScore);
    const entries = await ranking.listedPage(sorted, viewerId, limit, after);
    const from = new Map(sorted.map((s) => [s.handle, own.get(s.origin.id)?.handle ?? '']));
    return entries.map((e) => ({ ...e, from: from.get(e.commune) ?? '' }));
  }

  return {
    apply,
    rebuild,
    rebuildIfStale,
    ranked,

    /** For the communes list sorted by affinity (a port of the communes context). */
    nearest: (
      near: { communeId: string } | { personId: string },
      viewerId: string | null,
      limit: number,
      after?: AffinityCursor,
    ): Promise<AffinityEntry[]> =>
      'communeId' in near
        ? ranked(near.communeId, viewerId, limit, after)
        : nearPerson(near.personId, limit, after),

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
