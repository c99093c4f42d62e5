import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import {
  RESULTS,
  browserAvailability,
  endJourney,
  openBrowser,
  scrollsSideways,
  startJourney,
  type Browser,
  type Server,
} from './harness.ts';
import { foundOpenCommune, joinOpenCommune, signUp } from './steps.ts';

const availability = browserAvailability();
const suffix = Date.now().toString(36).slice(-5);
const alice = { handle: `alice_${suffix}`, password: 'a quiet orchard at dawn' };
const bob = { handle: `bob_${suffix}`, password: 'bread rises slowly here' };
const bakery = {
  handle: `bakery_${suffix}`,
  name: 'Village Bakery',
  vision: 'We bake together on Fridays and share what we learn.',
  agreements: 'Clean the oven after use',
};
const mill = {
  handle: `mill_${suffix}`,
  name: 'Old Mill Collective',
  vision: 'We grind grain for the valley.',
  agreements: 'Share the millstone',
};
const title = 'Sourdough starter from scratch';
const firstBody = [
  'Mix equal weights of **rye flour** and water in a jar.',
  '',
  'Feed it every day for a week.',
  '',
  'Raw markup stays text: <b>not bold</b>',
].join('\n');
const secondBody = firstBody.replace('every day for a week', 'twice a day for five days');
const thirdBody = `${secondBody}\n\nKeep it somewhere warm, near the stove.`;

/** Fills the item editor's fields that the journey uses. */
async function fillItem(page: Page, o: { title?: string; body?: string; tags?: string }) {
  if (o.title !== undefined) await page.getByLabel('Title', { exact: true }).fill(o.title);
  if (o.body !== undefined) await page.getByLabel('Text', { exact: true }).fill(o.body);
  if (o.tags !== undefined) await page.getByLabel('Tags').fill(o.tags);
}

