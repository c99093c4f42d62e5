import type { Refusal } from '../communes/permit.ts';
import type { Deps } from '../deps.ts';
import type { Executor } from '../db/transaction.ts';
import { isUuid } from '../shared/ids.ts';
import { ok, type AppError, type Err, type Result } from '../shared/result.ts';
import { inventoryFail } from './inventory.errors.ts';
import { itemsView, type ItemRow } from './items.view.ts';
import { itemRefusal, type AlliedCommunes, type ItemViewer } from './visibility.ts';

export const itemNotFound = () => inventoryFail('item_not_found', 'Item not found');

/** The one wording of each refusal; a hidden item answers exactly as an unknown one. */
function refusal(r: Refusal): Err<AppError> {
  switch (r) {
    case 'hidden':
      return itemNotFound();
    case 'not_signed_in':
      return inventoryFail('not_signed_in', 'Sign in to see this item');
    case 'members_only':
    case 'stewards_only':
      return inventoryFail('members_only', 'Only members of its commune (or allies) see this item');
  }
}

/** The caller may change the item: its author or a steward of its commune. */
export const mayEdit = (row: ItemRow, viewerId: string | null): boolean =>
  viewerId !== null && (row.authorId === viewerId || row.viewerRole === 'steward');

/** Loads items through the visibility rule: every inventory route reads items this way. */
export function itemAccess(deps: Deps, alliedCommunes: AlliedCommunes) {
  const view = (ex: Executor = deps.db) => itemsView(ex, deps.dialect);

  /** Where the caller stands towards a commune, given their role there (if any). */
  async function viewerIn(
    communeId: string,
    viewerId: string | null,
    member: boolean,
    ex: Executor = deps.db,
  ): Promise<ItemViewer> {
    const ally =
      !member &&
      viewerId !== null &&
      (await view(ex).memberOfAny(viewerId, await alliedCommunes(communeId, ex)));
    return { signedIn: viewerId !== null, member, ally };
  }

  /** An item (a tombstone too) if the caller may see it; else 404, 401 or 403 by the one rule. */
  async function seen(
    id: string,
    viewerId: string | null,
    ex: Executor = deps.db,
  ): Promise<Result<ItemRow>> {
    // A string that is not an id cannot name an item (and PostgreSQL rejects some, like NUL).
    const row = isUuid(id) ? await view(ex).item(id.toLowerCase(), viewerId) : undefined;
    if (!row) return itemNotFound();
    const viewer = await viewerIn(row.communeId, viewerId, row.viewerRole !== null, ex);
    const refused = itemRefusal(row, viewer);
    return refused ? refusal(refused) : ok(row);
  }

  /** Communes whose `allies` items the caller sees: those allied with any of the caller's. */
  async function alliedWithViewer(viewerId: string | null): Promise<string[]> {
    if (viewerId === null) return [];
    const mine = await view().communesOf(viewerId);
    const allied = new Set<string>();
    for (const c of mine) for (const a of await alliedCommunes(c)) allied.add(a);
    return [...allied];
  }

  /** The caller's communes in an active alliance with this one (who may pay thanks across). */
  async function alliedMemberships(
    communeId: string,
    viewerId: string,
    ex: Executor = deps.db,
  ): Promise<{ id: string; handle: string }[]> {
    return view(ex).memberCommunes(viewerId, await alliedCommunes(communeId, ex));
  }

  return { seen, viewerIn, alliedWithViewer, alliedMemberships };
}
export type ItemAccess = ReturnType<typeof itemAccess>;
