import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { found, join } from '../communes/communes.fixtures.ts';
import { availableDatabases } from '../db/testing.ts';
import { MAX_BODY, MAX_REASON, MAX_TITLE } from './discussions.ts';

// Everyday editing and moderation (ADR 0023), through the API, on both databases.

const UNKNOWN = '0190f5c4-6b1e-7c3d-8a2b-123456789abc';

for (const { kind, skip } of await availableDatabases()) {
  describe(`editing and moderation on ${kind}`, { skip }, () => {
    let t: TestApp;
    let ana: string; // steward of garden
    let ben: string; // member of garden
    let cy: string; // member of nothing
    const patch = (path: string, body: unknown, token?: string) =>
      t.call('PATCH', path, body, token);
    const startThread = async (token: string, title = 'Seeds', body = 'We need *seeds*') => {
      const r = await t.post('/api/v1/communes/garden/threads', { title, body }, token);
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body.id as string;
    };
    const comment = async (token: string, threadId: string, body: string) => {
      const r = await t.post(`/api/v1/threads/${threadId}/comments`, { body }, token);
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body.id as string;
    };
    const page = async (threadId: string, query = '', token?: string) => {
      const r = await t.get(`/api/v1/threads/${threadId}${query}`, token);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body as {
        thread: Record<string, unknown>;
        comments: Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
        next: string | null;
      };
    };

    before(async () => {
      t = await startTestApp(kind);
      ana = await t.person('ana');
      ben = await t.person('ben');
      cy = await t.person('cy');
      await found(t, ana, 'garden');
      assert.equal((await join(t, ben, 'garden')).status, 201);
    });
    after(() => t.close());

    describe('editing your own posts', () => {
      it('edits a thread, marks it edited, keeps the history and refreshes the cached page', async () => {
        const id = await startThread(ben, 'Seeds', 'We need *seeds*');
        const first = await page(id); // now cached
        assert.equal(first.thread.editedAt, null);
        const r = await patch(`/api/v1/threads/${id}`, { body: 'We need **beans**' }, ben);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.equal(r.body.title, 'Seeds');
        assert.equal(r.body.html, '<p>We need <strong>beans</strong></p>\n');
        assert.ok(r.body.editedAt);
        const again = await page(id);
        assert.equal(again.thread.body, 'We need **beans**');
        assert.equal(again.thread.editedAt, r.body.editedAt);
        const renamed = await patch(`/api/v1/threads/${id}`, { title: 'Beans' }, ben);
        assert.equal(renamed.body.title, 'Beans');
        const history = await t.get(`/api/v1/threads/${id}/edits`);
        assert.equal(history.status, 200);
        assert.deepEqual(
          history.body.items.map((e: { title: string; body: string }) => [e.title, e.body]),
          [
            ['Seeds', 'We need **beans**'],
            ['Seeds', 'We need *seeds*'],
          ],
        );
      });

      it('edits a comment in place; the page shows the new text and the edit', async () => {
        const id = await startThread(ana);
        const c = await comment(ben, id, 'first try');
        await page(id);
        const r = await patch(`/api/v1/comments/${c}`, { body: 'second try' }, ben);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.equal(r.body.body, 'second try');
        assert.ok(r.body.editedAt);
        const shown = (await page(id)).comments.find((x) => x.id === c)!;
        assert.equal(shown.body, 'second try');
        assert.equal(shown.editedAt, r.body.editedAt);
        const history = await t.get(`/api/v1/comments/${c}/edits`);
        assert.deepEqual(
          history.body.items.map((e: { body: string }) => e.body),
          ['first try'],
        );
      });

      it("403 not_author for someone else's thread or comment, stewards included", async () => {
        const id = await startThread(ben);
        const c = await comment(ben, id, 'mine');
        for (const [path, body] of [
          [`/api/v1/threads/${id}`, { title: 'Taken over' }],
          [`/api/v1/comments/${c}`, { body: 'Taken over' }],
        ] as const) {
          for (const token of [ana, cy]) {
            const r = await patch(path, body, token);
            assert.equal(r.status, 403, JSON.stringify(r.body));
            assert.equal(r.body.error.code, 'not_author');
          }
          const d = await t.del(path, ana);
          assert.equal(d.status, 403);
          assert.equal(d.body.error.code, 'not_author');
        }
        assert.equal((await page(id)).comments[0]!.body, 'mine');
      });

      it('404 with a clear code for unknown or malformed ids, 401 anonymous', async () => {
        for (const id of [UNKNOWN, 'nope']) {
          const r = await patch(`/api/v1/threads/${id}`, { title: 'x' }, ben);
          assert.equal(r.status, 404);
          assert.equal(r.body.error.code, 'thread_not_found');
          const c = await patch(`/api/v1/comments/${id}`, { body: 'x' }, ben);
          assert.equal(c.status, 404);
          assert.equal(c.body.error.code, 'comment_not_found');
          assert.equal(
            (await t.get(`/api/v1/comments/${id}/edits`)).body.error.code,
            'comment_not_found',
          );
        }
        const id = await startThread(ben);
        assert.equal((await patch(`/api/v1/threads/${id}`, { title: 'x' })).status, 401);
      });

      it('400 naming the field for bad edits: empty, too long, nothing to change', async () => {
        const id = await startThread(ben);
        const c = await comment(ben, id, 'fine');
        const cases: [string, unknown, string][] = [
          [`/api/v1/threads/${id}`, {}, 'body'],
          [`/api/v1/threads/${id}`, { title: '   ' }, 'title'],
          [`/api/v1/threads/${id}`, { title: 't'.repeat(MAX_TITLE + 1) }, 'title'],
          [`/api/v1/threads/${id}`, { body: 'b'.repeat(MAX_BODY + 1) }, 'body'],
          [`/api/v1/comments/${c}`, { body: '' }, 'body'],
          [`/api/v1/comments/${c}`, { body: 'b'.repeat(MAX_BODY + 1) }, 'body'],
          [`/api/v1/comments/${c}`, { body: 42 }, 'body'],
        ];
        for (const [path, body, field] of cases) {
          const r = await patch(path, body, ben);
          assert.equal(r.status, 400, `${path} ${JSON.stringify(body).slice(0, 60)}`);
          assert.equal(r.body.error.code, 'invalid_input');
          assert.equal(r.body.error.field, field);
        }
      });
    });

    describe('deleting your own posts', () => {
      it('leaves a tombstone in place, so pages keep their positions', async () => {
        const id = await startThread(ana);
        const ids: string[] = [];
        for (let i = 0; i < 5; i += 1) ids.push(await comment(ben, id, `comment ${i}`));
        const before = await page(id, '?limit=2');
        assert.equal(before.next, ids[1]);
        await patch(`/api/v1/comments/${ids[1]}`, { body: 'edited first' }, ben);
        const d = await t.del(`/api/v1/comments/${ids[1]}`, ben);
        assert.equal(d.status, 204);
        assert.equal((await t.del(`/api/v1/comments/${ids[1]}`, ben)).status, 204);
        const after = await page(id, '?limit=2');
        assert.deepEqual(
          after.comments.map((c) => c.id),
          ids.slice(0, 2),
        );
        assert.equal(after.next, ids[1]);
        const tomb = after.comments[1]!;
        assert.equal(tomb.deleted, true);
        assert.equal(tomb.body, '');
        assert.equal(tomb.html, '');
        const rest = await page(id, `?limit=2&after=${after.next}`);
        assert.deepEqual(
          rest.comments.map((c) => c.id),
          ids.slice(2, 4),
        );
        // Its history went with it, and it cannot be edited back.
        assert.deepEqual((await t.get(`/api/v1/comments/${ids[1]}/edits`)).body.items, []);
        const e = await patch(`/api/v1/comments/${ids[1]}`, { body: 'back' }, ben);
        assert.equal(e.status, 409);
        assert.equal(e.body.error.code, 'post_deleted');
      });

      it('deletes a thread nobody else answered; 409 thread_has_replies otherwise', async () => {
        const alone = await startThread(ben);
        await comment(ben, alone, 'talking to myself');
        assert.equal((await t.del(`/api/v1/threads/${alone}`, ben)).status, 204);
        assert.equal((await t.get(`/api/v1/threads/${alone}`)).status, 404);
        const answered = await startThread(ben);
        await comment(ana, answered, 'an answer');
        const r = await t.del(`/api/v1/threads/${answered}`, ben);
        assert.equal(r.status, 409);
        assert.equal(r.body.error.code, 'thread_has_replies');
        assert.equal((await t.get(`/api/v1/threads/${answered}`)).status, 200);
      });
    });

    describe('moderation by stewards', () => {
      it('locks a thread: no new comments (409 thread_locked), logged with the reason', async () => {
        const id = await startThread(ben);
        const c = await comment(ben, id, 'before the lock');
        await page(id);
        const r = await t.post(`/api/v1/threads/${id}/lock`, { reason: 'Heated' }, ana);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.equal(r.body.locked, true);
        assert.equal((await page(id)).thread.locked, true);
        const refused = await t.post(`/api/v1/threads/${id}/comments`, { body: 'more' }, ben);
        assert.equal(refused.status, 409);
        assert.equal(refused.body.error.code, 'thread_locked');
        const edit = await patch(`/api/v1/comments/${c}`, { body: 'changed' }, ben);
        assert.equal(edit.body.error.code, 'thread_locked');
        const twice = await t.post(`/api/v1/threads/${id}/lock`, { reason: 'Again' }, ana);
        assert.equal(twice.status, 409);
        assert.equal(twice.body.error.code, 'no_change');
        const unlocked = await t.post(`/api/v1/threads/${id}/unlock`, { reason: 'Calm' }, ana);
        assert.equal(unlocked.body.locked, false);
        await comment(ben, id, 'after the lock');
        const log = await t.get('/api/v1/communes/garden/moderation', ben);
        assert.equal(log.status, 200);
        const [latest, earlier] = log.body.items;
        assert.equal(latest.action, 'unlock');
        assert.equal(earlier.action, 'lock');
        assert.equal(earlier.reason, 'Heated');
        assert.equal(earlier.steward.handle, 'ana');
        assert.equal(earlier.thread.id, id);
      });

      it('only stewards moderate; members and outsiders are refused', async () => {
        const id = await startThread(ben);
        const c = await comment(ben, id, 'x');
        const m = await t.post(`/api/v1/threads/${id}/pin`, { reason: 'r' }, ben);
        assert.equal(m.status, 403);
        assert.equal(m.body.error.code, 'stewards_only');
        const h = await t.post(`/api/v1/comments/${c}/hide`, { reason: 'r' }, cy);
        assert.equal(h.status, 403);
        assert.equal(h.body.error.code, 'stewards_only');
        const log = await t.get('/api/v1/communes/garden/moderation', cy);
        assert.equal(log.status, 403);
        for (const reason of ['', '   ', 'r'.repeat(MAX_REASON + 1)]) {
          const bad = await t.post(`/api/v1/threads/${id}/pin`, { reason }, ana);
          assert.equal(bad.status, 400);
          assert.equal(bad.body.error.field, 'reason');
        }
      });

      it('hides a comment in place with the reason; its text leaves the page and the history', async () => {
        const id = await startThread(ben);
        const c = await comment(ben, id, 'rude words');
        await patch(`/api/v1/comments/${c}`, { body: 'ruder words' }, ben);
        await comment(ana, id, 'after');
        await page(id);
        const r = await t.post(`/api/v1/comments/${c}/hide`, { reason: 'Unkind' }, ana);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.equal(r.body.body, '');
        assert.equal(r.body.hidden.reason, 'Unkind');
        const shown = await page(id);
        assert.equal(shown.comments.length, 2);
        assert.equal(shown.comments[0]!.id, c);
        assert.equal(shown.comments[0]!.body, '');
        assert.equal(shown.comments[0]!.hidden.reason, 'Unkind');
        assert.ok(!JSON.stringify(shown).includes('rude'));
        assert.deepEqual((await t.get(`/api/v1/comments/${c}/edits`)).body.items, []);
        const edit = await patch(`/api/v1/comments/${c}`, { body: 'sorry' }, ben);
        assert.equal(edit.status, 409);
        assert.equal(edit.body.error.code, 'post_hidden');
        const back = await t.post(`/api/v1/comments/${c}/unhide`, { reason: 'Apologised' }, ana);
        assert.equal(back.body.body, 'ruder words');
        assert.equal(back.body.hidden, null);
      });

      it('pins threads first in the list, at most five', async () => {
        const pinned = await startThread(ben, 'Read me first');
        await startThread(ben, 'Later');
        assert.equal(
          (await t.post(`/api/v1/threads/${pinned}/pin`, { reason: 'Rules' }, ana)).status,
          200,
        );
        const list = await t.get('/api/v1/communes/garden/threads?limit=1');
        assert.equal(list.body.items[0].id, pinned);
        assert.equal(list.body.items[0].pinned, true);
        assert.equal(list.body.items[1].title, 'Later');
        const more = await t.get(
          `/api/v1/communes/garden/threads?limit=50&before=${list.body.next}`,
        );
        assert.ok(!more.body.items.some((x: { id: string }) => x.id === pinned));
        for (let i = 0; i < 4; i += 1) {
          const other = await startThread(ben, `Pin ${i}`);
          assert.equal(
            (await t.post(`/api/v1/threads/${other}/pin`, { reason: 'r' }, ana)).status,
            200,
          );
        }
        const sixth = await startThread(ben, 'One too many');
        const r = await t.post(`/api/v1/threads/${sixth}/pin`, { reason: 'r' }, ana);
        assert.equal(r.status, 422);
        assert.equal(r.body.error.code, 'too_many_pinned');
      });
    });

    describe('unread markers', () => {
      it('marks threads unread until read, and again after a new comment', async () => {
        const id = await startThread(ana, 'Fresh');
        const unreadOf = async () =>
          (await t.get('/api/v1/communes/garden/threads?limit=50', ben)).body.items.find(
            (x: { id: string }) => x.id === id,
          ).unread;
        assert.equal(await unreadOf(), true);
        assert.equal((await t.get(`/api/v1/threads/${id}/read`, ben)).body.lastSeen, null);
        const read = await t.put(`/api/v1/threads/${id}/read`, { lastSeen: null }, ben);
        assert.equal(read.status, 200);
        assert.equal(await unreadOf(), false);
        const c1 = await comment(ana, id, 'news');
        assert.equal(await unreadOf(), true);
        await t.put(`/api/v1/threads/${id}/read`, { lastSeen: c1 }, ben);
        assert.equal(await unreadOf(), false);
        const c2 = await comment(ana, id, 'more news');
        // A position never moves back; other threads' comments are refused.
        await t.put(`/api/v1/threads/${id}/read`, { lastSeen: null }, ben);
        assert.equal((await t.get(`/api/v1/threads/${id}/read`, ben)).body.lastSeen, c1);
        const other = await startThread(ana);
        const elsewhere = await comment(ana, other, 'elsewhere');
        for (const lastSeen of [elsewhere, UNKNOWN, 'x']) {
          const bad = await t.put(`/api/v1/threads/${id}/read`, { lastSeen }, ben);
          assert.equal(bad.status, 422);
          assert.equal(bad.body.error.code, 'read_target_invalid');
        }
        await t.put(`/api/v1/threads/${id}/read`, { lastSeen: c2 }, ben);
        assert.equal(await unreadOf(), false);
        // Anonymous readers get no markers.
        const anon = await t.get('/api/v1/communes/garden/threads');
        assert.equal('unread' in anon.body.items[0], false);
      });
    });

    describe('proposals: their discussion and edits', () => {
      const propose = async () => {
        const r = await t.post(
          '/api/v1/communes/garden/proposals',
          {
            title: 'Plant beans',
            body: 'In the north bed',
            method: 'consent',
            closesAt: new Date(Date.now() + 86_400_000).toISOString(),
          },
          ben,
        );
        assert.equal(r.status, 201, JSON.stringify(r.body));
        return r.body.id as string;
      };

      it('has a comment thread beside the vote, not in the thread list', async () => {
        const p = await propose();
        const empty = await t.get(`/api/v1/proposals/${p}/comments`);
        assert.deepEqual(empty.body, { thread: null, locked: false, comments: [], next: null });
        const c = await t.post(`/api/v1/proposals/${p}/comments`, { body: 'Why north?' }, ana);
        assert.equal(c.status, 201, JSON.stringify(c.body));
        await t.post(`/api/v1/proposals/${p}/comments`, { body: 'More sun' }, ben);
        const list = await t.get(`/api/v1/proposals/${p}/comments`);
        assert.deepEqual(
          list.body.comments.map((x: { body: string }) => x.body),
          ['Why north?', 'More sun'],
        );
        const threads = await t.get('/api/v1/communes/garden/threads?limit=200');
        assert.ok(!threads.body.items.some((x: { id: string }) => x.id === list.body.thread));
        const outsider = await t.post(`/api/v1/proposals/${p}/comments`, { body: 'Hi' }, cy);
        assert.equal(outsider.status, 403);
        const unknown = await t.get(`/api/v1/proposals/${UNKNOWN}/comments`);
        assert.equal(unknown.body.error.code, 'proposal_not_found');
      });

      it('lets its author edit it until the first vote: then 409 proposal_has_votes', async () => {
        const p = await propose();
        const other = await patch(`/api/v1/proposals/${p}`, { title: 'Mine now' }, ana);
        assert.equal(other.status, 403);
        assert.equal(other.body.error.code, 'author_only');
        const bad = await patch(`/api/v1/proposals/${p}`, {}, ben);
        assert.equal(bad.status, 400);
        const r = await patch(`/api/v1/proposals/${p}`, { title: 'Plant more beans' }, ben);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.equal(r.body.title, 'Plant more beans');
        assert.equal(r.body.body, 'In the north bed');
        const vote = await t.post(`/api/v1/proposals/${p}/votes`, { position: 'consent' }, ana);
        assert.equal(vote.status, 201, JSON.stringify(vote.body));
        const late = await patch(`/api/v1/proposals/${p}`, { body: 'Changed my mind' }, ben);
        assert.equal(late.status, 409);
        assert.equal(late.body.error.code, 'proposal_has_votes');
        assert.equal((await t.get(`/api/v1/proposals/${p}`)).body.body, 'In the north bed');
      });
    });
  });
}
