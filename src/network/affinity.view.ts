// Read view for affinity: what it learns from other contexts' tables (charters, memberships,
// forks, clearing payments) when an event names them, and who may see what on the way out.
import type { Executor } from '../db/transaction.ts';
import type { Charter, Source } from './affinity.index.ts';

export type SeenCommune = {
  id: string;
  handle: string;
  name: string;
  visibility: string;
  /** The viewer belongs to it. */
  member: boolean;
};

const parseList = (json: string): string[] => JSON.parse(json) as string[];

export function affinityView(db: Executor) {
  const clearingPayments = () =>
    db
      .selectFrom('ledger_transfers as t')
      .innerJoin('ledger_accounts as acc', 'acc.id', 't.to_account_id')
      .where('acc.kind', '=', 'clearing')
      .where('t.status', '=', 'posted');

  return {
    async charterOf(id: string): Promise<Charter | undefined> {
      const r = await db
        .selectFrom('communes')
        .select(['id', 'handle', 'category', 'tags', 'vision', 'agreements'])
        .where('id', '=', id)
        .executeTakeFirst();
      return (
        r && {
          id: r.id,
          handle: r.handle,
          category: r.category,
          tags: parseList(r.tags),
          vision: r.vision,
          agreements: parseList(r.agreements),
        }
      );
    },

    async communesOf(accountId: string): Promise<string[]> {
      const rows = await db
        .selectFrom('memberships')
        .select('commune_id')
        .where('account_id', '=', accountId)
        .execute();
      return rows.map((r) => r.commune_id);
    },

    async sharedMemberCount(a: string, b: string): Promise<number> {
      const r = await db
        .selectFrom('memberships as ma')
        .innerJoin('memberships as mb', 'mb.account_id', 'ma.account_id')
        .where('ma.commune_id', '=', a)
        .where('mb.commune_id', '=', b)
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .executeTakeFirst();
      return Number(r?.n ?? 0);
    },

    async sharedMembers(a: string, b: string): Promise<{ id: string; handle: string }[]> {
      return db
        .selectFrom('memberships as ma')
        .innerJoin('memberships as mb', 'mb.account_id', 'ma.account_id')
        .innerJoin('accounts as acc', 'acc.id', 'ma.account_id')
        .where('ma.commune_id', '=', a)
        .where('mb.commune_id', '=', b)
        .select(['acc.id', 'acc.handle'])
        .orderBy('acc.handle')
        .execute();
    },

    /** The members `a` shares with each of `others`, by handle. */
    async sharedMembersWith(
      a: string,
      others: readonly string[],
    ): Promise<Map<string, { id: string; handle: string }[]>> {
      const out = new Map<string, { id: string; handle: string }[]>();
      if (others.length === 0) return out;
      const rows = await db
        .selectFrom('memberships as ma')
        .innerJoin('memberships as mb', 'mb.account_id', 'ma.account_id')
        .innerJoin('accounts as acc', 'acc.id', 'ma.account_id')
        .where('ma.commune_id', '=', a)
        .where('mb.commune_id', 'in', [...others])
        .select(['mb.commune_id as other', 'acc.id', 'acc.handle'])
        .orderBy('acc.handle')
        .execute();
      for (const r of rows)
        out.set(r.other, [...(out.get(r.other) ?? []), { id: r.id, handle: r.handle }]);
      return out;
    },

    /** The item's commune and the commune it was forked from, when it is a fork. */
    async forkOf(itemId: string): Promise<[string, string] | undefined> {
      const r = await db
        .selectFrom('items')
        .select(['commune_id', 'forked_from_commune'])
        .where('id', '=', itemId)
        .executeTakeFirst();
      return r?.forked_from_commune ? [r.commune_id, r.forked_from_commune] : undefined;
    },

    /** Live forks between two communes, either way. */
    async forkCount(a: string, b: string): Promise<number> {
      const r = await db
        .selectFrom('items')
        .where('deleted_at', 'is', null)
        .where((eb) =>
          eb.or([
            eb.and([eb('commune_id', '=', a), eb('forked_from_commune', '=', b)]),
            eb.and([eb('commune_id', '=', b), eb('forked_from_commune', '=', a)]),
          ]),
        )
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .executeTakeFirst();
      return Number(r?.n ?? 0);
    },

    /** The ally a transfer paid into the clearing account of, if it did. */
    async clearingPartnerOf(communeId: string, transferId: string): Promise<string | undefined> {
      const r = await clearingPayments()
        .where('t.commune_id', '=', communeId)
        .where('t.id', '=', transferId)
        .select('acc.owner_id')
        .executeTakeFirst();
      return r?.owner_id ?? undefined;
    },

    /** Everything paid into clearing between two communes, both ledgers, and how much as thanks. */
    async clearingTotals(a: string, b: string): Promise<{ volume: number; thanks: number }> {
      const rows = await clearingPayments()
        .where((eb) =>
          eb.or([
            eb.and([eb('t.commune_id', '=', a), eb('acc.owner_id', '=', b)]),
            eb.and([eb('t.commune_id', '=', b), eb('acc.owner_id', '=', a)]),
          ]),
        )
        .select(['t.amount', 't.code'])
        .execute();
      return {
        volume: rows.reduce((s, r) => s + Number(r.amount), 0),
        thanks: rows.filter((r) => r.code === 'thanks').length,
      };
    },

    /** The communes as the viewer finds them now (a stored profile may lag a charter by a moment). */
    async seen(ids: readonly string[], viewerId: string | null): Promise<Map<string, SeenCommune>> {
      const out = new Map<string, SeenCommune>();
      const list = [...new Set(ids)];
      for (let i = 0; i < list.length; i += 500) {
        const rows = await db
          .selectFrom('communes as c')
          .leftJoin('memberships as m', (join) =>
            join.onRef('m.commune_id', '=', 'c.id').on('m.account_id', '=', viewerId ?? ''),
          )
          .select(['c.id', 'c.handle', 'c.name', 'c.visibility', 'm.role'])
          .where('c.id', 'in', list.slice(i, i + 500))
          .execute();
        for (const r of rows)
          out.set(r.id, {
            id: r.id,
            handle: r.handle,
            name: r.name,
            visibility: r.visibility,
            member: r.role !== null,
          });
      }
      return out;
    },

    /** Every source row: what a full rebuild starts from. */
    async source(): Promise<Source> {
      const communes = await db
        .selectFrom('communes')
        .select(['id', 'handle', 'category', 'tags', 'vision', 'agreements'])
        .execute();
      const memberships = await db
        .selectFrom('memberships')
        .select(['commune_id', 'account_id'])
        .execute();
      const alliances = await db
        .selectFrom('alliances')
        .select(['commune_a', 'commune_b'])
        .where('status', '=', 'active')
        .execute();
      const forks = await db
        .selectFrom('items')
        .select(['commune_id', 'forked_from_commune'])
        .where('deleted_at', 'is', null)
        .where('forked_from_commune', 'is not', null)
        .execute();
      const clearing = await clearingPayments()
        .select(['t.commune_id', 'acc.owner_id', 't.amount', 't.code'])
        .execute();
      return {
        communes: communes.map((r) => ({
          id: r.id,
          handle: r.handle,
          category: r.category,
          tags: parseList(r.tags),
          vision: r.vision,
          agreements: parseList(r.agreements),
        })),
        memberships: memberships.map((r) => [r.commune_id, r.account_id] as const),
        alliances: alliances.map((r) => [r.commune_a, r.commune_b] as const),
        forks: forks.map((r) => [r.commune_id, r.forked_from_commune ?? ''] as const),
        clearing: clearing.flatMap((r) =>
          r.owner_id === null
            ? []
            : [[r.commune_id, r.owner_id, Number(r.amount), r.code === 'thanks'] as const],
        ),
      };
    },
  };
}
export type AffinityView = ReturnType<typeof affinityView>;
