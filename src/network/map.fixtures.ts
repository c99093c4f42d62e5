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

/** `count` public communes `${prefix}000`… founded by `founder`, written straight into the table. */
export async function insertCommunesForTest(
  db: Executor,
  founder: string,
  prefix: string,
  count: number,
): Promise<string[]> {
  const { id: createdBy } = await db
    .selectFrom('accounts')
    .select('id')
    .where('handle', '=', founder)
    .executeTakeFirstOrThrow();
  const rows = Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    handle: `${prefix}${String(i).padStart(3, '0')}`,
    name: `Commune ${i}`,
    vision: 'A test commune',
    category: 'social',
    tags: '[]',
    agreements: '[]',
    join_policy: 'open',
    visibility: 'public',
    max_members: 150,
    member_count: 0,
    created_by: createdBy,
    created_at: '2026-01-01T00:00:00.000Z',
  }));
  for (let i = 0; i < rows.length; i += 50) {
    const chunk = rows.slice(i, i + 50);
    const handles = chunk.map((r) => ({ handle: r.handle, kind: 'commune' as const }));
    await db.insertInto('handles').values(handles).execute();
    await db.insertInto('communes').values(chunk).execute();
  }
  return rows.map((r) => r.id);
}
