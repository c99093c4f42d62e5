import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { identityRepository } from '../identity/identity.repository.ts';
import type { DbHandle } from './database.ts';
import { isUniqueViolation } from './database.ts';
import { availableDatabases, openTestDatabase } from './testing.ts';

for (const { kind, skip } of await availableDatabases()) {
  describe(`database on ${kind}`, { skip }, () => {
    let h: DbHandle;
    before(async () => {
      h = await openTestDatabase(kind);
    });
    after(() => h.destroy());

    it('has run every migration', async () => {
      // Kysely's introspection reads every schema's catalog, and other test files drop
      // their schemas meanwhile: on PostgreSQL, only this test's schema is listed.
      const names =
        kind === 'postgres'
          ? (
              await sql<{ name: string }>`select table_name as name from information_schema.tables
                where table_schema = current_schema()`.execute(h.db)
            ).rows.map((r) => r.name)
          : (await h.db.introspection.getTables()).map((t) => t.name);
      for (const t of [
        'accounts',
        'sessions',
        'communes',
        'memberships',
        'threads',
        'comments',
        'filters',
      ])
        assert.ok(names.includes(t), t);
    });

    it('stores accounts through the repository and enforces unique handles', async () => {
      const repo = identityRepository(h.db);
      const row = {
        id: 'a1',
        handle: 'zoe',
        displayName: "Zoë'; DROP TABLE accounts;--",
        passwordHash: 'h',
        createdAt: new Date().toISOString(),
      };
      await repo.insertAccount(row);
      assert.deepEqual(await repo.findByHandle('zoe'), {
        id: 'a1',
        handle: 'zoe',
        displayName: row.displayName,
      });
      await assert.rejects(repo.insertAccount({ ...row, id: 'a2' }), (e) => isUniqueViolation(e));
      // The failed transaction left no half-written handle or account behind.
      assert.equal(await repo.findByHandle('nobody'), undefined);
    });

    it('rolls a transaction back as a whole', async () => {
      await assert.rejects(
        h.db.transaction().execute(async (tx) => {
          await tx.insertInto('handles').values({ handle: 'ghost', kind: 'person' }).execute();
          throw new Error('abort');
        }),
      );
      const row = await h.db
        .selectFrom('handles')
        .select('handle')
        .where('handle', '=', 'ghost')
        .executeTakeFirst();
      assert.equal(row, undefined);
    });

    if (kind === 'sqlite') {
      it('runs in WAL mode with foreign keys on', async () => {
        const mode = await sql<{ journal_mode: string }>`PRAGMA journal_mode`.execute(h.db);
        assert.equal(mode.rows[0]?.journal_mode, 'wal');
        const fk = await sql<{ foreign_keys: number }>`PRAGMA foreign_keys`.execute(h.db);
        assert.equal(fk.rows[0]?.foreign_keys, 1);
        const sync = await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(h.db);
        assert.equal(sync.rows[0]?.synchronous, 2);
        await assert.rejects(
          h.db
            .insertInto('memberships')
            .values({ commune_id: 'none', account_id: 'none', role: 'member', joined_at: 'x' })
            .execute(),
        );
      });
    }
  });
}
