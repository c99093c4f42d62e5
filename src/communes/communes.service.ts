import type { Deps } from '../deps.ts';
import { isUniqueViolation } from '../db/database.ts';
import { decodeCursor, encodeCursor } from '../shared/cursor.ts';
import { newId } from '../shared/ids.ts';
import { toPage, type Page } from '../shared/pagination.ts';
import { ok, type AppError, type Result } from '../shared/result.ts';
import { transact, type Executor } from '../db/transaction.ts';
import { communeGate, type Permitted } from './access.ts';
import { communesFail, type CommunesErrorCode } from './communes.errors.ts';
import { eventBus, type EventPublisher } from '../events/events.service.ts';
import { handlesRepository } from '../identity/handles.repository.ts';
import { communesRepository } from './communes.repository.ts';
import type {
  Amendment,
  Charter,
  Commune,
  CommuneAccess,
  CommuneListQuery,
  CommuneView,
  Disclosure,
  Nearness,
} from './communes.ts';
import { membershipService } from './membership.service.ts';
import type { Need } from './permit.ts';

const handleTaken = (handle: string) =>
  communesFail('handle_taken', `The handle ${handle} is taken`, { field: 'handle' });
const communeNotFound = () => communesFail('not_found', 'Commune not found');

/** The context's own failures; work that publishes events may also fail with a subscriber's (AppError). */
type Failure = AppError<CommunesErrorCode>;

const withoutViewer = <E>(r: Result<Permitted, E>): Result<CommuneAccess, E> => {
  if (!r.ok) return r;
  const { communeId, handle, visibility, role, open } = r.value;
  return ok({ communeId, handle, visibility, role, open });
};

/** A page of communes, and how many matches the caller's filters left out (on the first page). */
type Listed = Page<CommuneView> & { hidden: number };

// List cursors carry the last name and handle: ordering is by name, ties by handle.
const cursorOf = (c: Commune): string => encodeCursor([c.name, c.handle]);

/** What the communes list needs from other contexts, asked through their services. */
export type CommunesPorts = {
  /** Handles of the communes this person filtered out of their lists (discussions' filters). */
  hiddenCommunes?: (viewerId: string) => Promise<ReadonlySet<string>>;
  /**
   * Communes by affinity, best first (the network context): to one commune, or to the
   * communes a person belongs to. Only communes the viewer may list.
   */
  nearest?: (
    near: { communeId: string } | { personId: string },
    viewerId: string | null,
    limit: number,
    /** Only those after this entry, in the order best first, then by handle. */
    after?: { score: number; handle: string },
  ) => Promise<({ commune: string } & Nearness)[]>;
};

/**
 * Charters and who may see them; membership work is delegated to membershipService. Other
 * contexts learn of changes through `events` (commune_created, member_joined, …); without a
 * bus of the app's the events are still recorded, with nobody listening.
 */
