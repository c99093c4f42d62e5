import type { Kysely } from 'kysely';

// What a commune shows to people outside it (docs/adr/0026-what-a-commune-shows.md): its
// books (balances, statements, memos, transfers) and its named ballots stay with members
// until a change_governance decision opens them. 0 = members only, 1 = open.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('communes')
    .addColumn('open_books', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('communes')
    .addColumn('open_ballots', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('communes').dropColumn('open_ballots').execute();
  await db.schema.alterTable('communes').dropColumn('open_books').execute();
}
