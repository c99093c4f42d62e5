import { PostgresAdapter, sql, type Kysely } from 'kysely';

// A transfer id is the client's idempotency key within one commune's ledger
// (docs/adr/0007-ledger-model.md): unique per (commune, id), so an id used in a commune the
// caller cannot see neither clashes with theirs nor reveals that it exists.
export async function up(db: Kysely<unknown>): Promise<void> {
  await rekey(db, ['commune_id', 'id'], ['commune_id', 'reverses']);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await rekey(db, ['id'], ['reverses']);
}

async function rekey(db: Kysely<unknown>, primary: string[], reverses: string[]): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`alter table ledger_transfers drop constraint ledger_transfers_pkey`.execute(db);
    await sql`alter table ledger_transfers drop constraint ledger_transfers_reverses_key`.execute(
      db,
    );
    await sql`alter table ledger_transfers add constraint ledger_transfers_pkey primary key (${sql.join(primary.map((c) => sql.ref(c)))})`.execute(
      db,
    );
    await sql`alter table ledger_transfers add constraint ledger_transfers_reverses_key unique (${sql.join(reverses.map((c) => sql.ref(c)))})`.execute(
      db,
    );
    return;
  }
  // SQLite cannot change a primary key in place: build the table anew and copy the rows.
  await db.schema
    .createTable('ledger_transfers_rekeyed')
    .addColumn('id', 'text', (c) => c.notNull())
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
    .addColumn('reverses', 'text')
    .addColumn('from_seq', 'bigint')
    .addColumn('from_balance', 'bigint')
    .addColumn('to_seq', 'bigint')
    .addColumn('to_balance', 'bigint')
    .addPrimaryKeyConstraint('ledger_transfers_pkey', primary as never)
    .addUniqueConstraint('ledger_transfers_reverses_key', reverses as never)
    .addCheckConstraint(
      'ledger_transfers_amount',
      sql`amount > 0 and from_account_id <> to_account_id`,
    )
    .execute();
  await sql`insert into ledger_transfers_rekeyed select ${sql.join(COLUMNS.map((c) => sql.ref(c)))} from ledger_transfers`.execute(
    db,
  );
  await db.schema.dropTable('ledger_transfers').execute();
  await db.schema.alterTable('ledger_transfers_rekeyed').renameTo('ledger_transfers').execute();
  // The indexes of 0002_ledger, dropped with the old table.
  await db.schema
    .createIndex('ledger_transfers_commune')
    .on('ledger_transfers')
    .columns(['commune_id', 'created_at', 'id'])
    .execute();
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
}

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
];
