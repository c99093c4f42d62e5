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

// An application arrives; a member sees it on their home page ("What needs me") and goes to
// vote; the applicant sees their application pending with its proposal's progress.
describe(
  'browser journey: what needs me shows an application to members and to its applicant',
  { skip: availability.skip, timeout: 180_000 },
  () => {
    let server: Server;
    let member: Browser;
    let applicant: Browser;

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
    const person = async (handle: string) => {
      const who = { handle, password: `the password of ${handle}` };
      await call('/accounts', who);
      return (await call('/sessions', who)).token as string;
    };
    async function signIn(page: Page, handle: string) {
      await page.goto(`${server.base}/sign-in`);
      await page.getByLabel('Handle').fill(handle);
      await page.getByLabel('Password', { exact: true }).fill(`the password of ${handle}`);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByText(`Signed in as @${handle}`).waitFor();
    }

    before(async () => {
      server = await startJourney(availability);
      const steward = await person('hazel');
      const newcomer = await person('ivo');
      await call(
        '/communes',
        {
          handle: 'orchard',
          name: 'Orchard',
          vision: 'We grow fruit together.',
          category: 'social',
          tags: ['fruit'],
          joinPolicy: 'application',
          visibility: 'public',
        },
        steward,
      );
      const applied = await call(
        '/communes/orchard/applications',
        { acceptAgreements: true, message: 'I prune trees.' },
        newcomer,
      );
      assert.equal(applied.status, 'pending');
      member = await openBrowser();
      applicant = await openBrowser();
    });
    after(() => endJourney(server, [member, applicant]));

    it('the member sees the application on their home page and goes to vote on it', async () => {
      const page = member.page;
      await signIn(page, 'hazel');
      await page.getByRole('link', { name: 'What needs me' }).click();
      const applications = page.getByRole('region', { name: 'Applications awaiting a decision' });
      await applications.getByText('@ivo').waitFor();
      const toVote = page.getByRole('region', { name: 'Proposals you have not voted on' });
      await toVote.getByRole('link', { name: 'Admit @ivo' }).waitFor();
      await applications.getByRole('link', { name: 'vote on the admission' }).click();
      await page.getByRole('heading', { name: 'Admit @ivo' }).waitFor();
      assert.deepEqual(member.problems, []);
    });

    it('the applicant sees their application waiting, with the vote so far', async () => {
      const page = applicant.page;
      await signIn(page, 'ivo');
      await page.getByRole('link', { name: 'What needs me' }).click();
      const mine = page.getByRole('region', { name: 'Your applications' });
      await mine.getByText('waiting for a decision').waitFor();
      await mine.getByText(/has 0 of 1 votes/).waitFor();
      assert.deepEqual(applicant.problems, []);
    });
  },
);
