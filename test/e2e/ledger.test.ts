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
import {
  agreeInTurn,
  foundOpenCommune,
  joinOpenCommune,
  payWithForm as pay,
  proposeCharterChange,
  signUp,
} from './steps.ts';

const availability = browserAvailability();
const suffix = Date.now().toString(36).slice(-5);
const alice = { handle: `alice_${suffix}`, password: 'a quiet orchard at dawn' };
const bob = { handle: `bob_${suffix}`, password: 'bread rises slowly here' };
const commune = {
  handle: `mill_${suffix}`,
  name: 'Mill Lane Commons',
  vision: 'We share a workshop and lend each other time.',
  agreements: 'Return tools clean',
};

/**
 * Waits until a chart has finished drawing and its canvas holds pixels in the page's accent
 * colour: the data itself was drawn, not only axes and grid lines.
 */
async function waitForDrawnChart(page: Page, id: string) {
  await page.waitForFunction((canvasId) => {
    const canvas = document.getElementById(canvasId);
    if (
      !(canvas instanceof HTMLCanvasElement) ||
      canvas.dataset.drawn !== 'true' ||
      canvas.width === 0 ||
      canvas.height === 0
    )
      return false;
    const probe = document.createElement('canvas').getContext('2d');
    const ctx = canvas.getContext('2d');
    if (!probe || !ctx) return false;
    probe.fillStyle = getComputedStyle(document.documentElement)
      .getPropertyValue('--accent')
      .trim();
    probe.fillRect(0, 0, 1, 1);
    const [r, g, b] = probe.getImageData(0, 0, 1, 1).data;
    const px = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let accent = 0;
    for (let i = 0; i < px.length; i += 4) {
      if (
        px[i + 3]! > 200 &&
        Math.abs(px[i]! - r!) < 10 &&
        Math.abs(px[i + 1]! - g!) < 10 &&
        Math.abs(px[i + 2]! - b!) < 10
      )
        accent += 1;
    }
    return accent > 30;
  }, id);
}

