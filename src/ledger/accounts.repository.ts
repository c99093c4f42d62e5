import type { CompiledQuery, Selectable } from 'kysely';
import type { Dialect } from '../db/database.ts';
import type { LedgerAccountTable } from '../db/schema.ts';
import type { AccountState } from './posting.ts';
import type { Executor } from '../db/transaction.ts';

/** bigint columns: numbers from SQLite, strings from pg. Anything unsafe is corruption, not input. */
export function money(v: number | string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new Error(`ledger value out of the safe-integer range: ${v}`);
  return n;
}
export const moneyOrNull = (v: number | string | null): number | null =>
  v === null ? null : money(v);

const ACCOUNT_COLUMNS = [
  'id',
  'kind',
  'owner_id',
  'owner_handle',
  'balance',
  'held',
  'credit_limit',
  'max_balance',
  'frozen',
  'seq',
  'next_hold_expiry',
] as const;
type AccountRow = Pick<Selectable<LedgerAccountTable>, (typeof ACCOUNT_COLUMNS)[number]>;

export const toState = (r: AccountRow): AccountState => ({
  id: r.id,
  kind: r.kind,
  handle: r.owner_handle,
  ownerId: r.owner_id,
  balance: money(r.balance),
  held: money(r.held),
  creditLimit: money(r.credit_limit),
  maxBalance: moneyOrNull(r.max_balance),
  frozen: r.frozen === 1,
  seq: money(r.seq),
  nextHoldExpiry: r.next_hold_expiry,
});

// Every write saves the accounts it changed: compiled once per dialect, only the values change.
const saveQueries = new Map<Dialect, CompiledQuery>();

/** Which accounts of one commune a write needs; any of the criteria matches. */
export type AccountSelector = {
  ids?: string[];
  ownerIds?: string[];
  handles?: string[];
  purse?: boolean;
  all?: boolean;
};

