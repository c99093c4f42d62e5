import type { Executor } from '../db/transaction.ts';
import type { Currency, LimitChange } from './ledger.ts';
import { money, moneyOrNull } from './accounts.repository.ts';

/** A commune's currency, its demurrage periods, and the log of limit changes. */
export function currencyRepository(db: Executor) {
  return {
    async insertCurrency(communeId: string, c: Currency, at: string): Promise<void> {
      await db
        .insertInto('ledger_currencies')
        .values({
          commune_id: communeId,
          code: c.code,
          name: c.name,
          unit: c.unit,
          decimals: c.decimals,
          default_credit_limit: c.defaultCreditLimit,
          max_balance: c.maxBalance,
          demurrage_basis_points: c.demurrageBasisPoints,
          demurrage_period: null,
          updated_at: at,
        })
        .execute();
    },

    async findCurrency(
      communeId: string,
    ): Promise<(Currency & { demurragePeriod: string | null }) | undefined> {
      const r = await db
        .selectFrom('ledger_currencies')
        .selectAll()
        .where('commune_id', '=', communeId)
        .executeTakeFirst();
      if (!r) return undefined;
      return {
        code: r.code,
        name: r.name,
        unit: r.unit,
        decimals: r.decimals,
        defaultCreditLimit: money(r.default_credit_limit),
        maxBalance: moneyOrNull(r.max_balance),
        demurrageBasisPoints: r.demurrage_basis_points,
        demurragePeriod: r.demurrage_period,
      };
    },

    async updateCurrency(communeId: string, c: Currency, at: string): Promise<void> {
      await db
        .updateTable('ledger_currencies')
        .set({
          code: c.code,
          name: c.name,
          unit: c.unit,
          decimals: c.decimals,
          default_credit_limit: c.defaultCreditLimit,
          max_balance: c.maxBalance,
          demurrage_basis_points: c.demurrageBasisPoints,
          updated_at: at,
        })
        .where('commune_id', '=', communeId)
        .execute();
    },

    /** Claims a demurrage period once: false when it (or a later one) was already charged. */
    async claimDemurragePeriod(communeId: string, period: string): Promise<boolean> {
      const r = await db
        .updateTable('ledger_currencies')
        .set({ demurrage_period: period })
        .where('commune_id', '=', communeId)
        .where((eb) =>
          eb.or([eb('demurrage_period', 'is', null), eb('demurrage_period', '<', period)]),
        )
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    async insertLimitChange(c: {
      id: string;
      communeId: string;
      accountId: string | null;
      owner: string;
      oldLimit: number;
      newLimit: number;
      changedBy: string | null;
      changedByHandle: string | null;
      via: LimitChange['via'];
      at: string;
    }): Promise<void> {
      await db
        .insertInto('ledger_limit_changes')
        .values({
          id: c.id,
          commune_id: c.communeId,
          account_id: c.accountId,
          owner_handle: c.owner,
          old_limit: c.oldLimit,
          new_limit: c.newLimit,
          changed_by: c.changedBy,
          changed_by_handle: c.changedByHandle,
          via: c.via,
          created_at: c.at,
        })
        .execute();
    },

    async limitChanges(communeId: string, limit: number, before?: string): Promise<LimitChange[]> {
      let q = db.selectFrom('ledger_limit_changes').selectAll().where('commune_id', '=', communeId);
      if (before !== undefined) q = q.where('id', '<', before);
      const rows = await q
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
      return rows.map((r) => ({
        id: r.id,
        owner: r.owner_handle,
        oldLimit: money(r.old_limit),
        newLimit: money(r.new_limit),
        changedBy: r.changed_by_handle,
        via: r.via,
        at: r.created_at,
      }));
    },

    /** Communes whose currency charges demurrage and that have not been charged for `period` (or later) yet. */
    async communesDueDemurrage(period: string): Promise<string[]> {
      const rows = await db
        .selectFrom('ledger_currencies')
        .select('commune_id')
        .where('demurrage_basis_points', '>', 0)
        .where((eb) =>
          eb.or([eb('demurrage_period', 'is', null), eb('demurrage_period', '<', period)]),
        )
        .orderBy('commune_id')
        .execute();
      return rows.map((r) => r.commune_id);
    },
  };
}
export type CurrencyRepository = ReturnType<typeof currencyRepository>;
