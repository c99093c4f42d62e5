import { Migrator, sql, type Kysely, type Migration } from 'kysely';
import type { DbHandle } from './database.ts';
import * as foundation from './migrations/0001_foundation.ts';
import * as ledger from './migrations/0002_ledger.ts';
import * as decisions from './migrations/0003_decisions.ts';
import * as threadVersions from './migrations/0004_thread_versions.ts';
import * as accountSecurity from './migrations/0005_account_security.ts';
import * as transferIdsPerCommune from './migrations/0006_transfer_ids_per_commune.ts';
import * as thresholdBasis from './migrations/0009_threshold_basis.ts';
import * as domainEvents from './migrations/0010_domain_events.ts';
import * as inventory from './migrations/0011_inventory.ts';
import * as search from './migrations/0012_search.ts';
import * as network from './migrations/0014_network.ts';
import * as affinity from './migrations/0015_affinity.ts';
import * as clearingAccounts from './migrations/0016_clearing_accounts.ts';
import * as notifications from './migrations/0017_notifications.ts';
import * as editing from './migrations/0018_editing.ts';
import * as oneStandingAlliance from './migrations/0019_one_standing_alliance.ts';
import * as searchScope from './migrations/0020_search_scope.ts';
import * as disclosure from './migrations/0021_disclosure.ts';
import * as liveAnnounce from './migrations/0022_live_announce.ts';
import * as affinityVectors from './migrations/0024_affinity_vectors.ts';
import * as dailyUse from './migrations/0026_daily_use.ts';

// Static list: migrations ship inside the code, no directory scanning at run time.
const migrations: Record<string, Migration> = {
  '0001_foundation': foundation,
  '0002_ledger': ledger,
  '0003_decisions': decisions,
  '0004_thread_versions': threadVersions,
  '0005_account_security': accountSecurity,
  '0006_transfer_ids_per_commune': transferIdsPerCommune,
  '0009_threshold_basis': thresholdBasis,
  '0010_domain_events': domainEvents,
  '0011_inventory': inventory,
  '0012_search': search,
  '0014_network': network,
  '0015_affinity': affinity,
  '0016_clearing_accounts': clearingAccounts,
  '0017_notifications': notifications,
  '0018_editing': editing,
  '0019_one_standing_alliance': oneStandingAlliance,
  '0020_search_scope': searchScope,
  '0021_disclosure': disclosure,
  '0022_live_announce': liveAnnounce,
  '0024_affinity_vectors': affinityVectors,
  '0026_daily_use': dailyUse,
};

/** `schema` keeps the migration bookkeeping inside one PostgreSQL schema (tests give each file its own). */
export async function migrateToLatest(
  db: Kysely<unknown>,
  schema?: string,
): Promise<{ applied: string[] }> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    // Numbers were handed out to work done in parallel: a database may have run a later one
    // before an earlier one landed. Each migration touches only its own tables.
    allowUnorderedMigrations: true,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return {
    applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName),
  };
}

/**
 * Kysely's migrator introspects every schema in the database, and PostgreSQL errors when a
 * schema is dropped mid-scan. Migrations hold this advisory lock shared; whoever drops a
 * schema (the test helpers) takes it exclusively, so the two never overlap.
 */
export const SCHEMA_CHANGE_LOCK = 727_001;

/** Migrates a live handle; on PostgreSQL the bookkeeping stays in the connection's own schema. */
export async function migrateHandle(handle: DbHandle): Promise<{ applied: string[] }> {
  if (handle.dialect === 'sqlite') return migrateToLatest(handle.db as never);
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(
    handle.db,
  );
  return handle.db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock_shared(${SCHEMA_CHANGE_LOCK})`.execute(conn);
    try {
      return await migrateToLatest(handle.db as never, rows[0]?.schema);
    } finally {
      await sql`select pg_advisory_unlock_shared(${SCHEMA_CHANGE_LOCK})`.execute(conn);
    }
  });
}
