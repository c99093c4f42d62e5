// TEST FIXTURE ONLY: writes alliance rows directly, standing in for the alliances engine.
import { randomUUID } from 'node:crypto';
import type { Executor } from '../db/transaction.ts';
import type { AllianceStatus } from '../db/schema.network.ts';

export async function insertAllianceForTest(
  db: Executor,
  communeA: string,
  communeB: string,
  status: AllianceStatus = 'active',
  activeSince = '2026-01-02T03:04:05.000Z',
): Promise<void> {
  await db
    .insertInto('alliances')
    .values({
      id: randomUUID(),
      commune_a: communeA,
      commune_b: communeB,
      status,
      trade_limit: 100,
      rate: 1,
      requested_at: '2026-01-01T00:00:00.000Z',
      active_since: status === 'requested' ? null : activeSince,
      ended_at: status === 'ended' ? '2026-02-01T00:00:00.000Z' : null,
      ended_by: status === 'ended' ? communeA : null,
    })
    .execute();
}
