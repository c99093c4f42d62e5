import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import {
  browserAvailability,
  endJourney,
  openBrowser,
  startJourney,
  type Browser,
  type Server,
} from './harness.ts';

const availability = browserAvailability();

// Everyday editing and moderation (ADR 0023): a member edits their comment after previewing
// the Markdown, the edit shows as "edited" with its history; a steward hides another comment
// with a reason, which takes the comment's place and appears in the moderation log.
describe(
  'browser journey: editing with a preview, and a steward hiding a comment',
  { skip: availability.skip, timeout: 180_000 },
  () => {
    let server: Server;
    let member: Browser;
    let steward: Browser;
    let threadId = '';

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
    async function person(handle: string) {
      const who = { handle, password: `the password of ${handle}` };
      await call('/accounts', who);
      return (await call('/sessions', who)).token as string;
    }
    async function signIn(page: Page, handle: string) {
      await page.goto(`${server.base}/sign-in?next=/threads/${threadId}`);
      await page.getByLabel('Handle').fill(handle);
      await page.getByLabel('Password').fill(`the password of ${handle}`);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { level: 1, name: 'Watering rota' }).waitFor();
    }

    before(async () => {
      server = await startJourney(availability);
      const stew = await person('stew');
      const mem = await person('mem');
      await call(
        '/communes',
        {
          handle: 'wellspring',
          name: 'Wellspring',
          vision: 'We share water and talk kindly.',
          category: 'social',
          tags: ['water'],
          joinPolicy: 'open',
          visibility: 'public',
        },
        stew,
      );
      await call('/communes/wellspring/applications', { acceptAgreements: true }, mem);
      threadId = (
        await call(
          '/communes/wellspring/threads',
          { title: 'Watering rota', body: 'Who waters when?' },
          stew,
        )
      ).id as string;
      await call(`/threads/${threadId}/comments`, { body: 'I take mondays' }, mem);
      await call(`/threads/${threadId}/comments`, { body: 'Something unkind' }, mem);
      member = await openBrowser();
      steward = await openBrowser();
    });
    after(() => endJourney(server, [member, steward]));

    it('edits a comment after previewing it; the page says edited and keeps the history', async () => {
      const page = member.page;
      await signIn(page, 'mem');
      const mine = page.getByRole('article', { name: 'Comment by @mem' }).first();
      await mine.getByRole('button', { name: 'Edit', exact: true }).click();
      await mine.getByLabel('Text', { exact: true }).fill('I take **mondays** and thursdays');
      await mine.getByRole('tab', { name: 'Preview' }).click();
      await mine.locator('.preview strong', { hasText: 'mondays' }).waitFor();
      await mine.getByRole('tab', { name: 'Write' }).click();
      await mine.getByRole('button', { name: 'Save changes' }).click();
      await mine.locator('.prose strong', { hasText: 'mondays' }).waitFor();
      await mine.getByRole('button', { name: 'edited', exact: true }).click();
      await mine
        .getByRole('region', { name: 'Edit history' })
        .getByText('I take mondays')
        .waitFor();
      // Read again from the server: the cached page was refreshed by the edit.
      await page.reload();
      await page
        .getByRole('article', { name: 'Comment by @mem' })
        .first()
        .getByText('I take mondays and thursdays')
        .waitFor();
      assert.deepEqual(member.problems, []);
    });

    it('lets a steward hide a comment with a reason, shown in its place and in the log', async () => {
      const page = steward.page;
      await signIn(page, 'stew');
      const unkind = page.getByRole('article', { name: 'Comment by @mem' }).nth(1);
      await unkind.getByText('Something unkind').waitFor();
      await unkind.getByRole('button', { name: 'Hide', exact: true }).click();
      await unkind.getByLabel('Reason to hide').fill('Please keep it kind');
      await unkind.getByRole('button', { name: 'Hide', exact: true }).click();
      await unkind.getByText('Hidden by a steward: Please keep it kind').waitFor();

      // The member sees the comment's place taken by the reason, and the log says who and why.
      await member.page.reload();
      await member.page.getByText('Hidden by a steward: Please keep it kind').waitFor();
      assert.equal(await member.page.getByText('Something unkind').count(), 0);
      await member.page.goto(`${server.base}/communes/wellspring/moderation`);
      await member.page.getByText('Please keep it kind').waitFor();
      assert.deepEqual(steward.problems, []);
      assert.deepEqual(member.problems, []);
    });
  },
);
