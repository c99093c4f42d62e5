import { CompiledQuery } from 'kysely';
import { preparedStatement } from '../db/database.ts';
import type { Executor } from '../db/transaction.ts';
import { toState } from './accounts.repository.ts';
import type { AccountState } from './posting.ts';
import type { TransferRow } from './transfers.repository.ts';

// The group commit's statements on PostgreSQL (ADR 0021): fixed texts whatever the group's
// size (arrays instead of lists), so each connection prepares them once.

const LOCK = preparedStatement(
  `select id, kind, owner_id, owner_handle, balance, held, credit_limit, max_balance, frozen, seq, next_hold_expiry
  from ledger_accounts
  where commune_id = $1
    and (owner_id = any($2::text[]) or (kind = 'member' and owner_handle = any($3::text[])) or ($4::boolean and kind = 'purse'))
  order by id for update`,
);

const TEXT_COLUMNS = [
  'id',
  'commune_id',
  'code',
  'from_account_id',
  'to_account_id',
  'amount',
  'memo',
  'status',
  'body_hash',
  'created_by',
  'created_at',
  'timeout_at',
  'resolved_at',
  'reverses',
  'from_seq',
  'from_balance',
  'to_seq',
  'to_balance',
] as const satisfies readonly (keyof TransferRow)[];
const BIGINT = new Set(['amount', 'from_seq', 'from_balance', 'to_seq', 'to_balance']);
const n = TEXT_COLUMNS.length;

// One statement writes the whole group: the transfers (a taken id is skipped and not
// returned) and every changed account. Both run on rows this transaction has locked.
const WRITE = preparedStatement(
  `with t as (
    insert into ledger_transfers (${TEXT_COLUMNS.join(', ')})
    select * from unnest(${TEXT_COLUMNS.map((c, i) => `$${i + 1}::${BIGINT.has(c) ? 'bigint' : 'text'}[]`).join(', ')})
    on conflict (commune_id, id) do nothing
    returning 1
  ), a as (
    update ledger_accounts as l
    set balance = v.balance, held = v.held, seq = v.seq, next_hold_expiry = v.next_hold_expiry, frozen = v.frozen
    from unnest($${n + 1}::text[], $${n + 2}::bigint[], $${n + 3}::bigint[], $${n + 4}::bigint[], $${n + 5}::text[], $${n + 6}::integer[])
      as v(id, balance, held, seq, next_hold_expiry, frozen)
    where l.id = v.id
    returning 1
  )
  select (select count(*) from t)::integer as inserted, (select count(*) from a)::integer as saved`,
);

/** Which accounts of one commune a group needs. */
export type GroupSelector = { ownerIds: string[]; handles: string[]; purse: boolean };

/** PostgreSQL only: the round trips of one group, as few as the rules allow. */
export function groupRepository(db: Executor) {
  return {
    /** Locks the selected accounts of one commune in id order (one statement). */
    async lock(communeId: string, s: GroupSelector): Promise<AccountState[]> {
      const r = await db.executeQuery<Parameters<typeof toState>[0]>(
        CompiledQuery.raw(LOCK, [communeId, s.ownerIds, s.handles, s.purse]),
      );
      return r.rows.map(toState);
    },

    /**
     * Inserts the transfers and saves the accounts in one statement. Returns how many
     * transfers went in: fewer than given means an id was taken meanwhile.
     */
    async write(rows: TransferRow[], accounts: AccountState[]): Promise<number> {
      const params: unknown[] = TEXT_COLUMNS.map((c) => rows.map((r) => r[c] ?? null));
      params.push(
        accounts.map((a) => a.id),
        accounts.map((a) => a.balance),
        accounts.map((a) => a.held),
        accounts.map((a) => a.seq),
        accounts.map((a) => a.nextHoldExpiry),
        accounts.map((a) => (a.frozen ? 1 : 0)),
      );
      const r = await db.executeQuery<{ inserted: number; saved: number }>(
        CompiledQuery.raw(WRITE, params),
      );
      const out = r.rows[0]!;
      if (out.saved !== accounts.length) throw new Error('group commit: a locked account vanished');
      return out.inserted;
    },
  };
}