export function communesService(
  deps: Deps,
  events: EventPublisher = eventBus(deps),
  ports: CommunesPorts = {},
) {
  const gate = communeGate(deps);
  const { admit, ...membership } = membershipService(deps, events, gate);
  const communes = (ex: Executor = deps.db) => communesRepository(ex, deps.dialect);

  /** Changes a charter: what a passed amend_charter proposal runs (stewards cannot do it alone). */
  async function amendCharter(
    communeId: string,
    amendment: Amendment,
    tx?: Executor,
  ): Promise<Result<Commune, Failure | AppError>> {
    return transact(deps, tx, async (t) => {
      const changed = await communes(t).amend(communeId, amendment);
      const commune = await communes(t).findById(communeId);
      if (!commune) return communeNotFound();
      if (!changed) {
        return communesFail(
          'max_members_below_count',
          `maxMembers cannot be below the ${commune.memberCount} members already in`,
          { field: 'maxMembers', details: { memberCount: commune.memberCount } },
        );
      }
      const told = await events.publish(t, { type: 'charter_amended', communeId });
      return told.ok ? ok(commune) : told;
    });
  }

  /**
   * One page, best first: the communes related to the origin, then filtered as by name. The
   * cursor is the last entry's (score, handle); scores are recomputed on each page, and the
   * order (score, then handle) is total, so pages neither repeat nor skip while nothing changes.
   */
  async function byAffinity(
    query: CommuneListQuery,
    viewerId: string | null,
    hidden: string[],
    after: { score: number; handle: string } | undefined,
  ): Promise<Result<Listed, Failure>> {
    let near: { communeId: string } | { personId: string };
    if (query.near !== undefined) {
      const origin = await gate.permitted(query.near, viewerId, 'visitor');
      if (!origin.ok) return origin;
      near = { communeId: origin.value.communeId };
    } else if (viewerId !== null) near = { personId: viewerId };
    else
      return communesFail(
        'not_signed_in',
        'Sign in, or name a commune with near=, to sort by affinity',
      );
    if (!ports.nearest) return ok({ items: [], next: null, hidden: 0 });
    // The filters (q, tag, category, the caller's own) drop some: ask in batches until the
    // page is full, plus one to know whether another page follows.
    const items: CommuneView[] = [];
    const batch = Math.min(200, query.limit + 1);
    let from = after;
    // Hidden ones are counted up to this page's last entry; later ones are the next page's.
    const left = new Set(hidden);
    let dropped = 0;
    let pending = 0;
    for (;;) {
      const ranked = await ports.nearest(near, viewerId, batch, from);
      const rows = await communes().list({
        viewerId,
        q: query.q || undefined,
        tag: query.tag,
        category: query.category,
        limit: batch,
        hidden,
        only: ranked.map((r) => r.commune),
      });
      const byHandle = new Map(rows.map((r) => [r.handle, r]));
      for (const { commune, ...affinity } of ranked) {
        const row = byHandle.get(commune);
        if (left.has(commune)) pending += 1;
        if (!row) continue;
        items.push({ ...row, affinity });
        if (items.length <= query.limit) {
          dropped += pending;
          pending = 0;
        }
      }
      const last = ranked.at(-1);
      if (items.length > query.limit || ranked.length < batch || !last) break;
      from = { score: last.score, handle: last.commune };
    }
    const page = items.slice(0, query.limit);
    const end = page.at(-1);
    const more = items.length > query.limit;
    return ok({
      items: page,
      next: more && end?.affinity ? encodeCursor([String(end.affinity.score), end.handle]) : null,
      hidden: more ? dropped : dropped + pending,
    });
  }

  return {
    ...membership,
    amendCharter,

    /** Opens or closes the books and named ballots: what a passed change_governance runs. */
    setDisclosure: (communeId: string, d: Partial<Disclosure>, tx: Executor) =>
      communes(tx).setDisclosure(communeId, d),

    async create(
      charter: Charter,
      creatorId: string,
    ): Promise<Result<CommuneView, Failure | AppError>> {
      if (await handlesRepository(deps.db).taken(charter.handle))
        return handleTaken(charter.handle);
      const commune: Commune = {
        id: newId(),
        ...charter,
        memberCount: 1,
        createdAt: deps.clock.now().toISOString(),
        openBooks: false,
        openBallots: false,
      };
      try {
        return await transact(deps, undefined, async (tx) => {
          await handlesRepository(tx).claim(commune.handle, 'commune');
          await communes(tx).insert({ ...commune, createdBy: creatorId });
          const told = await events.publish(tx, {
            type: 'commune_created',
            communeId: commune.id,
            createdBy: creatorId,
          });
          if (!told.ok) return told;
          const admitted = await admit(tx, commune.id, creatorId, 'steward', commune.createdAt);
          return admitted.ok ? ok({ ...commune, viewerRole: 'steward' as const }) : admitted;
        });
      } catch (e) {
        // Two creations raced for one handle (or a person took it); the handles key decided.
        if (isUniqueViolation(e) && (await handlesRepository(deps.db).taken(charter.handle)))
          return handleTaken(charter.handle);
        throw e;
      }
    },

    /** The commune a caller was let into (see communeAccess), with where they stand. */
    async get(access: CommuneAccess): Promise<Result<CommuneView, Failure>> {
      const commune = await communes().findById(access.communeId);
      return commune ? ok({ ...commune, viewerRole: access.role }) : communeNotFound();
    },

    /**
     * Public communes and the caller's own, by name: never by size or activity. Communes the
     * caller filtered out are left out in the query itself, not dropped from a fetched page,
     * so every page but the last is full and a cursor still means "after this name".
     */
    async list(query: CommuneListQuery, viewerId: string | null): Promise<Result<Listed, Failure>> {
      const parts = query.before === undefined ? undefined : decodeCursor(query.before, 2);
      if (query.before !== undefined && !parts)
        return communesFail('invalid_cursor', 'before: not a cursor this list gave out', {
          field: 'before',
        });
      const hidden =
        viewerId === null || !ports.hiddenCommunes
          ? []
          : [...(await ports.hiddenCommunes(viewerId))];
      if (query.sort === 'affinity') {
        // A cursor of this list: (score, handle) of the last entry shown.
        const score = parts === undefined ? undefined : Number(parts[0]);
        if (parts && (parts[0].trim() === '' || !Number.isFinite(score)))
          return communesFail('invalid_cursor', 'before: not a cursor this list gave out', {
            field: 'before',
          });
        return byAffinity(query, viewerId, hidden, parts && { score: score!, handle: parts[1] });
      }
      const matching = {
        viewerId,
        q: query.q || undefined,
        tag: query.tag,
        category: query.category,
      };
      const rows = await communes().list({
        ...matching,
        after: parts && { name: parts[0], handle: parts[1] },
        limit: query.limit,
        hidden,
      });
      // The first page counts every match the filters leave out; later pages count none.
      const dropped =
        hidden.length === 0 || parts
          ? 0
          : (await communes().list({ ...matching, limit: hidden.length, only: hidden })).length;
      return ok({ ...toPage(rows, query.limit, cursorOf), hidden: dropped });
    },

    /** The one access rule by handle: the commune if the caller meets the need. */
    permit: (handle: string, viewerId: string | null, need: Need, tx?: Executor) =>
      gate.permitted(handle, viewerId, need, tx),

    /** The one access rule for id-based routes (a thread, a proposal): found by the commune's id. */
    permitById: (communeId: string, viewerId: string | null, need: Need, tx?: Executor) =>
      gate.permittedById(communeId, viewerId, need, tx),

    /** For other contexts: not_found for unknown communes and for private ones the viewer is outside of. */
    access: async (
      handle: string,
      viewerId: string | null,
      tx?: Executor,
    ): Promise<Result<CommuneAccess, Failure>> =>
      withoutViewer(await gate.permitted(handle, viewerId, 'visitor', tx)),

    accessById: async (
      communeId: string,
      viewerId: string | null,
      tx?: Executor,
    ): Promise<Result<CommuneAccess, Failure>> =>
      withoutViewer(await gate.permittedById(communeId, viewerId, 'visitor', tx)),
  };
}
export type CommunesService = ReturnType<typeof communesService>;
