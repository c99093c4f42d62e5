import type { Deps } from '../deps.ts';
import { isUniqueViolation } from '../db/database.ts';
import { newId } from '../shared/ids.ts';
import { toPage, type Page } from '../shared/pagination.ts';
import { fail, notFound, ok, type Result } from '../shared/result.ts';
import { transact } from '../db/transaction.ts';
import { eventBus, type EventPublisher } from '../events/events.service.ts';
import { communeGate, type Visit } from './access.ts';
import { communesRepository } from './communes.repository.ts';
import type {
  Amendment,
  Charter,
  Commune,
  CommuneAccess,
  CommuneListQuery,
  CommuneView,
  Executor,
} from './communes.ts';
import { membershipService } from './membership.service.ts';

const handleTaken = (handle: string) =>
  fail('conflict', 'handle_taken', `The handle ${handle} is taken`, 'handle');

// List cursors carry the last name and handle: ordering is by name, ties by handle.
const encodeCursor = (c: Commune): string =>
  Buffer.from(JSON.stringify([c.name, c.handle])).toString('base64url');
function decodeCursor(cursor: string): { name: string; handle: string } | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(v) &&
      v.length === 2 &&
      typeof v[0] === 'string' &&
      typeof v[1] === 'string' &&
      !`${v[0]}${v[1]}`.includes('\u0000')
    ) {
      return { name: v[0], handle: v[1] };
    }
  } catch {
    // falls through to undefined
  }
  return undefined;
}

const toAccess = (v: Visit): CommuneAccess => ({
  communeId: v.commune.id,
  handle: v.commune.handle,
  visibility: v.commune.visibility,
  role: v.role,
});

/** What the communes list needs from other contexts, asked through their services. */
export type CommunesPorts = {
  /** Handles of the communes this person filtered out of their lists (discussions' filters). */
  hiddenCommunes?: (viewerId: string) => Promise<ReadonlySet<string>>;
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
  ): Promise<Result<Commune>> {
    return transact(deps, tx, async (t) => {
      const changed = await communes(t).amend(communeId, amendment);
      const commune = await communes(t).findById(communeId);
      if (!commune) return notFound('Commune');
      if (!changed) {
        return fail(
          'rule_violation',
          'max_members_below_count',
          `maxMembers cannot be below the ${commune.memberCount} members already in`,
          'maxMembers',
        );
      }
      const told = await events.publish(t, { type: 'charter_amended', communeId });
      return told.ok ? ok(commune) : told;
    });
  }

  return {
    ...membership,
    amendCharter,

    async create(charter: Charter, creatorId: string): Promise<Result<CommuneView>> {
      if (await communes().handleTaken(charter.handle)) return handleTaken(charter.handle);
      const commune: Commune = {
        id: newId(),
        ...charter,
        memberCount: 1,
        createdAt: deps.clock.now().toISOString(),
      };
      try {
        return await transact(deps, undefined, async (tx) => {
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
        if (isUniqueViolation(e) && (await communes().handleTaken(charter.handle)))
          return handleTaken(charter.handle);
        throw e;
      }
    },

    async get(handle: string, viewerId: string | null): Promise<Result<CommuneView>> {
      const v = await gate.visit(handle, viewerId);
      return v.ok ? ok({ ...v.value.commune, viewerRole: v.value.role }) : v;
    },

    /**
     * Public communes and the caller's own, by name: never by size or activity. Communes the
     * caller filtered out are left out in the query itself, not dropped from a fetched page,
     * so every page but the last is full and a cursor still means "after this name".
     */
    async list(
      query: CommuneListQuery,
      viewerId: string | null,
    ): Promise<Result<Page<CommuneView>>> {
      const after = query.before === undefined ? undefined : decodeCursor(query.before);
      if (query.before !== undefined && !after)
        return fail(
          'invalid_input',
          'invalid_cursor',
          'before: not a cursor this list gave out',
          'before',
        );
      const hidden =
        viewerId === null || !ports.hiddenCommunes
          ? []
          : [...(await ports.hiddenCommunes(viewerId))];
      const rows = await communes().list({
        viewerId,
        q: query.q || undefined,
        tag: query.tag,
        category: query.category,
        after,
        limit: query.limit,
        hidden,
      });
      return ok(toPage(rows, query.limit, encodeCursor));
    },

    /** For other contexts: not_found for unknown communes and for private ones the viewer is outside of. */
    access: (
      handle: string,
      viewerId: string | null,
      tx?: Executor,
    ): Promise<Result<CommuneAccess>> => gate.access(handle, viewerId, tx),

    async accessById(
      communeId: string,
      viewerId: string | null,
      tx?: Executor,
    ): Promise<Result<CommuneAccess>> {
      const v = await gate.visitById(communeId, viewerId, tx);
      return v.ok ? ok(toAccess(v.value)) : v;
    },
  };
}
export type CommunesService = ReturnType<typeof communesService>;
