import type { Deps } from '../deps.ts';
import { HANDLE_PATTERN } from '../identity/identity.ts';
import { isUuid } from '../shared/ids.ts';
import { fail, notFound, ok, type Result } from '../shared/result.ts';
import { communesRepository } from './communes.repository.ts';
import { canSee, type Commune, type CommuneAccess, type Executor, type Role } from './communes.ts';
import { membershipRepository } from './membership.repository.ts';

/** A commune as one caller finds it. */
export type Visit = { commune: Commune; role: Role | null; viewerId: string | null };
export type SignedVisit = Visit & { viewerId: string };
export type Need = 'signed_in' | 'member' | 'steward';

/**
 * Who may see and do what. Order matters: a private commune is 404 to outsiders before
 * anything else (even "sign in first" would confirm it exists); then 401, then 403.
 */
export function communeGate(deps: Deps) {
  type Found = { commune: Commune; role: Role | null };

  async function withRole(
    commune: Commune | undefined,
    viewerId: string | null,
    ex: Executor,
  ): Promise<Found | undefined> {
    if (!commune) return undefined;
    return {
      commune,
      role: viewerId ? await membershipRepository(ex).roleOf(commune.id, viewerId) : null,
    };
  }

  /** The commune and the caller's role, before any visibility rule; undefined when unknown. */
  // Strings that cannot be a handle or an id are not looked up: they cannot exist, and PostgreSQL rejects some (NUL).
  const lookup = async (
    handle: string,
    viewerId: string | null,
    ex: Executor = deps.db,
  ): Promise<Found | undefined> =>
    HANDLE_PATTERN.test(handle)
      ? withRole(await communesRepository(ex, deps.dialect).findByHandle(handle), viewerId, ex)
      : undefined;

  const seen = (found: Found | undefined, viewerId: string | null): Result<Visit> =>
    found && canSee(found.commune.visibility, found.role)
      ? ok({ ...found, viewerId })
      : notFound('Commune');

  /** The commune if the caller may see it; unknown and hidden both answer not_found. */
  const visit = async (
    handle: string,
    viewerId: string | null,
    ex: Executor = deps.db,
  ): Promise<Result<Visit>> => seen(await lookup(handle, viewerId, ex), viewerId);

  /** What other contexts need (id, handle, visibility, role) in one query; the same answers as visit. */
  const access = async (
    handle: string,
    viewerId: string | null,
    ex: Executor = deps.db,
  ): Promise<Result<CommuneAccess>> => {
    const r = HANDLE_PATTERN.test(handle)
      ? await communesRepository(ex, deps.dialect).accessOf(handle, viewerId)
      : undefined;
    return r && canSee(r.visibility, r.role)
      ? ok({ communeId: r.id, handle: r.handle, visibility: r.visibility, role: r.role })
      : notFound('Commune');
  };

  const visitById = async (
    communeId: string,
    viewerId: string | null,
    ex: Executor = deps.db,
  ): Promise<Result<Visit>> =>
    seen(
      isUuid(communeId)
        ? await withRole(
            await communesRepository(ex, deps.dialect).findById(communeId),
            viewerId,
            ex,
          )
        : undefined,
      viewerId,
    );

  function require(v: Visit, need: Need): Result<SignedVisit> {
    const { viewerId } = v;
    if (viewerId === null) return fail('unauthenticated', 'not_signed_in', 'Sign in first');
    if (need === 'member' && v.role === null)
      return fail('forbidden', 'members_only', 'Only members of this commune may do this');
    if (need === 'steward' && v.role !== 'steward')
      return fail('forbidden', 'stewards_only', 'Only stewards of this commune may do this');
    return ok({ ...v, viewerId });
  }

  /** Visits a commune and checks the caller is signed in and holds the role the action needs. */
  async function enter(
    handle: string,
    viewerId: string | null,
    need: Need,
  ): Promise<Result<SignedVisit>> {
    const v = await visit(handle, viewerId);
    return v.ok ? require(v.value, need) : v;
  }

  return { lookup, visit, visitById, access, enter };
}
export type CommuneGate = ReturnType<typeof communeGate>;