describe(
  'browser journey: the ledger, the purse and their charts',
  { skip: availability.skip, timeout: 180_000 },
  () => {
    let server: Server;
    let a: Browser;
    let b: Browser;
    let outsider: Browser;
    const ledgerUrl = () => `${server.base}/communes/${commune.handle}/ledger`;

    before(async () => {
      server = await startJourney(availability);
      a = await openBrowser();
      b = await openBrowser();
      outsider = await openBrowser();
    });
    after(() => endJourney(server, [a, b, outsider]));

    it('A founds an open commune and B joins it', async () => {
      await signUp(a.page, alice, server.base);
      await foundOpenCommune(a.page, commune);
      await signUp(b.page, bob, server.base);
      await joinOpenCommune(b.page, server.base, commune);
    });

    it('A pays B through the pay form, and B sees both payments with the running balance', async () => {
      const page = a.page;
      await page.goto(`${server.base}/communes/${commune.handle}`);
      await page.getByRole('link', { name: 'Ledger and purse' }).click();
      await page
        .getByRole('heading', { level: 1, name: `The ledger of ${commune.name}` })
        .waitFor();
      await page.locator('.room').getByText('You can spend down to −20 hours').waitFor();

      // More decimals than the currency has: refused beside the field before anything is sent.
      await pay(page, bob.handle, '1.5');
      await page.locator('.field-error').getByText('Use whole hours').waitFor();
      assert.equal(await page.getByLabel('Amount (hours)').getAttribute('aria-invalid'), 'true');

      await pay(page, bob.handle, '5', 'Seedlings');
      await page.getByText(`Paid 5 hours to @${bob.handle}.`).waitFor();
      await pay(page, bob.handle, '3', 'Ladder rental');
      await page.getByText(`Paid 3 hours to @${bob.handle}.`).waitFor();
      await page.locator('.room').getByText('Your balance is −8 hours').waitFor();
      await page.locator('.transfers').getByText('Ladder rental').waitFor();

      await b.page.goto(ledgerUrl());
      await b.page.getByRole('link', { name: 'Your statement' }).click();
      await b.page.getByRole('heading', { level: 1, name: 'Your statement' }).waitFor();
      await b.page.getByText('Your balance is 8 hours').waitFor();
      const rows = b.page.locator('table.statement tbody tr');
      await rows.first().waitFor();
      const cells = async (i: number) =>
        (await rows.nth(i).locator('td').allInnerTexts()).map((s) => s.trim());
      const [newest, older] = [await cells(0), await cells(1)];
      assert.deepEqual(newest.slice(1), [`@${alice.handle}`, 'Ladder rental', '+3', '8']);
      assert.deepEqual(older.slice(1), [`@${alice.handle}`, 'Seedlings', '+5', '5']);
      const csv = b.page.getByRole('link', { name: 'Download as CSV' });
      assert.equal(
        await csv.getAttribute('href'),
        `/api/v1/communes/${commune.handle}/accounts/${bob.handle}/statement.csv`,
      );
      await waitForDrawnChart(b.page, 'account-flows');
    });

    it('a payment beyond the credit limit shows the API error next to the amount', async () => {
      const page = a.page;
      await pay(page, bob.handle, '100', 'Too much');
      const amount = page.getByLabel('Amount (hours)');
      await page.locator('.field-error').getByText('below the credit limit').waitFor();
      assert.equal(await amount.getAttribute('aria-invalid'), 'true');
      // The error is tied to the amount field for screen readers too.
      const described = (await amount.getAttribute('aria-describedby')) ?? '';
      const texts = await Promise.all(
        described.split(' ').map((id) => page.locator(`[id="${id}"]`).innerText()),
      );
      assert.ok(
        texts.some((t) => /credit limit/.test(t)),
        `amount is described by: ${texts.join(' | ')}`,
      );
      await page.locator('.room').getByText('Your balance is −8 hours').waitFor();
    });

    it('A pays into the purse; the purse page shows the balance and a drawn chart', async () => {
      const page = a.page;
      await pay(page, 'purse', '4', 'Workshop rent');
      await page.getByText('Paid 4 hours to the common purse.').waitFor();
      await waitForDrawnChart(page, 'commune-flows');
      await waitForDrawnChart(page, 'balance-histogram');
      mkdirSync(RESULTS, { recursive: true });
      await page.screenshot({ path: join(RESULTS, 'ledger.png'), fullPage: true });

      await page.getByRole('link', { name: 'The common purse' }).first().click();
      await page.getByRole('heading', { level: 1, name: 'The common purse' }).waitFor();
      await page.locator('.balance-line').getByText('4 hours').waitFor();
      await page.locator('table.statement').getByText('Workshop rent').waitFor();
      const canvas = page.locator('canvas#purse-balance');
      assert.match((await canvas.getAttribute('aria-label')) ?? '', /The purse holds 4 hours/);
      await waitForDrawnChart(page, 'purse-balance');
      await page.screenshot({ path: join(RESULTS, 'ledger-purse.png'), fullPage: true });
    });

    it("a steward proposes a member's credit limit, the members vote it through, and the change is logged", async () => {
      const page = a.page;
      await page.goto(ledgerUrl());
      const row = page.locator('.ledger-table tbody tr', { hasText: `@${bob.handle}` });
      await row.getByText('−20').waitFor();
      await page.getByLabel('Whose limit').selectOption(bob.handle);
      await page.getByLabel('New credit limit (hours)').fill('30');
      await page
        .getByLabel('Why (optional)')
        .fill('Bob runs the tool library and buys parts for it.');
      await page.getByRole('button', { name: 'Propose the change' }).click();
      // Nothing changes yet: the form says what was proposed and links to the proposal.
      await page
        .getByText(
          `Proposed: Set the credit limit of @${bob.handle} to 30 hours. The members decide by majority vote until`,
        )
        .waitFor();
      await row.getByText('−20').waitFor();
      await page.getByText('No limit has been changed yet.').waitFor();
      await page.getByRole('link', { name: 'Vote on the proposal' }).click();
      await page
        .getByRole('heading', {
          level: 1,
          name: `Set the credit limit of @${bob.handle} to 30 hours`,
        })
        .waitFor();
      const proposalUrl = page.url();
      await page.getByText('Bob runs the tool library and buys parts for it.').waitFor();
      await page.getByText('Runs if the proposal passes').waitFor();

      // Governance chose the method (majority); both members vote yes, and the last vote closes it.
      await page.getByRole('button', { name: 'Yes', exact: true }).click();
      await page.getByText('You voted: Yes').waitFor();
      await page.locator('.meta .badge').getByText('Open').waitFor();
      await b.page.goto(proposalUrl);
      await b.page.getByRole('button', { name: 'Yes', exact: true }).click();
      await b.page.locator('.meta .badge').getByText('Passed', { exact: true }).waitFor();
      await b.page
        .getByText(`Action executed: @${bob.handle} may now go down to −30 hours`)
        .waitFor();

      await page.goto(ledgerUrl());
      await row.getByText('−30').waitFor();
      await page.locator('.limit-changes').getByText('by a decision').waitFor();
    });

    it('fits a 375px-wide phone screen without sideways scrolling', async () => {
      const page = a.page;
      await page.setViewportSize({ width: 375, height: 812 });
      for (const path of [
        `/communes/${commune.handle}/ledger`,
        `/communes/${commune.handle}/ledger/purse`,
        `/communes/${commune.handle}/ledger/accounts/${bob.handle}`,
      ]) {
        await page.goto(`${server.base}${path}`);
        await page.locator('h1').first().waitFor();
        await page.locator('canvas').first().waitFor();
        assert.equal(await scrollsSideways(page), false, `${path} scrolls sideways at 375px`);
      }
      await page.goto(ledgerUrl());
      await waitForDrawnChart(page, 'commune-flows');
      await page.screenshot({ path: join(RESULTS, 'ledger-375.png'), fullPage: true });
      await page.setViewportSize({ width: 1100, height: 900 });
    });

    it("outsiders see nothing of a private commune's ledger", async () => {
      // Going private is a charter change: A proposes it and both members agree.
      const proposal = await proposeCharterChange(a.page, server.base, commune.handle, (page) =>
        page.getByLabel('Visibility').selectOption('private'),
      );
      await agreeInTurn([a.page, b.page], proposal);

      await outsider.page.goto(ledgerUrl());
      await outsider.page.getByText(`We could not find the ledger of @${commune.handle}`).waitFor();
      assert.equal(await outsider.page.locator('.ledger-table, .transfers, canvas').count(), 0);
      const api = await outsider.page.request.get(
        `${server.base}/api/v1/communes/${commune.handle}/transfers`,
      );
      assert.equal(api.status(), 404);
      // A member still sees it all.
      await b.page.goto(ledgerUrl());
      await b.page.locator('.transfers').getByText('Workshop rent').waitFor();
    });

    it('met no CSP violations and no uncaught errors', () => {
      assert.deepEqual(a.problems, []);
      assert.deepEqual(b.problems, []);
      assert.deepEqual(outsider.problems, []);
    });
  },
);
