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
import { signUp } from './steps.ts';

const availability = browserAvailability();
const suffix = Date.now().toString(36).slice(-5);
const carol = { handle: `carol_${suffix}`, password: 'lanterns along the river' };
const newPassword = 'a kettle on the hearth';

/** Signs in through the sign-in page; ends signed in. */
async function signIn(page: Page, base: string, handle: string, password: string) {
  await page.goto(`${base}/sign-in`);
  await page.getByLabel('Handle').fill(handle);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByText(`Signed in as @${handle}`).waitFor();
}

/** Reloads and waits until the app shows it is signed out. */
async function expectSignedOut(page: Page) {
  await page.reload();
  await page.getByRole('link', { name: 'Sign in', exact: true }).first().waitFor();
}

describe(
  'browser journey: see where you are signed in, sign out elsewhere, change the password',
  { skip: availability.skip, timeout: 180_000 },
  () => {
    let server: Server;
    let laptop: Browser;
    let phone: Browser;

    before(async () => {
      server = await startJourney(availability);
      laptop = await openBrowser();
      phone = await openBrowser();
    });
    after(() => endJourney(server, [laptop, phone]));

    const sessionItems = (page: Page) => page.locator('ul.sessions > li');

    it('lists both browsers and signs the other one out', async () => {
      await signUp(laptop.page, carol, server.base);
      await signIn(phone.page, server.base, carol.handle, carol.password);

      const page = laptop.page;
      await page.getByRole('link', { name: 'Security' }).click();
      await page.getByRole('heading', { level: 1, name: 'Security' }).waitFor();
      await sessionItems(page).nth(1).waitFor();
      assert.equal(await sessionItems(page).count(), 2);
      const here = sessionItems(page).filter({ hasText: 'This browser' });
      assert.equal(await here.count(), 1);
      assert.match((await here.textContent()) ?? '', /Chrom/);

      const other = sessionItems(page).filter({ hasNotText: 'This browser' });
      await other.getByRole('button', { name: /^Sign out/ }).click();
      await page.waitForFunction(() => document.querySelectorAll('ul.sessions > li').length === 1);
      await expectSignedOut(phone.page);
      await page.reload();
      await page.getByText(`Signed in as @${carol.handle}`).waitFor();
    });

    it('changes the password, which signs the other browsers out', async () => {
      await signIn(phone.page, server.base, carol.handle, carol.password);
      const page = laptop.page;
      await page.goto(`${server.base}/settings/security`);
      await sessionItems(page).nth(1).waitFor();

      await page.getByLabel('Current password').fill('not my password');
      await page.getByLabel('New password').fill(newPassword);
      await page.getByRole('button', { name: 'Change password' }).click();
      await page.locator('.field-error').getByText('The current password is wrong').waitFor();
      assert.equal(await page.getByLabel('Current password').getAttribute('aria-invalid'), 'true');

      await page.getByLabel('Current password').fill(carol.password);
      await page.getByLabel('New password').fill(newPassword);
      await page.getByRole('button', { name: 'Change password' }).click();
      await page.getByRole('status').getByText('Password changed.').waitFor();
      await page.waitForFunction(() => document.querySelectorAll('ul.sessions > li').length === 1);
      await expectSignedOut(phone.page);
      await signIn(phone.page, server.base, carol.handle, newPassword);
    });

    it('signs out everywhere else, then this browser from its own row', async () => {
      const page = laptop.page;
      await page.reload();
      await sessionItems(page).nth(1).waitFor();
      await page.getByRole('button', { name: 'Sign out everywhere else' }).click();
      await page.waitForFunction(() => document.querySelectorAll('ul.sessions > li').length === 1);
      await expectSignedOut(phone.page);

      await sessionItems(page)
        .getByRole('button', { name: /^Sign out/ })
        .click();
      await page.getByRole('link', { name: 'Sign in', exact: true }).first().waitFor();
      assert.deepEqual(laptop.problems, []);
      assert.deepEqual(phone.problems, []);
    });
  },
);
