import type { Deps } from '../deps.ts';
import { HANDLE_PATTERN } from '../identity/identity.ts';
import { isUuid } from '../shared/ids.ts';
import { ok, type AppError, type Err, type Result } from '../shared/result.ts';
import { accessFail, type AccessErrorCode } from './communes.errors.ts';
import { communesRepository } from './communes.repository.ts';
import type { Commune, CommuneAccess, Role } from './communes.ts';
import { membershipRepository } from './membership.repository.ts';
import { permit, type Need, type Refusal } from './permit.ts';
import type { Executor } from '../db/transaction.ts';

/** The one wording of each refusal, whichever context asks. */
export function refusal(r: Refusal): Err<AppError<AccessErrorCode>> {
  switch (r) {
    case 'hidden':
      return accessFail('not_found', 'Commune not found');
    case 'not_signed_in':
      return accessFail('not_signed_in', 'Sign in first');
    case 'members_only':
      return accessFail('members_only', 'Only members of this commune may do this');
    case 'stewards_only':
      return accessFail('stewards_only', 'Only stewards of this commune may do this');
  }
}

/** A caller admitted to a commune for a need; viewerId is set for every need but 'visitor'. */
export type Permitted = CommuneAccess & { viewerId: string | null };

/** Loads a commune and the caller's role, and applies permit(). */
export function communeGate(deps: Deps) {
  type Found = { commune: Commune; role: Role | null };
  const communes = (ex: Executor) => communesRepository(ex, deps.dialect);

  /** The commune and the caller's role, before any visibility rule; undefined when unknown. */
  // Strings that cannot be a handle or an id are not looked up: they cannot exist, and PostgreSQL rejects some (NUL).
  async function lookup(
    handle: string,
    viewerId: string | null,
    ex: Executor = deps.db,
  ): Promise<Found | undefined> {
    const commune = HANDLE_PATTERN.test(handle)
      ? await communes(ex).findByHandle(handle)
      : undefined;
    if (!commune) return undefined;
    const role = viewerId ? await membershipRepository(ex).roleOf(commune.id, viewerId) : null;
    return { commune, role };
  }

  const decide = (
    found: CommuneAccess | undefined,
    viewerId: string | null,
    need: Need,
  ): Result<Permitted, AppError<AccessErrorCode>> => {
    if (!found) return refusal('hidden');
    const refused = permit(need, { ...found, signedIn: viewerId !== null });
    return refused ? refusal(refused) : ok({ ...found, viewerId });
  };

  /** The commune by handle, if the caller meets the need (one query). */
  async function permitted(
    handle: string,
    viewerId: string | null,
    need: Need,
    ex: Executor = deps.db,
  ): Promise<Result<Permitted, AppError<AccessErrorCode>>> {
    const r = HANDLE_PATTERN.test(handle)
      ? await communes(ex).accessOf(handle, viewerId)
      : undefined;
    const found = r && {
      communeId: r.id,
      handle: r.handle,
      visibility: r.visibility,
      role: r.role,
      open: { books: Number(r.open_books) === 1, ballots: Number(r.open_ballots) === 1 },
    };
    return decide(found, viewerId, need);
  }

  /** The same rule for routes that name a thread, a proposal or another thing of a commune. */
  async function permittedById(
    communeId: string,
    viewerId: string | null,
    need: Need,
    ex: Executor = deps.db,
  ): Promise<Result<Permitted, AppError<AccessErrorCode>>> {
    const commune = isUuid(communeId) ? await communes(ex).findById(communeId) : undefined;
    const role =
      commune && viewerId ? await membershipRepository(ex).roleOf(commune.id, viewerId) : null;
    const found = commune && {
      communeId: commune.id,
      handle: commune.handle,
      visibility: commune.visibility,
      role,
      open: { books: commune.openBooks, ballots: commune.openBallots },
    };
    return decide(found, viewerId, need);
  }

  return { lookup, permitted, permittedById };
}
export type CommuneGate = ReturnType<typeof communeGate>;
