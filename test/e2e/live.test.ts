import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { localSmtp, verificationToken, type LocalSmtp } from '../support/smtp.ts';
import { waitFor } from '../support/wait.ts';
import {
  browserAvailability,
  endJourney,
  openBrowser,
  startJourney,
  type Browser,
  type Server,
} from './harness.ts';

const availability = browserAvailability();

// Live updates in real browsers (ADR 0028): nobody reloads a page in this journey. An
// application reaches a member's home page, the member votes, the applicant's home page
// shows the outcome; a comment appears on another browser's thread page; a page that lost
// the server says so and recovers; a mention reaches its person by email once they verified
// their address through the emailed link.
describe(
  'browser journey: pages update as things happen',
  { skip: availability.skip, timeout: 240_000 },
  () => {
    let server: Server;
    let smtp: LocalSmtp;
    let member: Browser;
    let applicant: Browser;
    const tokens: Record<string, string> = {};

    async function call(method: string, path: string, body: unknown, token?: string) {
      const res = await fetch(`${server.base}/api/v1${path}`, {
        method,
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
      });
      const json = (await res.json()) as Record<string, unknown>;
      assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    }
    const person = async (handle: string) => {
      const who = { handle, password: `the password of ${handle}` };
      await call('POST', '/accounts', who);
      tokens[handle] = (await call('POST', '/sessions', who)).token as string;
    };
    async function signIn(page: Page, handle: string) {
      await page.goto(`${server.base}/sign-in`);
      await page.getByLabel('Handle').fill(handle);
      await page.getByLabel('Password', { exact: true }).fill(`the password of ${handle}`);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByText(`Signed in as @${handle}`).waitFor();
    }

    before(async () => {
      smtp = await localSmtp();
      server = await startJourney(availability, {
        jobs: true,
        env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), SMTP_FROM: 'c@example.org' },
      });
      await person('lena');
      await person('omar');
      await call(
        'POST',
        '/communes',
        {
          handle: 'bakery',
          name: 'Bakery',
          vision: 'We bake bread together.',
          category: 'social',
          tags: ['bread'],
          joinPolicy: 'application',
          visibility: 'public',
        },
        tokens.lena,
      );
      member = await openBrowser();
      applicant = await openBrowser();
      await signIn(member.page, 'lena');
      await signIn(applicant.page, 'omar');
    });
    after(async () => {
      await endJourney(server, [member, applicant]);
      await smtp?.close();
    });

    it('brings an application to a member’s home page and the outcome to the applicant’s', async () => {
      const home = member.page;
      await home.goto(`${server.base}/home`);
      const applications = home.getByRole('region', { name: 'Applications awaiting a decision' });
      await applications.getByText('Nothing here.').waitFor();

      await call('POST', '/communes/bakery/applications', { acceptAgreements: true }, tokens.omar);
      await applications.getByText('@omar').waitFor();

      const mine = applicant.page;
      await mine.goto(`${server.base}/home`);
      await mine
        .getByRole('region', { name: 'Your applications' })
        .getByText('waiting for a decision')
        .waitFor();

      await applications.getByRole('link', { name: 'vote on the admission' }).click();
      await home.getByRole('heading', { name: 'Admit @omar' }).waitFor();
      await home.getByRole('button', { name: 'Consent', exact: true }).click();

      const decided = mine.getByRole('region', { name: 'Decided applications' });
      await decided.getByText('accepted').waitFor();
      assert.deepEqual([member.problems, applicant.problems], [[], []]);
    });

    it('shows a comment on another browser’s thread page as it is posted', async () => {
      const thread = await call(
        'POST',
        '/communes/bakery/threads',
        { title: 'Sourdough starter', body: 'Who feeds it this week?' },
        tokens.lena,
      );
      const url = `${server.base}/threads/${thread.id as string}`;
      await member.page.goto(url);
      await applicant.page.goto(url);
      await applicant.page.getByText('No comments yet.').waitFor();
      await member.page.getByLabel('Your comment').fill('I will, on Tuesday.');
      await member.page.getByRole('button', { name: 'Post comment' }).click();
      await applicant.page.getByText('I will, on Tuesday.').waitFor();
      assert.deepEqual(applicant.problems, []);
    });

    it('says so when the server is gone and recovers by itself when it is back', async () => {
      const page = applicant.page;
      const banner = page.getByText('Reconnecting…');
      await server.stop();
      await banner.waitFor();
      await server.start();
      await banner.waitFor({ state: 'detached', timeout: 30_000 });
      const thread = page.url().split('/threads/')[1]!;
      await call('POST', `/threads/${thread}/comments`, { body: 'Back again.' }, tokens.lena);
      await page.getByText('Back again.').waitFor();
    });

    it('emails a mention to its person once their address is verified; its link unsubscribes', async () => {
      const page = applicant.page;
      const back = page.url();
      await page.goto(`${server.base}/settings/notifications`);
      await page.getByLabel('Email', { exact: true }).selectOption('immediate');
      await page.getByLabel('Email address').fill('omar@example.org');
      await page.getByRole('button', { name: 'Save settings' }).click();
      const status = page.getByRole('status', { name: 'Address verification' });
      await status.getByText('is not verified yet').waitFor();
      const token = await verificationToken(smtp, 'omar@example.org');
      await page.goto(`${server.base}/verify-email?token=${token}`);
      await page.getByText('omar@example.org is verified').waitFor();
      await page.goto(`${server.base}/settings/notifications`);
      await page.getByText('omar@example.org is verified.').waitFor();
      await page.goto(back);
      const thread = applicant.page.url().split('/threads/')[1]!;
      const unread = (
        await call('GET', '/me/notifications?unread=true&limit=1', undefined, tokens.omar)
      ).unread as number;
      await member.page.goto(`${server.base}/threads/${thread}`);
      await member.page.getByLabel('Your comment').fill('@omar can you bring rye flour?');
      await member.page.getByRole('button', { name: 'Post comment' }).click();
      await applicant.page.getByText('can you bring rye flour?').waitFor();
      // The header's unread count moves by itself (ADR 0034).
      await applicant.page.getByLabel(`${unread + 1} unread`).waitFor();
      const mail = await waitFor(
        () =>
          smtp.received.find((m) => m.to.includes('omar@example.org') && !/confirm/i.test(m.raw)),
        { message: 'the mention email' },
      );
      assert.match(mail.raw, /rye flour|mentioned/i);
      // The email's unsubscribe link works for its reader while signed in by cookie (the
      // write carries the session's CSRF token), and email stops.
      const unfolded = mail.raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
      const link = /\/unsubscribe\?token=([A-Za-z0-9_-]+)/.exec(unfolded)![1]!;
      // The session's answer is held back: until it comes, a click would write without the token.
      let releaseSession!: () => void;
      const held = new Promise<void>((resolve) => (releaseSession = resolve));
      await applicant.page.route('**/api/v1/me', async (route) => {
        await held;
        await route.continue();
      });
      await applicant.page.goto(`${server.base}/unsubscribe?token=${link}`);
      const button = applicant.page.getByRole('button', { name: 'Unsubscribe' });
      await button.waitFor();
      assert.equal(await button.isDisabled(), true, 'enabled before the session is known');
      releaseSession();
      await button.click();
      await applicant.page.getByText('Done: no more notification email.').waitFor();
      await applicant.page.unroute('**/api/v1/me');
      const settings = await call('GET', '/me/notification-settings', undefined, tokens.omar);
      assert.equal(settings.email, 'none');
    });
  },
);
