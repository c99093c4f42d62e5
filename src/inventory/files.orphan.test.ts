import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { createContexts } from '../app.ts';
import { found } from '../communes/communes.fixtures.ts';
import { availableDatabases } from '../db/testing.ts';
import { fileStore, type FileStore } from './file-store.ts';
import { item, upload } from './files.fixtures.ts';
import { filesService } from './files.service.ts';

// An upload whose transaction fails after its file was moved into the content-addressed
// store leaves nothing behind: no row, no stored file, no temp file. The same bytes carried
// by another item stay. The failure is made by a store whose commit moves the file and then
// fails, as a lost connection or a failed COMMIT would after the move.

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
async function* chunks(b: Uint8Array): AsyncGenerator<Uint8Array> {
  yield b;
}

/** A real store whose commit() moves the file, then fails. */
function failingAfterMove(dir: string): FileStore {
  const real = fileStore(dir);
  return {
    ...real,
    commit: async (received) => {
      await real.commit(received);
      throw new Error('the transaction failed after the move');
    },
  };
}

for (const { kind, skip } of await availableDatabases()) {
  describe(`an upload whose transaction fails on ${kind}`, { skip }, () => {
    let t: TestApp;
    let alice: string;
    let aliceId: string;
    const store = () => fileStore(t.deps.config.files.dir);
    const failing = () =>
      filesService(
        t.deps,
        createContexts(t.deps).inventory.access,
        failingAfterMove(t.deps.config.files.dir),
      );
    const temps = async () =>
      readdir(join(t.deps.config.files.dir, 'tmp')).catch(() => [] as string[]);

    before(async () => {
      t = await startTestApp(kind);
      alice = await t.person('alice');
      aliceId = (await t.get('/api/v1/me', alice)).body.id as string;
      await found(t, alice, 'garden');
    });
    after(() => t.close());

    it('removes the stored file and records nothing', async () => {
      const id = await item(t, alice, 'garden');
      const bytes = Buffer.from('notes nobody else has\n');
      await assert.rejects(
        failing().upload(id, aliceId, 'notes.txt', chunks(bytes)),
        /failed after the move/,
      );
      assert.equal(await store().has(sha(bytes)), false, 'no orphaned stored file');
      assert.deepEqual(await temps(), [], 'no temp file');
      assert.deepEqual((await t.get(`/api/v1/items/${id}/files`, alice)).body.items, []);
      // The same upload through the app then works.
      assert.equal((await upload(t, id, alice, bytes, 'notes.txt')).status, 201);
      assert.equal(await store().has(sha(bytes)), true);
    });

    it('keeps the file when another item carries the same bytes', async () => {
      const first = await item(t, alice, 'garden', { title: 'First' });
      const second = await item(t, alice, 'garden', { title: 'Second' });
      const bytes = Buffer.from('shared notes\n');
      assert.equal((await upload(t, first, alice, bytes, 'shared.txt')).status, 201);
      await assert.rejects(failing().upload(second, aliceId, 'again.txt', chunks(bytes)));
      assert.equal(await store().has(sha(bytes)), true, 'the first item still carries it');
      const got = await t.app.request(`/api/v1/items/${first}/files/${sha(bytes)}`, {
        headers: { authorization: `Bearer ${alice}` },
      });
      assert.equal(got.status, 200);
      assert.equal(await got.text(), 'shared notes\n');
      assert.deepEqual((await t.get(`/api/v1/items/${second}/files`, alice)).body.items, []);
    });
  });
}
