import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import pino from 'pino';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { createApp } from '../app.ts';
import { communesService } from '../communes/communes.service.ts';
import { openDatabase, type DbHandle } from '../db/database.ts';
import { TEST_POSTGRES_URL, availableDatabases } from '../db/testing.ts';
import { discussionsService } from './discussions.service.ts';

// Thread pages are kept in memory per process (thread-pages.ts). Every test here first reads a
// page so that it is cached, changes something behind it, and expects the very next read to
// show the change: the cache may never serve what the database no longer says.

type Comment = { id: string; body: string; author: { handle: string; displayName: string } };

const charter = (handle: string, visibility: string) => ({
  handle,
  name: `Commune ${handle}`,
  vision: 'Talking things through',
  category: 'social',
  tags: ['talk'],
  joinPolicy: 'open',
  visibility,
});

for (const { kind, skip } of await availableDatabases()) {
  describe(`cached thread pages on ${kind}`, { skip }, () => {
    let t: TestApp;
    let ana: string; // steward
    let ben: string; // member
    let cy: string; // outsider
    const page = (id: string, token?: string, query = '') =>
      t.get(`/api/v1/threads/${id}${query}`, token);
    const bodies = (r: { body: { comments: Comment[] } }) => r.body.comments.map((c) => c.body);
    const startThread = async (commune: string, title: string) => {
      const r = await t.post(
        `/api/v1/communes/${commune}/threads`,
        { title, body: `About ${title}` },
        ana,
      );
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body.id as string;
    };
    const comment = async (id: string, body: string, token = ben) => {
      const r = await t.post(`/api/v1/threads/${id}/comments`, { body }, token);
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body.id as string;
    };

    before(async () => {
      t = await startTestApp(kind);
      ana = await t.person('ana', 'Ana');
      ben = await t.person('ben', 'Ben');
      cy = await t.person('cy');
      for (const c of ['square', 'attic'])
        assert.equal((await t.post('/api/v1/communes', charter(c, 'public'), ana)).status, 201);
      for (const c of ['square', 'attic'])
        assert.equal(
          (await t.post(`/api/v1/communes/${c}/applications`, { acceptAgreements: true }, ben))
            .status,
          201,
        );
    });
    after(() => t.close());

    it('shows a new comment on the next read, to anonymous and signed-in readers', async () => {
      const id = await startThread('square', 'Rota');
      await comment(id, 'one');
      assert.deepEqual(bodies(await page(id)), ['one']);
      assert.deepEqual(bodies(await page(id, cy)), ['one']);
      await comment(id, 'two', ana);
      assert.deepEqual(bodies(await page(id)), ['one', 'two']);
      assert.deepEqual(bodies(await page(id, cy)), ['one', 'two']);
    });

    it('shows an edited display name on the next read, in the thread and in comments', async () => {
      const id = await startThread('square', 'Names');
      await comment(id, 'hello', ana);
      await comment(id, 'hi', ben);
      const before = await page(id);
      assert.equal(before.body.thread.author.displayName, 'Ana');
      assert.deepEqual(
        before.body.comments.map((c: Comment) => c.author.displayName),
        ['Ana', 'Ben'],
      );
      // No route renames people yet; identity will own that. The page must follow the table.
      await sql`update accounts set display_name = ${'Ana Ñandú'} where handle = ${'ana'}`.execute(
        t.deps.db,
      );
      const renamed = await page(id);
      assert.equal(renamed.body.thread.author.displayName, 'Ana Ñandú');
      assert.deepEqual(
        renamed.body.comments.map((c: Comment) => c.author.displayName),
        ['Ana Ñandú', 'Ben'],
      );
      await sql`update accounts set display_name = ${'Ben B.'} where handle = ${'ben'}`.execute(
        t.deps.db,
      );
      assert.deepEqual(
        (await page(id)).body.comments.map((c: Comment) => c.author.displayName),
        ['Ana Ñandú', 'Ben B.'],
      );
      await sql`update accounts set display_name = ${'Ana'} where handle = ${'ana'}`.execute(
        t.deps.db,
      );
      await sql`update accounts set display_name = ${'Ben'} where handle = ${'ben'}`.execute(
        t.deps.db,
      );
    });

    it('answers 404 on the next read once the commune turns private, and 200 to members', async () => {
      const id = await startThread('attic', 'Keys');
      await comment(id, 'under the mat');
      assert.equal((await page(id)).status, 200);
      assert.equal((await page(id, cy)).status, 200);
      // As a passed amend_charter proposal (or a steward) would, possibly in another process.
      await sql`update communes set visibility = ${'private'} where handle = ${'attic'}`.execute(
        t.deps.db,
      );
      for (const token of [undefined, cy]) {
        const r = await page(id, token);
        assert.equal(r.status, 404);
        assert.equal(JSON.stringify(r.body).includes('under the mat'), false);
      }
      assert.deepEqual(bodies(await page(id, ben)), ['under the mat']);
      // A member who leaves is an outsider on the next read.
      assert.equal((await t.del('/api/v1/communes/attic/members/me', ben)).status, 204);
      assert.equal((await page(id, ben)).status, 404);
      assert.equal((await page(id, ana)).status, 200);
    });

    it('follows edits and deletions made straight in the database', async () => {
      const id = await startThread('square', 'Moderation');
      const spam = await comment(id, 'spam');
      await comment(id, 'fine');
      assert.deepEqual(bodies(await page(id)), ['spam', 'fine']);
      await sql`delete from comments where id = ${spam}`.execute(t.deps.db);
      assert.deepEqual(bodies(await page(id)), ['fine']);
      await sql`update comments set body = ${'fine, edited'} where thread_id = ${id}`.execute(
        t.deps.db,
      );
      assert.deepEqual(bodies(await page(id)), ['fine, edited']);
      await sql`update threads set title = ${'Moderation (closed)'} where id = ${id}`.execute(
        t.deps.db,
      );
      assert.equal((await page(id)).body.thread.title, 'Moderation (closed)');
    });

    it('serves the same pages as reading the database directly, for any filters and paging (property)', async () => {
      const id = await startThread('square', 'Many voices');
      const words = ['pears', 'apples', 'plums'];
      for (let i = 0; i < 24; i += 1)
        await comment(
          id,
          `${words[i % 3]} ${i}${i % 5 === 0 ? ' PEARS' : ''}`,
          i % 4 === 0 ? ana : ben,
        );
      // The uncached path is threadView; threadPage is what the route sends.
      const discussions = discussionsService(t.deps, communesService(t.deps));
      const dee = await t.person(`dee_${kind}`);
      const all = (await discussions.threadView(null, id, { limit: 100 })) as {
        ok: true;
        value: { comments: { id: string }[] };
      };
      const ids = all.value.comments.map((c) => c.id);
      await fc.assert(
        fc.asyncProperty(
          fc.subarray(['word:pears', 'word:apples', 'word:12', 'person:ana', 'person:ben']),
          fc.integer({ min: 1, max: 30 }),
          fc.option(fc.constantFrom(...ids), { nil: undefined }),
          async (filters, limit, afterId) => {
            await sql`delete from filters where account_id = (select id from accounts where handle = ${`dee_${kind}`})`.execute(
              t.deps.db,
            );
            for (const f of filters) {
              const [filterKind, value] = f.split(':');
              assert.equal(
                (await t.post('/api/v1/me/filters', { kind: filterKind, value }, dee)).status,
                201,
              );
            }
            const viewer = (await t.get('/api/v1/me', dee)).body.id as string;
            const query = afterId === undefined ? { limit } : { limit, after: afterId };
            const direct = await discussions.threadView(viewer, id, query);
            const cached = await discussions.threadPage(viewer, id, query);
            assert.ok(direct.ok && cached.ok);
            assert.equal(cached.value.toString(), JSON.stringify(direct.value));
            const viaHttp = await page(
              id,
              dee,
              `?limit=${limit}${afterId === undefined ? '' : `&after=${afterId}`}`,
            );
            assert.deepEqual(viaHttp.body, direct.value);
          },
        ),
        { numRuns: 40 },
      );
    });

    it('reads threads too long to keep from the database, with the same answer', async () => {
      const discussions = discussionsService(t.deps, communesService(t.deps), {
        maxBytes: 1_000_000,
        maxEntryBytes: 100_000,
        maxComments: 3,
      });
      const id = await startThread('square', 'Too long');
      for (const body of ['a', 'b', 'c']) await comment(id, body);
      for (const extra of ['d', 'e']) {
        const cached = await discussions.threadPage(null, id, { limit: 200 });
        const direct = await discussions.threadView(null, id, { limit: 200 });
        assert.ok(cached.ok && direct.ok);
        assert.equal(cached.value.toString(), JSON.stringify(direct.value));
        await comment(id, extra);
      }
      const long = await discussions.threadPage(null, id, { limit: 2, after: undefined });
      assert.ok(long.ok);
      assert.deepEqual(
        JSON.parse(long.value.toString()).comments.map((c: Comment) => c.body),
        ['a', 'b'],
      );
    });

    if (kind === 'postgres') {
      describe('with a second app process on the same schema', () => {
        let other: DbHandle;
        let otherApp: ReturnType<typeof createApp>;
        const otherPost = async (path: string, body: unknown, token: string) => {
          const r = await otherApp.request(path, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify(body),
          });
          return { status: r.status, body: await r.json() };
        };
        const otherPage = async (id: string) =>
          (await (await otherApp.request(`/api/v1/threads/${id}`)).json()) as {
            comments: Comment[];
          };

        before(async () => {
          const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(
            t.deps.db,
          );
          other = openDatabase(TEST_POSTGRES_URL, { schema: rows[0]!.schema, poolSize: 2 });
          otherApp = createApp({ ...t.deps, db: other.db, logger: pino({ level: 'silent' }) });
        });
        after(() => other.destroy());

        it("shows the other process's new comment on this process's next read, and the other way round", async () => {
          const id = await startThread('square', 'Two processes');
          await comment(id, 'from here');
          assert.deepEqual(bodies(await page(id)), ['from here']);
          assert.deepEqual(
            (await otherPage(id)).comments.map((c) => c.body),
            ['from here'],
          );
          const r = await otherPost(`/api/v1/threads/${id}/comments`, { body: 'from there' }, ana);
          assert.equal(r.status, 201, JSON.stringify(r.body));
          assert.deepEqual(bodies(await page(id)), ['from here', 'from there']);
          await comment(id, 'here again');
          assert.deepEqual(
            (await otherPage(id)).comments.map((c) => c.body),
            ['from here', 'from there', 'here again'],
          );
        });

        it("shows a rename written through the other process's pool on the next read", async () => {
          const id = await startThread('square', 'Renamed elsewhere');
          await comment(id, 'hey');
          assert.equal((await page(id)).body.comments[0].author.displayName, 'Ben');
          await sql`update accounts set display_name = ${'Benedict'} where handle = ${'ben'}`.execute(
            other.db,
          );
          assert.equal((await page(id)).body.comments[0].author.displayName, 'Benedict');
          await sql`update accounts set display_name = ${'Ben'} where handle = ${'ben'}`.execute(
            other.db,
          );
        });
      });
    }
  });
}
