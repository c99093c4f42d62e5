import { PostgresAdapter, sql, type Kysely } from 'kysely';

// A clearing account (docs/adr/0018-clearing.md) is owned by the partner commune: its
// owner_id is a commune id, so ledger_accounts.owner_id may no longer reference accounts.
// Who owns a member account is still checked by the ledger, which creates them.
export async function up(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`alter table ledger_accounts drop constraint if exists ledger_accounts_owner_id_fkey`.execute(
      db,
    );
    return;
  }
  await rebuild(db);
}

export async function down(): Promise<void> {
  // Clearing accounts would violate the old reference; there is no way back that keeps them.
}

// SQLite cannot drop a constraint in place: the documented twelve-step rebuild, with foreign
// keys off (SQLite migrations run outside a transaction, so the pragma takes effect).
async function rebuild(db: Kysely<unknown>): Promise<void> {
  await sql`PRAGMA foreign_keys = OFF`.execute(db);
  try {
    await sql`BEGIN`.execute(db);
    await db.schema
      .createTable('ledger_accounts_new')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('commune_id', 'text', (c) => c.notNull().references('communes.id'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('owner_id', 'text')
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
    await sql`insert into ledger_accounts_new select ${sql.join(COLUMNS.map((c) => sql.ref(c)))} from ledger_accounts`.execute(
      db,
    );
    await db.schema.dropTable('ledger_accounts').execute();
    await db.schema.alterTable('ledger_accounts_new').renameTo('ledger_accounts').execute();
    // The indexes of 0002_ledger, dropped with the old table.
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
    const broken = await sql`PRAGMA foreign_key_check`.execute(db);
    if (broken.rows.length > 0) throw new Error('foreign keys broken by the rebuild');
    await sql`COMMIT`.execute(db);
  } catch (e) {
    await sql`ROLLBACK`.execute(db);
    throw e;
  } finally {
    await sql`PRAGMA foreign_keys = ON`.execute(db);
  }
}

const COLUMNS = [
  'id',
  'commune_id',
  'kind',
  'owner_id',
  'owner_handle',
  'balance',
  'held',
  'credit_limit',
  'limit_overridden',
  'max_balance',
  'frozen',
  'seq',
  'next_hold_expiry',
  'created_at',
];