describe(
  'browser journey: the knowledge inventory',
  { skip: availability.skip, timeout: 240_000 },
  () => {
    let server: Server;
    let a: Browser;
    let b: Browser;
    let itemUrl = '';
    let forkUrl = '';

    before(async () => {
      server = await startJourney(availability);
      a = await openBrowser();
      b = await openBrowser();
    });
    after(() => endJourney(server, [a, b]));

    it('A writes a guide in the editor, with a live preview', async () => {
      const page = a.page;
      await signUp(page, alice, server.base);
      await foundOpenCommune(page, bakery);
      await page.getByRole('link', { name: 'Inventory', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Knowledge inventory' }).waitFor();
      await page.getByText('Nothing here yet.').waitFor();
      await page.getByRole('link', { name: 'Add to the inventory' }).click();

      assert.equal(await page.getByLabel('Kind').inputValue(), 'guide');
      assert.equal(await page.getByLabel('License').inputValue(), 'CC-BY-SA-4.0');
      // The server's own refusal lands beside the field it names.
      await page.getByRole('button', { name: 'Save item' }).click();
      await page.locator('.field-error').first().waitFor();
      assert.equal(
        await page.getByLabel('Title', { exact: true }).getAttribute('aria-invalid'),
        'true',
      );

      await fillItem(page, { title, body: firstBody, tags: 'bread, Baking' });
      const preview = page.locator('.preview');
      await preview.locator('strong').getByText('rye flour').waitFor();
      // Typed markup is shown as text in the preview, never as an element.
      await preview.getByText('<b>not bold</b>').waitFor();
      assert.equal(await preview.locator('b').count(), 0);
      await page.getByLabel('Who can see it').selectOption('public');
      await page.getByRole('button', { name: 'Save item' }).click();

      await page.getByRole('heading', { level: 1, name: title }).waitFor();
      itemUrl = page.url();
      assert.equal(await page.locator('.item-body strong').textContent(), 'rye flour');
      assert.equal(await page.locator('.item-body b').count(), 0);
      await page.getByRole('link', { name: '#baking' }).waitFor();
      await page.getByText('Version 1', { exact: true }).first().waitFor();
      await page.getByText('Only one version so far.').waitFor();

      await page.getByRole('link', { name: '#bread' }).click();
      await page.getByRole('heading', { name: 'Everything tagged #bread' }).waitFor();
      await page.getByRole('link', { name: title }).waitFor();
      await page.getByRole('link', { name: 'Skills', exact: true }).click();
      await page.getByRole('heading', { name: 'Skills tagged #bread' }).waitFor();
      await page.getByText('Nothing here yet.').waitFor();
    });

    it('A edits the guide; a stale edit is caught, shown and reapplied', async () => {
      const page = a.page;
      await page.goto(itemUrl);
      await page.getByRole('link', { name: 'Edit', exact: true }).click();
      await page.getByText('Editing from version 1.').waitFor();

      // Meanwhile, in another tab, the guide changes.
      const other = await a.context.newPage();
      await other.goto(page.url());
      await fillItem(other, { body: secondBody });
      await other.getByRole('button', { name: 'Save changes' }).click();
      await other.getByText('Version 2', { exact: true }).first().waitFor();
      await other.close();

      await fillItem(page, { body: thirdBody });
      await page.getByRole('button', { name: 'Save changes' }).click();
      const conflict = page.getByRole('alert').filter({ hasText: 'changed this item meanwhile' });
      await conflict.waitFor();
      await conflict.getByText('twice a day for five days').waitFor();
      // Nothing was overwritten: the person's own text is still in the form.
      assert.equal(await page.getByLabel('Text', { exact: true }).inputValue(), thirdBody);

      await page.getByRole('button', { name: 'Save my text over version 2' }).click();
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
      await page.getByText('Version 3', { exact: true }).first().waitFor();
      await page.locator('.item-body').getByText('near the stove').waitFor();
    });

    it('A compares the first and the latest version', async () => {
      const page = a.page;
      const versions = page.getByRole('region', { name: 'Versions' });
      await versions.getByText(`by @${alice.handle}`).first().waitFor();
      assert.equal(await versions.locator('ol.versions > li').count(), 3);
      await versions.getByLabel('From').selectOption('1');
      await versions.getByLabel('To').selectOption('3');
      await versions.getByRole('button', { name: 'Show changes' }).click();
      await versions
        .getByRole('heading', { name: 'Changes from version 1 to version 3' })
        .waitFor();
      const diff = versions.locator('.diff');
      await diff.locator('del').filter({ hasText: 'every day for a week' }).waitFor();
      await diff.locator('ins').filter({ hasText: 'twice a day for five days' }).waitFor();
      await diff.locator('ins').filter({ hasText: 'near the stove' }).waitFor();
    });

    it('B joins, founds a second commune and forks the guide into it', async () => {
      const page = b.page;
      await signUp(page, bob, server.base);
      await joinOpenCommune(page, server.base, bakery);
      await foundOpenCommune(page, mill);

      await page.goto(itemUrl);
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
      // B may read and fork it, but not edit someone else's guide.
      assert.equal(await page.getByRole('link', { name: 'Edit', exact: true }).count(), 0);
      const forks = page.getByRole('region', { name: 'Forks' });
      await forks.getByText('No forks you can see.').waitFor();
      await forks.getByLabel('Fork into').selectOption(mill.handle);
      await forks.getByRole('button', { name: 'Fork', exact: true }).click();

      await page.getByText('Forked from').waitFor();
      forkUrl = page.url();
      assert.notEqual(forkUrl, itemUrl);
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
      const attribution = page.locator('.attribution');
      await attribution.getByText(`@${alice.handle}`).waitFor();
      await attribution.getByRole('link', { name: `@${bakery.handle}` }).waitFor();
      await attribution.getByText('version 3').waitFor();
      await page
        .locator('.breadcrumb')
        .getByRole('link', { name: `@${mill.handle}` })
        .waitFor();

      await page.goto(itemUrl);
      await page
        .getByRole('region', { name: 'Forks' })
        .getByRole('link', { name: `@${mill.handle}` })
        .waitFor();
    });

    it('B thanks the author; the ledger refuses what is beyond B’s limit, in words', async () => {
      const page = b.page;
      const thanks = page.getByRole('region', { name: `Thank @${alice.handle}` });
      await thanks.getByLabel('Amount (hours)').fill('500');
      await thanks.getByRole('button', { name: 'Thank', exact: true }).click();
      await thanks
        .locator('.field-error')
        .getByText('more than your account can go below zero')
        .waitFor();

      await thanks.getByLabel('Amount (hours)').fill('2');
      await thanks.getByLabel('A note (optional)').fill('My loaf finally rose');
      await thanks.getByRole('button', { name: 'Thank', exact: true }).click();
      await thanks.getByText(`You thanked @${alice.handle} with 2 hours.`).waitFor();

      await a.page.goto(`${server.base}/communes/${bakery.handle}/ledger`);
      await a.page.locator('.room').getByText('Your balance is 2 hours').waitFor();
      // Only the author sees how many thanked them.
      await a.page.goto(itemUrl);
      await a.page.getByText('1 person has thanked you for this (1 time)').waitFor();
      await page.reload();
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
      assert.equal(await page.getByText('thanked you for this').count(), 0);
    });

    it('on the board, a need shows a matching offer, and “I’d like this” opens a thread', async () => {
      await a.page.goto(`${server.base}/communes/${bakery.handle}/board`);
      await a.page.getByRole('link', { name: 'Offer something' }).click();
      assert.equal(await a.page.getByLabel('Kind').inputValue(), 'offer');
      await fillItem(a.page, {
        title: 'Rye loaves on Fridays',
        body: 'I bake **rye bread** every Friday and have loaves to spare.',
        tags: 'bread, rye',
      });
      await a.page.getByLabel('Estimate (hours, optional)').fill('1');
      await a.page.getByRole('button', { name: 'Save item' }).click();
      await a.page.getByRole('heading', { level: 1, name: 'Rye loaves on Fridays' }).waitFor();
      await a.page.getByText('Estimate: 1 hour').waitFor();

      const page = b.page;
      await page.goto(`${server.base}/communes/${bakery.handle}/board`);
      await page.getByRole('link', { name: 'Ask for something' }).click();
      await fillItem(page, {
        title: 'Looking for rye bread',
        body: 'Our household would love a rye loaf each week.',
        tags: 'bread',
      });
      await page.getByRole('button', { name: 'Save item' }).click();
      await page.getByRole('heading', { level: 1, name: 'Looking for rye bread' }).waitFor();

      await page.goto(`${server.base}/communes/${bakery.handle}/board`);
      const needs = page.getByRole('region', { name: 'Needs' });
      const matches = needs.locator('.matches');
      await matches.getByRole('link', { name: 'Rye loaves on Fridays' }).waitFor();
      await matches.getByText('Shares #bread').waitFor();
      // Nobody is offered a conversation with themselves.
      assert.equal(await needs.getByRole('button', { name: /^I can help/ }).count(), 0);
      await matches.getByRole('button', { name: 'I’d like this: Rye loaves on Fridays' }).click();
      await page.waitForURL(/\/threads\//);
      await page.getByRole('heading', { level: 1 }).waitFor();

      await a.page.goto(`${server.base}/communes/${bakery.handle}/board`);
      await a.page.getByRole('link', { name: 'Rye loaves on Fridays' }).first().click();
      await a.page.getByText('Conversations about this').waitFor();
      await a.page.locator('.conversations').getByText(`@${bob.handle}`).waitFor();
    });

    it('B finds the guide by search, with the match highlighted', async () => {
      const page = b.page;
      await page.getByRole('link', { name: 'Search', exact: true }).click();
      await page.getByLabel('Search for').fill('stove');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      const results = page.getByRole('region', { name: 'Results' });
      await results.getByRole('link', { name: title }).first().waitFor();
      await results.locator('.snippet mark').first().waitFor();
      assert.match((await results.locator('.snippet mark').first().textContent()) ?? '', /stove/i);

      await page
        .getByRole('complementary', { name: 'Narrow the results' })
        .getByRole('link', { name: `@${mill.handle}` })
        .click();
      await page.waitForURL(/commune=/);
      await results.getByRole('link', { name: title }).waitFor();
      assert.equal(await results.getByRole('link', { name: title }).count(), 1);

      await page.goto(`${server.base}/search?q=${encodeURIComponent('"no such words anywhere"')}`);
      await page.getByText('Nothing found that you can see.').waitFor();
    });

    it('A attaches a file to a resource; bytes of a type not allowed are refused', async () => {
      const page = a.page;
      await page.goto(`${server.base}/communes/${bakery.handle}/inventory/new?kind=resource`);
      await fillItem(page, { title: 'Oven cleaning checklist', body: 'The list is attached.' });
      await page.getByRole('button', { name: 'Save item' }).click();
      await page.getByRole('heading', { level: 1, name: 'Oven cleaning checklist' }).waitFor();
      const files = page.getByRole('region', { name: 'Files' });
      await files.getByText('No files yet.').waitFor();

      await files.getByLabel('Add a file').setInputFiles({
        name: 'blob.bin',
        mimeType: 'text/plain',
        buffer: Buffer.from([0x00, 0x01, 0x02, 0x03, 0xfe, 0xff, 0x00, 0x10]),
      });
      await files.getByRole('button', { name: 'Upload' }).click();
      await files.getByRole('alert').getByText('not accepted').waitFor();
      await files.getByText('No files yet.').waitFor();

      await files.getByLabel('Add a file').setInputFiles({
        name: 'checklist.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from('1. Let it cool\n2. Sweep the ashes\n'),
      });
      await files.getByRole('button', { name: 'Upload' }).click();
      await files.getByText('Added checklist.txt.').waitFor();
      const link = files.getByRole('link', { name: 'checklist.txt' });
      await link.waitFor();
      const download = await page.request.get(
        new URL((await link.getAttribute('href')) ?? '', server.base).href,
      );
      assert.equal(download.status(), 200);
      assert.equal(await download.text(), '1. Let it cool\n2. Sweep the ashes\n');
    });

    it('the inventory pages fit a 375 px wide phone', async () => {
      const page = b.page;
      await page.setViewportSize({ width: 375, height: 800 });
      const pages = [
        itemUrl,
        forkUrl,
        `${itemUrl}/edit`,
        `${server.base}/communes/${bakery.handle}/inventory`,
        `${server.base}/communes/${bakery.handle}/board`,
        `${server.base}/communes/${mill.handle}/inventory/new`,
        `${server.base}/search?q=sourdough`,
      ];
      for (const url of pages) {
        await page.goto(url);
        await page.getByRole('heading', { level: 1 }).waitFor();
        await page
          .locator('[role="status"]')
          .filter({ hasText: 'Loading' })
          .first()
          .waitFor({ state: 'detached' });
        assert.equal(await scrollsSideways(page), false, `${url} scrolls sideways at 375 px`);
      }
      mkdirSync(RESULTS, { recursive: true });
      await page.goto(itemUrl);
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
      await page.screenshot({ path: join(RESULTS, 'inventory-375.png'), fullPage: true });
    });

    it('A deletes the guide; the fork keeps its attribution', async () => {
      const page = a.page;
      await page.goto(itemUrl);
      await page.getByRole('button', { name: 'Delete', exact: true }).click();
      await page.getByRole('button', { name: 'Yes, delete' }).click();
      await page.getByText('This item was deleted').waitFor();
      assert.equal(await page.locator('.item-body').count(), 0);
      await page.getByRole('heading', { level: 1, name: title }).waitFor();

      await b.page.goto(forkUrl);
      const attribution = b.page.locator('.attribution');
      await attribution.getByText(`@${alice.handle}`).waitFor();
      await attribution.getByRole('link', { name: `@${bakery.handle}` }).waitFor();
      await b.page.locator('.item-body').getByText('near the stove').waitFor();
    });

    it('no page broke the content security policy or threw', () => {
      assert.deepEqual(a.problems, []);
      assert.deepEqual(b.problems, []);
    });
  },
);
