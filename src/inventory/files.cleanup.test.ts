import assert from 'node:assert/strict';
import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { waitFor } from '../../test/support/wait.ts';
import { createContexts } from '../app.ts';
import { found } from '../communes/communes.fixtures.ts';
import { availableDatabases } from '../db/testing.ts';
import { eventsRepository } from '../events/events.repository.ts';
import { jobRunner } from '../jobs/runner.ts';
import { startScheduler, type Scheduler } from '../jobs/scheduler.ts';
import { TEMP_MAX_AGE_MS, fileStore } from './file-store.ts';
import { SWEEP_TEMP_FILES } from './files.jobs.ts';
import { PDF, PNG, item, upload } from './files.fixtures.ts';

// Deleting the last item that carries a file removes the file, in the background (the
// inventory.release_files subscriber of item_deleted), while a file another item still
// carries stays. A job scheduler runs as in `serve`; the tests wait for the outcome.

const SUBSCRIBER = 'inventory.release_files';

for (const { kind, skip } of await availableDatabases()) {
  describe(`item files after deletion on ${kind}`, { skip }, () => {
    let t: TestApp;
    let scheduler: Scheduler;
    let alice: string;
    const store = () => fileStore(t.deps.config.files.dir);
    const released = async () => eventsRepository(t.deps.db).deliveries(SUBSCRIBER);

    before(async () => {
      t = await startTestApp(kind);
      scheduler = startScheduler(jobRunner(t.deps, createContexts(t.deps).jobs), {
        intervalMs: 20,
        logger: pino({ level: 'silent' }),
      });
      alice = await t.person('alice');
      await found(t, alice, 'garden');
    });
    after(async () => {
      await scheduler.stop();
      await t.close();
    });

    it('keeps a file while another item carries it and removes it with the last', async () => {
      const first = await item(t, alice, 'garden', { title: 'First' });
      const second = await item(t, alice, 'garden', { title: 'Second' });
      const shared = await upload(t, first, alice, PNG, 'shared.png');
      assert.equal((await upload(t, second, alice, PNG, 'same bytes.png')).status, 201);
      const own = await upload(t, first, alice, PDF, 'own.pdf');
      assert.equal(await store().has(shared.body.sha256), true);
      assert.equal(await store().has(own.body.sha256), true);

      const before = (await released()).length;
      assert.equal((await t.del(`/api/v1/items/${first}`, alice)).status, 204);
      await waitFor(async () => (await released()).length > before, {
        message: 'the deletion of the first item to be handled',
      });
      assert.equal(await store().has(own.body.sha256), false, 'only the first item had it');
      assert.equal(await store().has(shared.body.sha256), true, 'the second item still has it');
      const still = await t.app.request(`/api/v1/items/${second}/files/${shared.body.sha256}`, {
        headers: { authorization: `Bearer ${alice}` },
      });
      assert.equal(still.status, 200);

      assert.equal((await t.del(`/api/v1/items/${second}`, alice)).status, 204);
      await waitFor(async () => !(await store().has(shared.body.sha256)), {
        message: 'the shared file to go with the last item carrying it',
      });
    });

    it('sweeps temp files an interrupted upload left behind (a recurring job)', async () => {
      const tmp = join(t.deps.config.files.dir, 'tmp');
      mkdirSync(tmp, { recursive: true });
      const stale = join(tmp, 'left-by-a-crash');
      const fresh = join(tmp, 'being-uploaded');
      writeFileSync(stale, 'half a file');
      writeFileSync(fresh, 'half a file');
      const longAgo = new Date(Date.now() - 2 * TEMP_MAX_AGE_MS);
      utimesSync(stale, longAgo, longAgo);
      const sweep = createContexts(t.deps).jobs.recurringOf(SWEEP_TEMP_FILES);
      assert.ok(sweep, 'the sweep is registered with the job runner');
      await sweep.run();
      assert.equal(existsSync(stale), false);
      assert.equal(existsSync(fresh), true, 'an upload in progress keeps its temp file');
    });

    it('handles the same deletion twice without harm', async () => {
      const id = await item(t, alice, 'garden');
      const r = await upload(t, id, alice, Buffer.from('twice\n'), 'twice.txt');
      const before = (await released()).length;
      assert.equal((await t.del(`/api/v1/items/${id}`, alice)).status, 204);
      await waitFor(async () => (await released()).length > before, { message: 'the release' });
      assert.equal(await store().has(r.body.sha256), false);
      // Delivered again (at least once): nothing left to do, nothing fails.
      const { inventory } = createContexts(t.deps);
      await t.deps.db
        .transaction()
        .execute((tx) => inventory.files.release(tx, id, [r.body.sha256]));
      assert.equal(await store().has(r.body.sha256), false);
    });
  });
}
