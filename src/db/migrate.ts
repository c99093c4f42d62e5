import { Migrator, type Kysely, type Migration } from 'kysely';
import * as foundation from './migrations/0001_foundation.ts';

// Static list: migrations ship inside the code, no directory scanning at run time.
const migrations: Record<string, Migration> = {
  '0001_foundation': foundation,
};

export async function migrateToLatest(db: Kysely<unknown>): Promise<{ applied: string[] }> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}
