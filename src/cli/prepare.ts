// What `commune migrate`, `serve` and `seed` do to a database before using it: apply the
// migrations, then rebuild the derived rows a migration left stale (affinity: ADR 0030).
import pino from 'pino';
import type { Config } from '../config.ts';
import type { DbHandle } from '../db/database.ts';
import { migrateHandle } from '../db/migrate.ts';
import { affinityService } from '../network/affinity.service.ts';
import { systemClock } from '../shared/clock.ts';

export async function prepareDatabase(
  handle: DbHandle,
  config: Config,
): Promise<{ applied: string[]; affinityRebuilt: boolean }> {
  const { applied } = await migrateHandle(handle);
  const deps = {
    db: handle.db,
    dialect: handle.dialect,
    config,
    logger: pino({ level: 'silent' }),
    clock: systemClock,
  };
  // Rows built before their format changed (or before affinity existed) are made again
  // from the source tables, once: the format is recorded with them.
  const affinityRebuilt = await affinityService(deps).rebuildIfStale();
  return { applied, affinityRebuilt };
}
