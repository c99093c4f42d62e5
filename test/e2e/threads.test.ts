import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  browserAvailability,
  endJourney,
  openBrowser,
  startJourney,
  type Browser,
  type Server,
} from './harness.ts';

const availability = browserAvailability();
const COMMENTS = 120;

// A long thread comes a page at a time (50 comments); an anonymous reader scrolls to the end
// of what is shown and the next page arrives by itself, until every comment is there once.
describe(
  'browser journey: a long thread loads more comments as the reader scrolls',
  { skip: availability.skip, timeout: 180_000 },
  () => {
    let server: Server;
    let reader: Browser;
    let threadId = '';

    /** The API as a script would use it, with a bearer token. */
    async function call(path: string, body: unknown, token?: string) {
      const res = await fetch(`${server.base}/api/v1${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
      });
      const json = (await res.json()) as Record<string, unknown>;
      assert.equal(res.status, 201, JSON.stringify(json));
      return json;
    }

    before(async () => {
      server = await startJourney(availability);
      const who = { handle: 'talker', password: 'many words make a long thread' };
      await call('/accounts', who);
      const { token } = (await call('/sessions', who)) as { token: string };
      await call(
        '/communes',
        {
          handle: 'longtalk',
          name: 'Long Talk',
          vision: 'We talk things through, at length.',
          category: 'social',
          tags: ['talk'],
          joinPolicy: 'open',
          visibility: 'public',
        },
        token,
      );
      threadId = (
        await call('/communes/longtalk/threads', { title: 'Everything', body: 'Go.' }, token)
      ).id as string;
      for (let i = 1; i <= COMMENTS; i += 1)
        await call(`/threads/${threadId}/comments`, { body: `Comment number ${i}` }, token);
      reader = await openBrowser();
    });
    after(() => endJourney(server, [reader]));

    it('shows the first page, then the rest as the reader scrolls down', async () => {
      const page = reader.page;
      const items = page.locator('.comment-list > li');
      await page.goto(`${server.base}/threads/${threadId}`);
      await page.getByRole('heading', { level: 1, name: 'Everything' }).waitFor();
      await items.nth(49).waitFor();
      assert.equal(await items.count(), 50, 'one page until the reader scrolls');
      await page.getByRole('button', { name: 'Load more comments' }).waitFor();

      // Scrolling to the end of what is shown brings the next page, and then the last.
      for (const shown of [100, COMMENTS]) {
        await page.mouse.move(500, 400);
        await page.mouse.wheel(0, 50_000);
        await items.nth(shown - 1).waitFor();
      }
      await page.locator('.load-more').waitFor({ state: 'detached' });
      const bodies = await page.locator('.comment-list .prose').allInnerTexts();
      assert.deepEqual(
        bodies.map((b) => b.trim()),
        Array.from({ length: COMMENTS }, (_, i) => `Comment number ${i + 1}`),
        'every comment once, in order',
      );
      assert.deepEqual(reader.problems, []);
    });
  },
);
