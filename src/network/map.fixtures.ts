// TEST FIXTURES: alliances and communes for the map and affinity tests, made through the
// alliances repository (standing in for the decisions on both sides) and the API.
import type { TestApp } from '../../test/support/app.ts';
import { found } from '../communes/communes.fixtures.ts';
import type { Executor } from '../db/transaction.ts';
import type { AllianceStatus } from '../db/schema.network.ts';
import { alliancesRepository } from './alliances.repository.ts';

/** An alliance between two communes in the given state, as both sides' decisions leave it. */
export async function insertAllianceForTest(
  db: Executor,
  communeA: string,
  communeB: string,
  status: AllianceStatus = 'active',
  activeSince = '2026-01-02T03:04:05.000Z',
): Promise<void> {
  const alliances = alliancesRepository(db);
  const id = await alliances.insertRequest(
    communeA,
    communeB,
    { tradeLimit: 100, rate: 1 },
    '2026-01-01T00:00:00.000Z',
  );
  if (id === null) throw new Error(`${communeA} and ${communeB} already have a standing alliance`);
  if (status === 'requested') return;
  await alliances.activate(id, activeSince);
  if (status === 'ended') await alliances.end(id, communeA, '2026-02-01T00:00:00.000Z');
}

/** `count` public communes `${prefix}000`… founded through the API by the token's owner; their ids. */
export async function foundCommunesForTest(
  t: TestApp,
  token: string,
  prefix: string,
  count: number,
): Promise<string[]> {
  const ids: string[] = [];
  // A few at a time: distinct handles never clash, and the test waits less.
  for (let from = 0; from < count; from += 8) {
    const chunk = Array.from({ length: Math.min(8, count - from) }, (_, k) => from + k);
    const made = await Promise.all(
      chunk.map((i) =>
        found(t, token, `${prefix}${String(i).padStart(3, '0')}`, {
          name: `Commune ${i}`,
          tags: [],
        }),
      ),
    );
    ids.push(...made.map((c) => c.id));
  }
  return ids;
}
