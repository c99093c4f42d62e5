import { CompiledQuery, type Insertable } from 'kysely';
import type { Dialect } from '../db/database.ts';
import type { LedgerTransferTable } from '../db/schema.ts';
import type { StatementLine, Transfer, TransferCode, TransferStatus } from './ledger.ts';
import { money } from './accounts.repository.ts';
import type { Executor } from '../db/transaction.ts';

export type TransferRow = Insertable<LedgerTransferTable>;
export type StoredTransfer = Transfer & {
  communeId: string;
  fromAccountId: string;
  toAccountId: string;
  bodyHash: string;
};
export type PendingHold = {
  id: string;
  fromAccountId: string;
  toAccountId: string;
  amount: number;
};

// Rows per INSERT: under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters.
const INSERT_CHUNK = 1500;
const LOOKUP_CHUNK = 500;
const SINGLE_ROW_INSERTS_BELOW = 100;

const COLUMNS = [
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

// A batch inserts thousands of rows: building them through the query builder costs more than
// SQLite's own work, so the statement text is made once per (dialect, row count) and reused.
const insertSql = new Map<string, string>();
function insertStatement(dialect: Dialect, rows: number): string {
  const key = `${dialect}:${rows}`;
  let text = insertSql.get(key);
  if (!text) {
    let n = 0;
    const slot = () => (dialect === 'postgres' ? `$${(n += 1)}` : '?');
    const tuples = Array.from({ length: rows }, () => `(${COLUMNS.map(slot).join(', ')})`);
    text = `insert into ledger_transfers (${COLUMNS.join(', ')}) values ${tuples.join(', ')} on conflict (commune_id, id) do nothing`;
    insertSql.set(key, text);
  }
  return text;
}

function view(r: {
  id: string;
  commune_id: string;
  from_account_id: string;
  to_account_id: string;
  from_handle: string;
  to_handle: string;
  amount: number | string;
  memo: string;
  created_at: string;
  status: TransferStatus;
  code: TransferCode;
  timeout_at: string | null;
  resolved_at: string | null;
  reverses: string | null;
  body_hash: string;
}): StoredTransfer {
  return {
    id: r.id,
    from: r.from_handle,
    to: r.to_handle,
    amount: money(r.amount),
    memo: r.memo,
    createdAt: r.created_at,
    status: r.status,
    code: r.code,
    timeoutAt: r.timeout_at,
    resolvedAt: r.resolved_at,
    reverses: r.reverses,
    communeId: r.commune_id,
    fromAccountId: r.from_account_id,
    toAccountId: r.to_account_id,
    bodyHash: r.body_hash,
  };
}

/** A transfer as clients see it: no internal ids, no hash. */
export const publicView = ({
  communeId: _c,
  fromAccountId: _f,
  toAccountId: _t,
  bodyHash: _h,
  ...t
}: StoredTransfer): Transfer => t;

/** Transfers and the statements read from them. A transfer id is unique within its commune only. */
export function transfersRepository(db: Executor, dialect: Dialect) {
  const withHandles = () =>
    db
      .selectFrom('ledger_transfers as t')
      .innerJoin('ledger_accounts as f', 'f.id', 't.from_account_id')
      .innerJoin('ledger_accounts as g', 'g.id', 't.to_account_id')
      .select([
        't.id',
        't.commune_id',
        't.from_account_id',
        't.to_account_id',
        'f.owner_handle as from_handle',
        'g.owner_handle as to_handle',
        't.amount',
        't.memo',
        't.created_at',
        't.status',
        't.code',
        't.timeout_at',
        't.resolved_at',
        't.reverses',
        't.body_hash',
      ]);

  return {
    /** Inserts new transfers; an id already taken is skipped, and the count tells the caller. */
    async insert(rows: TransferRow[]): Promise<number> {
      let inserted = 0;
      if (dialect === 'sqlite' && rows.length < SINGLE_ROW_INSERTS_BELOW) {
        // A group of single transfers: SQLite runs a prepared one-row INSERT again and again
        // about twice as fast as one INSERT of a few dozen rows. Batches keep the big chunks.
        const text = insertStatement(dialect, 1);
        for (const r of rows)
          inserted += Number(
            (
              await db.executeQuery(
                CompiledQuery.raw(
                  text,
                  COLUMNS.map((c) => r[c] ?? null),
                ),
              )
            ).numAffectedRows ?? 0,
          );
        return inserted;
      }
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        const chunk = rows.slice(i, i + INSERT_CHUNK);
        const params = chunk.flatMap((r) => COLUMNS.map((c) => r[c] ?? null));
        const r = await db.executeQuery(
          CompiledQuery.raw(insertStatement(dialect, chunk.length), params),
        );
        inserted += Number(r.numAffectedRows ?? 0);
      }
      return inserted;
    },

    async findMany(communeId: string, ids: string[]): Promise<Map<string, StoredTransfer>> {
      const found = new Map<string, StoredTransfer>();
      for (let i = 0; i < ids.length; i += LOOKUP_CHUNK) {
        const rows = await withHandles()
          .where('t.commune_id', '=', communeId)
          .where('t.id', 'in', ids.slice(i, i + LOOKUP_CHUNK))
          .execute();
        for (const r of rows) found.set(r.id, view(r));
      }
      return found;
    },

    /** Which of these ids are taken, with the hash of what each meant: the cheap check before a write. */
    async hashesOf(communeId: string, ids: string[]): Promise<Map<string, string>> {
      const found = new Map<string, string>();
      for (let i = 0; i < ids.length; i += LOOKUP_CHUNK) {
        const rows = await db
          .selectFrom('ledger_transfers')
          .select(['id', 'body_hash'])
          .where('commune_id', '=', communeId)
          .where('id', 'in', ids.slice(i, i + LOOKUP_CHUNK))
          .execute();
        for (const r of rows) found.set(r.id, r.body_hash);
      }
      return found;
    },

    async find(communeId: string, id: string): Promise<StoredTransfer | undefined> {
      const r = await withHandles()
        .where('t.commune_id', '=', communeId)
        .where('t.id', '=', id)
        .executeTakeFirst();
      return r && view(r);
    },

    async reversalOf(communeId: string, id: string): Promise<string | undefined> {
      const r = await db
        .selectFrom('ledger_transfers')
        .select('id')
        .where('commune_id', '=', communeId)
        .where('reverses', '=', id)
        .executeTakeFirst();
      return r?.id;
    },

    /** Moves a pending transfer to its final state; false if it was no longer pending. */
    async resolve(
      communeId: string,
      id: string,
      to: Exclude<TransferStatus, 'pending'>,
      at: string,
      entry?: { fromSeq: number; fromBalance: number; toSeq: number; toBalance: number },
    ): Promise<boolean> {
      const r = await db
        .updateTable('ledger_transfers')
        .set({
          status: to,
          resolved_at: at,
          ...(entry
            ? {
                from_seq: entry.fromSeq,
                from_balance: entry.fromBalance,
                to_seq: entry.toSeq,
                to_balance: entry.toBalance,
              }
            : {}),
        })
        .where('commune_id', '=', communeId)
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    /** Holds whose time ran out, oldest first; filtered by commune or by paying accounts. */
    async duePending(
      now: string,
      limit: number,
      where: { communeId?: string; fromAccountIds?: string[] } = {},
    ): Promise<(PendingHold & { communeId: string })[]> {
      let q = db
        .selectFrom('ledger_transfers')
        .select(['id', 'commune_id', 'from_account_id', 'to_account_id', 'amount'])
        .where('status', '=', 'pending')
        .where('timeout_at', '<=', now);
      if (where.communeId !== undefined) q = q.where('commune_id', '=', where.communeId);
      if (where.fromAccountIds !== undefined)
        q = q.where('from_account_id', 'in', where.fromAccountIds);
      const rows = await q.orderBy('timeout_at').limit(limit).execute();
      return rows.map((r) => ({
        id: r.id,
        communeId: r.commune_id,
        fromAccountId: r.from_account_id,
        toAccountId: r.to_account_id,
        amount: money(r.amount),
      }));
    },

    async earliestHold(accountId: string): Promise<string | null> {
      const r = await db
        .selectFrom('ledger_transfers')
        .select((eb) => eb.fn.min('timeout_at').as('next'))
        .where('from_account_id', '=', accountId)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      return (r?.next as string | null | undefined) ?? null;
    },

    /** Pending transfers to or from an account. */
    async pendingInvolving(accountId: string): Promise<PendingHold[]> {
      const rows = await db
        .selectFrom('ledger_transfers')
        .select(['id', 'from_account_id', 'to_account_id', 'amount'])
        .where('status', '=', 'pending')
        .where((eb) =>
          eb.or([eb('from_account_id', '=', accountId), eb('to_account_id', '=', accountId)]),
        )
        .execute();
      return rows.map((r) => ({
        id: r.id,
        fromAccountId: r.from_account_id,
        toAccountId: r.to_account_id,
        amount: money(r.amount),
      }));
    },

    async hasAny(communeId: string): Promise<boolean> {
      return (
        (await db
          .selectFrom('ledger_transfers')
          .select('id')
          .where('commune_id', '=', communeId)
          .limit(1)
          .executeTakeFirst()) !== undefined
      );
    },

    /** Newest first; the cursor is the last row's (createdAt, id). */
    async list(
      communeId: string,
      limit: number,
      o: { accountId?: string; before?: { createdAt: string; id: string } },
    ): Promise<Transfer[]> {
      let q = withHandles().where('t.commune_id', '=', communeId);
      if (o.accountId !== undefined) {
        const acc = o.accountId;
        q = q.where((eb) =>
          eb.or([eb('t.from_account_id', '=', acc), eb('t.to_account_id', '=', acc)]),
        );
      }
      if (o.before) {
        const { createdAt, id } = o.before;
        q = q.where((eb) =>
          eb.or([
            eb('t.created_at', '<', createdAt),
            eb.and([eb('t.created_at', '=', createdAt), eb('t.id', '<', id)]),
          ]),
        );
      }
      const rows = await q
        .orderBy('t.created_at', 'desc')
        .orderBy('t.id', 'desc')
        .limit(limit + 1)
        .execute();
      return rows.map((r) => publicView(view(r)));
    },

    /**
     * An account's postings by its own sequence, each with the balance right after it.
     * Newest first with `before`, oldest first with `after` (the CSV export).
     */
    async statement(
      accountId: string,
      limit: number,
      o: { before?: number; after?: number },
    ): Promise<StatementLine[]> {
      const desc = o.after === undefined;
      const side = (mine: 'from' | 'to') => {
        const other = mine === 'from' ? 'to' : 'from';
        let q = db
          .selectFrom('ledger_transfers as t')
          .innerJoin('ledger_accounts as o', 'o.id', `t.${other}_account_id`)
          .select([
            't.id',
            `t.${mine}_seq as seq`,
            `t.${mine}_balance as balance`,
            't.amount',
            'o.owner_handle as counterparty',
            't.memo',
            't.code',
            't.created_at',
            't.resolved_at',
          ])
          .where(`t.${mine}_account_id`, '=', accountId)
          .where(`t.${mine}_seq`, 'is not', null);
        if (o.before !== undefined) q = q.where(`t.${mine}_seq`, '<', o.before);
        if (o.after !== undefined) q = q.where(`t.${mine}_seq`, '>', o.after);
        return q
          .orderBy(`t.${mine}_seq`, desc ? 'desc' : 'asc')
          .limit(limit + 1)
          .execute();
      };
      const toLine =
        (sign: number) =>
        (r: Awaited<ReturnType<typeof side>>[number]): StatementLine => ({
          seq: money(r.seq ?? 0),
          at: r.resolved_at ?? r.created_at,
          transferId: r.id,
          counterparty: r.counterparty,
          amount: sign * money(r.amount),
          balance: money(r.balance ?? 0),
          memo: r.memo,
          code: r.code,
        });
      const lines = [...(await side('from')).map(toLine(-1)), ...(await side('to')).map(toLine(1))];
      lines.sort((a, b) => (desc ? b.seq - a.seq : a.seq - b.seq));
      return lines.slice(0, limit + 1);
    },
  };
}
export type TransfersRepository = ReturnType<typeof transfersRepository>;
