// Who may see an item: the one rule every inventory route (and search) applies. No I/O.
import type { Visibility as CommuneVisibility } from '../communes/communes.ts';
import type { Refusal } from '../communes/permit.ts';
import type { ItemVisibility } from '../db/schema.inventory.ts';
import type { Executor } from '../db/transaction.ts';

/** What the rule needs to know of an item. */
export type ItemAudience = {
  visibility: ItemVisibility;
  communeVisibility: CommuneVisibility;
};

/** Where the caller stands towards the item's commune. */
export type ItemViewer = {
  signedIn: boolean;
  /** A member (or steward) of the item's commune. */
  member: boolean;
  /** A member of a commune allied with the item's commune. */
  ally: boolean;
};

/**
 * Members see everything of their commune; allies see `allies` and `public` items; anyone
 * who may see the commune sees its `public` items. A private commune shows nothing to
 * outsiders (its allies see what it shares with allies).
 */
export function maySeeItem(item: ItemAudience, viewer: ItemViewer): boolean {
  if (viewer.member) return true;
  if (viewer.ally && item.visibility !== 'commune') return true;
  return item.visibility === 'public' && item.communeVisibility !== 'private';
}

/**
 * The one access rule applied to an item: hidden (404) when the caller may not even see its
 * commune, else 401 anonymous and 403 signed in, as for any member-only thing of a commune.
 */
export function itemRefusal(item: ItemAudience, viewer: ItemViewer): Refusal | null {
  if (maySeeItem(item, viewer)) return null;
  if (item.communeVisibility === 'private' && !viewer.ally) return 'hidden';
  return viewer.signedIn ? 'members_only' : 'not_signed_in';
}

/**
 * Communes allied with a commune. Alliances arrive with "The network of communes"; until
 * then there are none, and `allies` items behave as `commune` ones. That issue replaces
 * this port's implementation (createContexts), not the rule.
 */
export type AlliedCommunes = (
  communeId: string,
  // The caller's transaction: on SQLite a read outside it would wait for it forever.
  ex?: Executor,
) => Promise<readonly string[]>;
export const noAlliancesYet: AlliedCommunes = async () => [];

/** The item visibilities a viewer sees in one commune: lists filter by these in SQL. */
export const visibleLevels = (
  communeVisibility: CommuneVisibility,
  viewer: ItemViewer,
): ItemVisibility[] =>
  (['commune', 'allies', 'public'] as const).filter((visibility) =>
    maySeeItem({ visibility, communeVisibility }, viewer),
  );
