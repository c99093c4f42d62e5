import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { found } from '../communes/communes.fixtures.ts';
import { availableDatabases } from '../db/testing.ts';
import { fileStore } from './file-store.ts';
import { item, upload } from './files.fixtures.ts';

// Uploads at once: the limit holds (the item's lock makes them count one after another),
// and an upload racing its item's deletion either lands before it or is refused, never
// leaving a row on a deleted item.

const MAX = 3;
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

for (const { kind, skip } of await availableDatabases()) {
  describe(`concurrent item file uploads on ${kind}`, { skip }, () => {
    let t: TestApp;
    let alice: string;
    before(async () => {
      t = await startTestApp(kind, { files: { maxPerItem: MAX } });
      alice = await t.person('alice');
      await found(t, alice, 'garden');
    });
    after(() => t.close());

    it('never lets more than the limit in', async () => {
      const id = await item(t, alice, 'garden');
      const bodies = Array.from({ length: 8 }, (_, i) => Buffer.from(`racer ${i}\n`));
      const answers = await Promise.all(bodies.map((b, i) => upload(t, id, alice, b, `r${i}.txt`)));
      const statuses = answers.map((a) => a.status).sort();
      assert.deepEqual(statuses, [...Array(MAX).fill(201), ...Array(8 - MAX).fill(422)]);
      const listed = (await t.get(`/api/v1/items/${id}/files`, alice)).body.items;
      assert.equal(listed.length, MAX);
      // Only the files that made it are stored.
      const store = fileStore(t.deps.config.files.dir);
      for (const [i, a] of answers.entries())
        assert.equal(await store.has(sha(bodies[i]!)), a.status === 201, `racer ${i}`);
    });

    it('leaves no file row on an item deleted while uploads run', async () => {
      const id = await item(t, alice, 'garden');
      const uploads = Array.from({ length: 3 }, (_, i) =>
        upload(t, id, alice, Buffer.from(`late ${i}\n`), `l${i}.txt`),
      );
      const deleted = t.del(`/api/v1/items/${id}`, alice);
      const answers = await Promise.all(uploads);
      assert.equal((await deleted).status, 204);
      for (const a of answers) assert.ok([201, 409].includes(a.status), JSON.stringify(a.body));
      const rows = await t.deps.db
        .selectFrom('item_files')
        .select('sha256')
        .where('item_id', '=', id)
        .execute();
      assert.deepEqual(rows, []);
    });
  });
}
