// Rules for thanking an item's author and answering offers and needs. No I/O.
import type { ItemKind } from '../db/schema.inventory.ts';
import type { InventoryErrorCode } from './inventory.errors.ts';

/** What the rules need of an item and of where the caller stands. */
export type ExchangeCase = {
  kind: ItemKind;
  deleted: boolean;
  own: boolean;
  /** A member (or steward) of the item's commune. */
  member: boolean;
};

type Refusal = { code: InventoryErrorCode; message: string };

/**
 * Thanks are a payment in the item's commune's currency, so only its members can send them
 * today; allies will pay through clearing ("The network of communes").
 */
export function thanksRefusal(c: ExchangeCase): Refusal | null {
  if (c.deleted) return { code: 'item_deleted', message: 'This item was deleted' };
  if (c.own) return { code: 'thanks_to_self', message: 'You cannot thank yourself' };
  if (!c.member)
    return {
      code: 'not_allied',
      message: 'Thanks from another commune need an alliance and clearing between currencies',
    };
  return null;
}

/** "I can help" answers a need; "I'd like this" answers an offer. */
export function conversationRefusal(c: ExchangeCase): Refusal | null {
  if (c.deleted) return { code: 'item_deleted', message: 'This item was deleted' };
  if (c.kind !== 'need' && c.kind !== 'offer')
    return { code: 'not_offer_or_need', message: 'Only offers and needs open a conversation' };
  if (c.own) return { code: 'own_item', message: 'This is your own item' };
  if (!c.member)
    return { code: 'members_only', message: 'Only members of its commune answer this item' };
  return null;
}

/** The thread a conversation opens: who answers what, in words. */
export function conversationOpening(
  item: { id: string; kind: ItemKind; title: string; author: string },
  caller: string,
  maxTitle: number,
): { title: string; body: string } {
  const verb = item.kind === 'need' ? 'I can help' : 'I’d like this';
  const title = `${verb}: ${item.title}`;
  return {
    title: title.length > maxTitle ? `${title.slice(0, maxTitle - 1)}…` : title,
    body:
      item.kind === 'need'
        ? `@${caller} offers to help with @${item.author}’s need “${item.title}” (/items/${item.id}).`
        : `@${caller} would like @${item.author}’s offer “${item.title}” (/items/${item.id}).`,
  };
}

/** A memo that names the item and never changes, so a retried thanks means the same. */
export const thanksMemo = (itemId: string): string => `Thanks for item ${itemId}`;
