import type { CommunesService } from '../communes/communes.service.ts';
import { isUniqueViolation } from '../db/database.ts';
import type { Deps } from '../deps.ts';
import { transact, type Executor } from '../db/transaction.ts';
import type { DiscussionsService } from '../discussions/discussions.service.ts';
import { MAX_TITLE } from '../discussions/discussions.ts';
import type { Viewer } from '../identity/identity.ts';
import type { Transfer } from '../ledger/ledger.ts';
import type { LedgerService } from '../ledger/ledger.service.ts';
import { err, ok, type Result } from '../shared/result.ts';
import {
  conversationOpening,
  conversationRefusal,
  thanksMemo,
  thanksPayer,
  thanksRefusal,
  type ExchangeCase,
} from './exchange.ts';
import { exchangeRepository } from './exchange.repository.ts';
import type { ThanksInput } from './exchange.schemas.ts';
import { exchangeView, type Conversation } from './exchange.view.ts';
import { inventoryFail } from './inventory.errors.ts';
import type { ItemAccess } from './items.access.ts';
import { toItemOut, type ItemOut } from './items.service.ts';
import { itemsView, type ItemRow } from './items.view.ts';
import { MAX_CANDIDATES, rankMatches, type Match } from './matching.ts';
import { visibleLevels } from './visibility.ts';

type Ports = {
  ledger: Pick<LedgerService, 'payAsMember'>;
  discussions: Pick<DiscussionsService, 'startThread'>;
  communes: Pick<CommunesService, 'permitById'>;
};

const caseOf = (row: ItemRow, viewerId: string): ExchangeCase => ({
  kind: row.kind,
  deleted: row.deletedAt !== null,
  own: row.authorId === viewerId,
  member: row.viewerRole !== null,
});

