import { PostgresAdapter, sql, type Kysely } from 'kysely';

// At most one standing (requested or active) alliance per pair of communes, either way round
// (docs/adr/0027-clearing-proven.md): two decisions closing at once cannot both ask.
export async function up(db: Kysely<unknown>): Promise<void> {
  await endDuplicates(db);
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  // The pair in a fixed order, so A→B and B→A are one key; ended episodes stay out.
  const [lo, hi] = postgres
    ? [sql`least(commune_a, commune_b)`, sql`greatest(commune_a, commune_b)`]
    : [sql`min(commune_a, commune_b)`, sql`max(commune_a, commune_b)`];
  await sql`create unique index alliances_one_standing on alliances (${lo}, ${hi}) where status <> 'ended'`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('alliances_one_standing').execute();
}

type Row = { id: string; commune_a: string; commune_b: string; status: string; at: string };

/**
 * Rows a race left before this index: per pair, the active one (else the latest request)
 * stands; the others end, as of their own request, ended by nobody.
 */
async function endDuplicates(db: Kysely<unknown>): Promise<void> {
  const { rows } = await sql<Row>`select id, commune_a, commune_b, status, requested_at as at
    from alliances where status <> 'ended'`.execute(db);
  const byPair = new Map<string, Row[]>();
  for (const r of rows) {
    const key = [r.commune_a, r.commune_b].sort().join(' ');
    byPair.set(key, [...(byPair.get(key) ?? []), r]);
  }
  for (const pair of byPair.values()) {
    if (pair.length < 2) continue;
    pair.sort(
      (x, y) =>
        Number(y.status === 'active') - Number(x.status === 'active') ||
        (x.at < y.at ? 1 : x.at > y.at ? -1 : x.id < y.id ? 1 : -1),
    );
    for (const r of pair.slice(1))
      await sql`update alliances set status = 'ended', ended_at = ${r.at} where id = ${r.id}`.execute(
        db,
      );
  }
}