/** Accounts: who holds what, their locks and limits, and the audit of the books. */
export function accountsRepository(db: Executor, dialect: Dialect) {
  return {
    async insertAccount(a: {
      id: string;
      communeId: string;
      kind: AccountState['kind'];
      ownerId: string | null;
      handle: string;
      creditLimit: number;
      maxBalance: number | null;
      at: string;
    }): Promise<void> {
      await db
        .insertInto('ledger_accounts')
        .values({
          id: a.id,
          commune_id: a.communeId,
          kind: a.kind,
          owner_id: a.ownerId,
          owner_handle: a.handle,
          balance: 0,
          held: 0,
          credit_limit: a.creditLimit,
          limit_overridden: 0,
          max_balance: a.maxBalance,
          frozen: 0,
          seq: 0,
          next_hold_expiry: null,
          created_at: a.at,
        })
        .execute();
    },

    async findByOwner(communeId: string, ownerId: string): Promise<AccountState | undefined> {
      const r = await db
        .selectFrom('ledger_accounts')
        .select(ACCOUNT_COLUMNS)
        .where('commune_id', '=', communeId)
        .where('owner_id', '=', ownerId)
        .executeTakeFirst();
      return r && toState(r);
    },

    /** A member's account by handle (frozen ones too), or the purse. Handles can repeat only across frozen accounts. */
    async findByHandle(communeId: string, handle: string): Promise<AccountState | undefined> {
      const r = await db
        .selectFrom('ledger_accounts')
        .select(ACCOUNT_COLUMNS)
        .where('commune_id', '=', communeId)
        .where('owner_handle', '=', handle)
        .where('kind', '=', handle === 'purse' ? 'purse' : 'member')
        .orderBy('frozen')
        .executeTakeFirst();
      return r && toState(r);
    },

    /** Locks the selected accounts in id order, so that no two writers can deadlock on PostgreSQL. */
    async lock(communeId: string, s: AccountSelector): Promise<AccountState[]> {
      let q = db
        .selectFrom('ledger_accounts')
        .select(ACCOUNT_COLUMNS)
        .where('commune_id', '=', communeId)
        .where((eb) => {
          if (s.all) return eb.lit(true);
          const any = [];
          if (s.ids?.length) any.push(eb('id', 'in', s.ids));
          if (s.ownerIds?.length) any.push(eb('owner_id', 'in', s.ownerIds));
          if (s.handles?.length)
            any.push(eb.and([eb('owner_handle', 'in', s.handles), eb('kind', '=', 'member')]));
          if (s.purse) any.push(eb('kind', '=', 'purse'));
          return any.length ? eb.or(any) : eb.lit(false);
        })
        .orderBy('id');
      if (dialect === 'postgres') q = q.forUpdate();
      return (await q.execute()).map(toState);
    },

    /** Writes back what the rules changed; the caller holds the row locks. */
    async save(a: AccountState): Promise<void> {
      let q = saveQueries.get(dialect);
      if (!q) {
        q = db
          .updateTable('ledger_accounts')
          .set({ balance: 0, held: 0, seq: 0, next_hold_expiry: '', frozen: 0 })
          .where('id', '=', '')
          .compile();
        saveQueries.set(dialect, q);
      }
      await db.executeQuery({
        ...q,
        parameters: [a.balance, a.held, a.seq, a.nextHoldExpiry, a.frozen ? 1 : 0, a.id],
      });
    },

    /** A clearing account's floor and ceiling: the trade limit both ways. */
    async setClearingLimit(id: string, limit: number): Promise<void> {
      await db
        .updateTable('ledger_accounts')
        .set({ credit_limit: limit, max_balance: limit })
        .where('id', '=', id)
        .execute();
    },

    async setLimit(id: string, creditLimit: number, overridden: boolean): Promise<void> {
      await db
        .updateTable('ledger_accounts')
        .set({ credit_limit: creditLimit, limit_overridden: overridden ? 1 : 0 })
        .where('id', '=', id)
        .execute();
    },

    /** Members on the default limit follow a new default. */
    async applyDefaultLimit(communeId: string, creditLimit: number): Promise<string[]> {
      const rows = await db
        .updateTable('ledger_accounts')
        .set({ credit_limit: creditLimit })
        .where('commune_id', '=', communeId)
        .where('kind', '=', 'member')
        .where('limit_overridden', '=', 0)
        .returning('id')
        .execute();
      return rows.map((r) => r.id);
    },

    async defaultLimitAccounts(communeId: string): Promise<string[]> {
      const rows = await db
        .selectFrom('ledger_accounts')
        .select('id')
        .where('commune_id', '=', communeId)
        .where('kind', '=', 'member')
        .where('limit_overridden', '=', 0)
        .execute();
      return rows.map((r) => r.id);
    },

    async applyMaxBalance(communeId: string, maxBalance: number | null): Promise<void> {
      await db
        .updateTable('ledger_accounts')
        .set({ max_balance: maxBalance })
        .where('commune_id', '=', communeId)
        .where('kind', '=', 'member')
        .execute();
    },

    /** Everyone in the ledger view: the purse, members, and frozen accounts still holding a balance. */
    async visibleAccounts(communeId: string): Promise<AccountState[]> {
      const rows = await db
        .selectFrom('ledger_accounts')
        .select(ACCOUNT_COLUMNS)
        .where('commune_id', '=', communeId)
        .where((eb) => eb.or([eb('frozen', '=', 0), eb('balance', '<>', 0), eb('held', '<>', 0)]))
        .orderBy('kind', 'desc')
        .orderBy('owner_handle')
        .execute();
      return rows.map(toState);
    },

    /** The earliest moment a hold in this commune runs out, for lazy expiry before reads. */
    async nextHoldExpiry(communeId: string): Promise<string | null> {
      const r = await db
        .selectFrom('ledger_accounts')
        .select((eb) => eb.fn.min('next_hold_expiry').as('next'))
        .where('commune_id', '=', communeId)
        .executeTakeFirst();
      return (r?.next as string | null | undefined) ?? null;
    },

    /**
     * Every account of a commune beside what its transfers say it should hold: posted money in
     * and out, pending money held, and how many postings it has had.
     */
    async audit(communeId: string) {
      const rows = await db
        .selectFrom('ledger_accounts as a')
        .select((eb) => {
          const sum = (side: 'from_account_id' | 'to_account_id', status: 'posted' | 'pending') =>
            eb
              .selectFrom('ledger_transfers as t')
              .select((e) => e.fn.coalesce(e.fn.sum<number | string>('t.amount'), e.lit(0)).as('n'))
              .whereRef(`t.${side}`, '=', 'a.id')
              .where('t.status', '=', status);
          const postings = eb
            .selectFrom('ledger_transfers as t')
            .select((e) => e.fn.countAll<number | string>().as('n'))
            .where((e) =>
              e.or([
                e('t.from_account_id', '=', e.ref('a.id')),
                e('t.to_account_id', '=', e.ref('a.id')),
              ]),
            )
            .where('t.status', '=', 'posted');
          return [
            ...ACCOUNT_COLUMNS.map((c) => `a.${c}` as const),
            sum('to_account_id', 'posted').as('posted_in'),
            sum('from_account_id', 'posted').as('posted_out'),
            sum('from_account_id', 'pending').as('pending_out'),
            postings.as('postings'),
          ];
        })
        .where('a.commune_id', '=', communeId)
        .orderBy('a.id')
        .execute();
      return rows.map((r) => ({
        account: toState(r),
        postedIn: money(r.posted_in ?? 0),
        postedOut: money(r.posted_out ?? 0),
        pendingOut: money(r.pending_out ?? 0),
        postings: money(r.postings ?? 0),
      }));
    },
  };
}
export type AccountsRepository = ReturnType<typeof accountsRepository>;