/** What members make for each other, answered: thanks in social currency, offers meeting needs. */
export function exchangeService(deps: Deps, access: ItemAccess, ports: Ports) {
  const repo = (ex: Executor = deps.db) => exchangeRepository(ex);
  const now = () => deps.clock.now().toISOString();

  return {
    /**
     * A member pays the item's author in their commune's currency (code `thanks`), in one
     * transaction with the link to the item. The same id again answers the original.
     */
    async thank(
      itemId: string,
      giver: Viewer,
      input: ThanksInput,
    ): Promise<Result<{ transfer: Transfer; replayed: boolean }>> {
      return transact(deps, undefined, async (tx) => {
        const found = await access.seen(itemId, giver.id, tx);
        if (!found.ok) return found;
        const item = found.value;
        const refused = thanksRefusal(caseOf(item, giver.id));
        if (refused) return inventoryFail(refused.code, refused.message);
        const member = item.viewerRole !== null;
        const from = thanksPayer(
          { commune: item.commune, member },
          await access.alliedMemberships(item.communeId, giver.id, tx),
          input.fromCommune,
        );
        if (!from.ok) return inventoryFail(from.refusal.code, from.refusal.message);
        const linked = await repo(tx).thankedItem(input.id);
        if (linked !== undefined && linked !== item.id)
          return inventoryFail('idempotency_conflict', 'This id already thanked another item', {
            field: 'id',
          });
        const memo = input.memo ?? thanksMemo(item.id);
        // From an ally: the giver's commune pays in its currency, through clearing at the rate.
        const paid =
          from.payer.kind === 'member'
            ? await ports.ledger.payAsMember(
                item.communeId,
                giver,
                [{ id: input.id, to: item.author.handle, amount: input.amount, memo }],
                false,
                { tx, code: 'thanks' },
              )
            : await ports.ledger.payAsMember(
                from.payer.communeId,
                giver,
                [
                  {
                    id: input.id,
                    to: item.author.handle,
                    toCommune: item.commune,
                    amount: input.amount,
                    memo,
                  },
                ],
                false,
                { tx, code: 'thanks' },
              );
        if (!paid.ok) return paid;
        await repo(tx).linkThanks({
          transferId: input.id,
          itemId: item.id,
          giverId: giver.id,
          at: now(),
        });
        return ok({ transfer: paid.value.transfers[0]!, replayed: paid.value.replayed });
      });
    },

    /** How many thanked the item: told to its author only (no popularity signals). */
    async thanksCount(
      itemId: string,
      viewerId: string,
    ): Promise<Result<{ people: number; times: number }>> {
      const found = await access.seen(itemId, viewerId);
      if (!found.ok) return found;
      if (found.value.authorId !== viewerId)
        return inventoryFail('author_only', 'Only the item’s author sees its thanks');
      return ok(await repo().thanksCount(found.value.id));
    },

    /** Offers and skills of the need's commune that may meet it, best first, as the caller sees them. */
    async matches(
      itemId: string,
      viewerId: string | null,
    ): Promise<Result<{ items: Match<ItemOut>[] }>> {
      const found = await access.seen(itemId, viewerId);
      if (!found.ok) return found;
      const need = found.value;
      if (need.kind !== 'need')
        return inventoryFail('not_a_need', 'Only a need has matches; search finds the rest');
      if (need.deletedAt !== null) return inventoryFail('item_deleted', 'This item was deleted');
      const viewer = await access.viewerIn(need.communeId, viewerId, need.viewerRole !== null);
      const levels = visibleLevels(need.communeVisibility, viewer);
      const view = itemsView(deps.db, deps.dialect);
      const candidates = (
        await Promise.all(
          (['offer', 'skill'] as const).map((kind) =>
            view.list({
              communeId: need.communeId,
              viewerId,
              levels,
              kind,
              limit: MAX_CANDIDATES,
            }),
          ),
        )
      ).flat();
      const ranked = rankMatches(need, candidates);
      return ok({
        items: ranked.map((m) => ({
          item: toItemOut(m.item, viewerId),
          score: Math.round(m.score * 1000) / 1000,
          sharedTags: m.sharedTags,
        })),
      });
    },

    /**
     * "I can help" (a need) or "I'd like this" (an offer): opens a thread in the item's commune
     * between the caller and the author, once per person; asking again answers the same thread.
     */
    async converse(
      itemId: string,
      caller: Viewer,
    ): Promise<Result<{ conversation: Conversation; created: boolean }>> {
      const attempt = () =>
        transact(deps, undefined, async (tx) => {
          const found = await access.seen(itemId, caller.id, tx);
          if (!found.ok) return found;
          const item = found.value;
          const refused = conversationRefusal(caseOf(item, caller.id));
          if (refused) return inventoryFail(refused.code, refused.message);
          const existing = await repo(tx).conversation(item.id, caller.id);
          if (existing !== undefined) return ok({ itemId: item.id, created: false });
          const commune = await ports.communes.permitById(item.communeId, caller.id, 'member', tx);
          if (!commune.ok) return commune;
          const opening = conversationOpening(
            { id: item.id, kind: item.kind, title: item.title, author: item.author.handle },
            caller.handle,
            MAX_TITLE,
          );
          const thread = await ports.discussions.startThread(caller, commune.value, opening, tx);
          await repo(tx).linkConversation({
            itemId: item.id,
            personId: caller.id,
            threadId: thread.id,
            at: now(),
          });
          return ok({ itemId: item.id, created: true });
        });
      let r;
      try {
        r = await attempt();
      } catch (e) {
        // The same person asked twice at once (PostgreSQL): the first one's thread stands.
        if (!isUniqueViolation(e)) throw e;
        r = await attempt();
      }
      if (!r.ok) return r;
      const [conversation] = await exchangeView(deps.db).conversations(r.value.itemId, caller.id);
      return conversation
        ? ok({ conversation, created: r.value.created })
        : err({ type: 'not_found', code: 'item_not_found', message: 'Item not found' });
    },

    /** The item's conversations: all of them for its author, else the caller's own. */
    async conversations(
      itemId: string,
      viewerId: string,
    ): Promise<Result<{ items: Conversation[] }>> {
      const found = await access.seen(itemId, viewerId);
      if (!found.ok) return found;
      const mine = found.value.authorId === viewerId ? null : viewerId;
      return ok({ items: await exchangeView(deps.db).conversations(found.value.id, mine) });
    },
  };
}
export type ExchangeService = ReturnType<typeof exchangeService>;
