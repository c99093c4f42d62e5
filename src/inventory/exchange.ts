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

/** Thanks are paid by a member, or by a member of an allied commune through clearing. */
export function thanksRefusal(c: ExchangeCase): Refusal | null {
  if (c.deleted) return { code: 'item_deleted', message: 'This item was deleted' };
  if (c.own) return { code: 'thanks_to_self', message: 'You cannot thank yourself' };
  return null;
}

/** Which currency pays a thanks: the item's commune's, or an allied commune's through clearing. */
export type ThanksPayer = { kind: 'member' } | { kind: 'ally'; communeId: string };

/**
 * The giver's own commune pays: the item's (a member), else their one commune in an active
 * alliance with it. `fromCommune` names it when they belong to several.
 */
export function thanksPayer(
  item: { commune: string; member: boolean },
  allied: readonly { id: string; handle: string }[],
  fromCommune: string | undefined,
): { ok: true; payer: ThanksPayer } | { ok: false; refusal: Refusal } {
  const refuse = (code: InventoryErrorCode, message: string) =>
    ({ ok: false, refusal: { code, message } }) as const;
  const notAllied = (what: string) =>
    refuse(
      'not_allied',
      `${what} in an active alliance with @${item.commune}: thanks from another commune go through clearing`,
    );
  const across = (communeId: string) => ({ ok: true, payer: { kind: 'ally', communeId } }) as const;
  if (fromCommune === undefined || fromCommune === item.commune) {
    if (item.member) return { ok: true, payer: { kind: 'member' } };
    if (fromCommune !== undefined)
      return notAllied(`You are not a member of @${item.commune}, nor`);
    if (allied.length === 1) return across(allied[0]!.id);
    if (allied.length === 0) return notAllied('None of your communes is');
    return refuse(
      'from_commune_required',
      `You belong to several communes allied with @${item.commune} (${allied.map((a) => `@${a.handle}`).join(', ')}): name the one that pays in fromCommune`,
    );
  }
  const chosen = allied.find((a) => a.handle === fromCommune);
  return chosen ? across(chosen.id) : notAllied(`@${fromCommune} is not a commune of yours`);
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
