import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { availableDatabases } from '../db/testing.ts';
import { communeOf, crew } from './decisions.fixtures.ts';
import { MAX_TOPIC_DELEGATIONS } from './delegation-limits.ts';

// Issue 7, finding 9: 5,000 topic delegations were accepted from one member, and the list
// came whole. Now at most MAX_TOPIC_DELEGATIONS topics per member, and the list is paged.
for (const { kind, skip } of await availableDatabases()) {
  describe(`delegation limits on ${kind}`, { skip }, () => {
    let t: TestApp;
    const c = crew();
    const tok = c.tok;
    const delegate = (who: string, to: string | null, topic?: string) =>
      t.put(
        '/api/v1/communes/lodge/delegation',
        topic === undefined ? { to } : { to, topic },
        tok(who),
      );
    const count = async (who: string) =>
      (
        await t.deps.db
          .selectFrom('delegations as d')
          .innerJoin('accounts as a', 'a.id', 'd.from_id')
          .select('d.topic')
          .where('a.handle', '=', who)
          .where('d.topic', '<>', '')
          .execute()
      ).length;

    before(async () => {
      t = await startTestApp(kind);
      await communeOf(t, c, 'lodge', ['ann', 'ben', 'cat', 'dan']);
    });
    after(() => t.close());

    it(`keeps at most ${MAX_TOPIC_DELEGATIONS} topic delegations per member; replacing one is fine`, async () => {
      for (let i = 0; i < MAX_TOPIC_DELEGATIONS; i += 1)
        assert.equal((await delegate('ann', 'ben', `topic ${i}`)).status, 200);
      const over = await delegate('ann', 'ben', 'one too many');
      assert.deepEqual(
        [over.status, over.body.error.code, over.body.error.field],
        [422, 'too_many_delegations', 'topic'],
      );
      // Changing an existing topic, a general delegation, and revoking are not new topics.
      assert.equal((await delegate('ann', 'cat', 'topic 3')).status, 200);
      assert.equal((await delegate('ann', 'cat')).status, 200);
      assert.equal((await delegate('ann', null, 'topic 4')).status, 200);
      assert.equal((await delegate('ann', 'ben', 'one more now')).status, 200);
      assert.equal(await count('ann'), MAX_TOPIC_DELEGATIONS);
      // The cap is per member: ben has his own.
      assert.equal((await delegate('ben', 'cat', 'topic 0')).status, 200);
    });

    it('holds the cap when many new topics arrive at once', async () => {
      for (let i = 0; i < MAX_TOPIC_DELEGATIONS - 3; i += 1)
        assert.equal((await delegate('cat', 'dan', `early ${i}`)).status, 200);
      const rs = await Promise.all(
        Array.from({ length: 12 }, (_, i) => delegate('cat', 'dan', `racing ${i}`)),
      );
      const statuses = rs.map((r) => r.status).sort();
      assert.deepEqual(statuses, [...Array(3).fill(200), ...Array(9).fill(422)]);
      assert.ok(
        rs
          .filter((r) => r.status === 422)
          .every((r) => r.body.error.code === 'too_many_delegations'),
      );
      assert.equal(await count('cat'), MAX_TOPIC_DELEGATIONS);
    });

    it('lists delegations in pages, each once, following next', async () => {
      const seen: string[] = [];
      let next: string | null = null;
      let pages = 0;
      do {
        const r = await t.get(
          `/api/v1/communes/lodge/delegations?limit=7${next ? `&after=${next}` : ''}`,
          tok('dan'),
        );
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.ok(r.body.items.length <= 7);
        for (const d of r.body.items) seen.push(`${d.from} ${d.topic ?? '(all)'}`);
        next = r.body.next;
        pages += 1;
      } while (next !== null);
      const total = await t.deps.db
        .selectFrom('delegations')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(seen.length, Number(total.n));
      assert.equal(new Set(seen).size, seen.length, 'no delegation twice');
      assert.equal(pages, Math.ceil(seen.length / 7) + (seen.length % 7 === 0 ? 1 : 0) || 1);
      const first = await t.get('/api/v1/communes/lodge/delegations', tok('dan'));
      assert.deepEqual([first.body.items.length, typeof first.body.next], [50, 'string']);
      const bad = await t.get('/api/v1/communes/lodge/delegations?after=nonsense', tok('dan'));
      assert.deepEqual([bad.status, bad.body.error.code], [400, 'invalid_input']);
      assert.equal(
        (await t.get('/api/v1/communes/lodge/delegations?limit=201', tok('dan'))).status,
        400,
      );
    });
  });
}
