import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { loadConfig } from '../config.ts';
import type { DbHandle } from '../db/database.ts';
import { availableDatabases, openTestDatabase } from '../db/testing.ts';
import type { Deps } from '../deps.ts';
import { fullIndex } from '../network/affinity.index.ts';
import { affinityRepository } from '../network/affinity.repository.ts';
import { AFFINITY_FORMAT, affinityService } from '../network/affinity.service.ts';
import { affinityView } from '../network/affinity.view.ts';
import { systemClock } from '../shared/clock.ts';
import { prepareDatabase } from './prepare.ts';

// An instance that held communes before its affinity rows existed, or before their format
// changed (migration 0024), gets them rebuilt by `commune migrate`, once.
const AT = '2026-01-01T00:00:00.000Z';
const config = (() => {
  const c = loadConfig({});
  assert.ok(c.ok);
  return c.value;
})();

for (const { kind, skip } of await availableDatabases()) {
  describe(`commune migrate rebuilds stale affinity on ${kind}`, { skip }, () => {
    let h: DbHandle;
    before(async () => {
      h = await openTestDatabase(kind);
      // Rows written straight to the tables: no event ever told affinity about them.
      for (const [handle, k] of [
        ['p0', 'person'],
        ['p1', 'person'],
        ['c0', 'commune'],
        ['c1', 'commune'],
        ['c2', 'commune'],
      ] as const)
        await h.db.insertInto('handles').values({ handle, kind: k }).execute();
      for (const id of ['p0', 'p1'])
        await h.db
          .insertInto('accounts')
          .values({ id, handle: id, display_name: '', password_hash: '', created_at: AT })
          .execute();
      const commune = (id: string, tags: string[], vision: string) => ({
        id,
        handle: id,
        name: `Commune ${id}`,
        vision,
        category: 'social',
        tags: JSON.stringify(tags),
        agreements: '[]',
        join_policy: 'open',
        visibility: 'public',
        max_members: 150,
        member_count: 1,
        created_by: 'p0',
        created_at: AT,
      });
      await h.db
        .insertInto('communes')
        .values([
          commune('c0', ['food', 'seeds'], 'gardens and seeds for all'),
          commune('c1', ['food'], 'seeds and bread'),
          commune('c2', ['music'], 'songs'),
        ])
        .execute();
      await h.db
        .insertInto('memberships')
        .values(
          [
            ['c0', 'p1'],
            ['c1', 'p1'],
            ['c2', 'p0'],
          ].map(([commune_id, account_id]) => ({
            commune_id: commune_id!,
            account_id: account_id!,
            role: 'member',
            joined_at: AT,
          })),
        )
        .execute();
      await h.db
        .insertInto('alliances')
        .values(
          [
            ['al0', 'c0', 'c1'],
            ['al1', 'c1', 'c2'],
          ].map(([id, a, b]) => ({
            id: id!,
            commune_a: a!,
            commune_b: b!,
            status: 'active',
            trade_limit: 100,
            rate: 1,
            requested_at: AT,
            active_since: AT,
          })),
        )
        .execute();
    });
    after(() => h.destroy());

    const affinity = () =>
      affinityService({
        db: h.db,
        dialect: h.dialect,
        config,
        logger: pino({ level: 'silent' }),
        clock: systemClock,
      } as Deps);

    it('rebuilds from the source tables when the rows were never built, then not again', async () => {
      assert.equal(await affinityRepository(h.db, h.dialect).format(), undefined);
      assert.deepEqual(await affinity().ranked('c0', null, 10), []);

      const first = await prepareDatabase(h, config);
      assert.deepEqual(first, { applied: [], affinityRebuilt: true });
      assert.equal(await affinityRepository(h.db, h.dialect).format(), AFFINITY_FORMAT);

      const stored = await affinityRepository(h.db, h.dialect).dump();
      const full = fullIndex(await affinityView(h.db).source());
      assert.equal(stored.profiles.length, full.profiles.length);
      assert.equal(stored.ties.length, full.ties.length);
      assert.equal(stored.reach.length, full.reach.length);
      const near = await affinity().ranked('c0', null, 10);
      assert.deepEqual(
        near.map((e) => e.commune),
        ['c1', 'c2'],
      );
      assert.ok(near[0]!.reasons.includes('1 shared member: p1'), near[0]!.reasons.join('; '));
      assert.ok(near[0]!.reasons.includes('1 shared tag: food'), near[0]!.reasons.join('; '));
      assert.ok(near[1]!.reasons.includes('allied through Commune c1, 2 steps'));

      assert.deepEqual(await prepareDatabase(h, config), { applied: [], affinityRebuilt: false });
    });

    it('rebuilds again when the stored format is older than the code’s', async () => {
      await affinityRepository(h.db, h.dialect).setFormat(AFFINITY_FORMAT - 1);
      // A charter changed behind affinity's back: the rebuild reads it.
      await h.db
        .updateTable('communes')
        .set({ tags: '["music"]' })
        .where('id', '=', 'c0')
        .execute();
      const service = affinity();
      const before = await service.ranked('c0', null, 10);
      assert.ok(before[0]!.reasons.includes('1 shared tag: food'));

      assert.deepEqual(await prepareDatabase(h, config), { applied: [], affinityRebuilt: true });
      const now = await service.ranked('c0', null, 10);
      const c2 = now.find((e) => e.commune === 'c2');
      assert.ok(c2?.reasons.includes('1 shared tag: music'), JSON.stringify(now));
      assert.ok(!now.some((e) => e.reasons.some((r) => r.includes('food'))));
    });
  });
}
