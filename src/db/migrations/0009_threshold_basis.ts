import { sql, type Kysely } from 'kysely';

// What a threshold is a share of: 'cast' (votes cast, abstentions left out) or 'eligible'
// (all eligible members). Null where there is no threshold. Rows already there were
// decided and counted on votes cast, so they keep that meaning; only the defaults of
// rules nobody changed move consensus to 'eligible' (docs/adr/0008).
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const table of ['proposals', 'governance_rules']) {
    await db.schema.alterTable(table).addColumn('threshold_basis', 'text').execute();
    await sql`update ${sql.table(table)} set threshold_basis = 'cast' where threshold is not null`.execute(
      db,
    );
  }
}
