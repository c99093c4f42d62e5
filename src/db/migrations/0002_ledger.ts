import { sql, type Kysely } from 'kysely';
import { newId } from '../../shared/ids.ts';

// Ledger tables (docs/adr/0007-ledger-model.md). The CHECKs restate the limit rules so that
// even a bug in the service cannot leave an account beyond its limits.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('ledger_currencies')
    .addColumn('commune_id', 'text', (c) => c.primaryKey().references('communes.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('decimals', 'integer', (c) => c.notNull())
    .addColumn('default_credit_limit', 'bigint', (c) => c.notNull())
    .addColumn('max_balance', 'bigint')
    .addColumn('demurrage_basis_points', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('demurrage_period', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('ledger_accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('commune_id', 'text', (c) => c.notNull().references('communes.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.references('accounts.id'))
    .addColumn('owner_handle', 'text', (c) => c.notNull())
    .addColumn('balance', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('held', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('credit_limit', 'bigint', (c) => c.notNull())
    .addColumn('limit_overridden', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_balance', 'bigint')
    .addColumn('frozen', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('seq', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('next_hold_expiry', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('ledger_accounts_held', sql`held >= 0 and credit_limit >= 0`)
    .addCheckConstraint('ledger_accounts_floor', sql`balance - held >= -credit_limit`)
    .addCheckConstraint(
      'ledger_accounts_ceiling',
      sql`max_balance is null or balance <= max_balance`,
    )
    .addCheckConstraint('ledger_accounts_purse', sql`kind <> 'purse' or credit_limit = 0`)
    .execute();
  await db.schema
    .createIndex('ledger_accounts_owner')
    .on('ledger_accounts')
    .columns(['commune_id', 'owner_id'])
    .unique()
    .execute();
  await db.schema
    .createIndex('ledger_accounts_handle')
    .on('ledger_accounts')
    .columns(['commune_id', 'owner_handle'])
    .execute();
  await db.schema
    .createIndex('ledger_accounts_one_purse')
    .on('ledger_accounts')
    .column('commune_id')
    .unique()
    .where(sql.ref('kind'), '=', sql.lit('purse'))
    .execute();

  await db.schema
    .createTable('ledger_transfers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('commune_id', 'text', (c) => c.notNull().references('communes.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('from_account_id', 'text', (c) => c.notNull().references('ledger_accounts.id'))
    .addColumn('to_account_id', 'text', (c) => c.notNull().references('ledger_accounts.id'))
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('memo', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('body_hash', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('timeout_at', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('reverses', 'text', (c) => c.unique())
    .addColumn('from_seq', 'bigint')
    .addColumn('from_balance', 'bigint')
    .addColumn('to_seq', 'bigint')
    .addColumn('to_balance', 'bigint')
    .addCheckConstraint(
      'ledger_transfers_amount',
      sql`amount > 0 and from_account_id <> to_account_id`,
    )
    .execute();
  await db.schema
    .createIndex('ledger_transfers_commune')
    .on('ledger_transfers')
    .columns(['commune_id', 'created_at', 'id'])
    .execute();
  // Statements read each side of an account's postings in order.
  await db.schema
    .createIndex('ledger_transfers_from')
    .on('ledger_transfers')
    .columns(['from_account_id', 'from_seq'])
    .execute();
  await db.schema
    .createIndex('ledger_transfers_to')
    .on('ledger_transfers')
    .columns(['to_account_id', 'to_seq'])
    .execute();
  await db.schema
    .createIndex('ledger_transfers_pending')
    .on('ledger_transfers')
    .columns(['timeout_at'])
    .where(sql.ref('status'), '=', sql.lit('pending'))
    .execute();

  await db.schema
    .createTable('ledger_limit_changes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('commune_id', 'text', (c) => c.notNull().references('communes.id'))
    .addColumn('account_id', 'text', (c) => c.references('ledger_accounts.id'))
    .addColumn('owner_handle', 'text', (c) => c.notNull())
    .addColumn('old_limit', 'bigint', (c) => c.notNull())
    .addColumn('new_limit', 'bigint', (c) => c.notNull())
    .addColumn('changed_by', 'text')
    .addColumn('changed_by_handle', 'text')
    .addColumn('via', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('ledger_limit_changes_commune')
    .on('ledger_limit_changes')
    .columns(['commune_id', 'id'])
    .execute();

  await backfill(db);
}

const DEFAULT_LIMIT = 20;

/** Communes founded before the ledger existed get a currency, a purse and members' accounts. */
async function backfill(db: Kysely<unknown>): Promise<void> {
  const at = new Date().toISOString();
  const communes = await sql<{ id: string }>`select id from communes`.execute(db);
  for (const { id } of communes.rows) {
    await sql`insert into ledger_currencies (commune_id, code, name, unit, decimals, default_credit_limit, max_balance, demurrage_basis_points, demurrage_period, updated_at)
      values (${id}, 'HOUR', 'Time credit', 'hour', 0, ${DEFAULT_LIMIT}, null, 0, null, ${at})`.execute(
      db,
    );
    await sql`insert into ledger_accounts (id, commune_id, kind, owner_id, owner_handle, credit_limit, created_at)
      values (${newId()}, ${id}, 'purse', null, 'purse', 0, ${at})`.execute(db);
    const members = await sql<{
      account_id: string;
      handle: string;
    }>`select m.account_id, a.handle from memberships m
      join accounts a on a.id = m.account_id where m.commune_id = ${id}`.execute(db);
    for (const m of members.rows) {
      await sql`insert into ledger_accounts (id, commune_id, kind, owner_id, owner_handle, credit_limit, created_at)
        values (${newId()}, ${id}, 'member', ${m.account_id}, ${m.handle}, ${DEFAULT_LIMIT}, ${at})`.execute(
        db,
      );
    }
  }
}
