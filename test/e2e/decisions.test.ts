import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
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
import { foundOpenCommune, joinOpenCommune, payWithForm, signUp } from './steps.ts';

const availability = browserAvailability();
const suffix = Date.now().toString(36).slice(-5);
const alice = { handle: `alice_${suffix}`, password: 'a quiet orchard at dawn' };
const bob = { handle: `bob_${suffix}`, password: 'bread rises slowly here' };
const carol = { handle: `carol_${suffix}`, password: 'the river keeps its time' };
const commune = {
  handle: `field_${suffix}`,
  name: 'Long Field Commons',
  vision: 'We farm the long field together and share what it gives.',
  agreements: 'Leave the gate as you found it',
};

/** The order of the ranking ballot's options, top first. */
const ranking = (page: Page) => page.locator('.rank-list .rank-option').allInnerTexts();

/** The pairwise matrix as numbers: row i, column j (the diagonal is null). */
async function matrix(page: Page): Promise<(number | null)[][]> {
  const rows = page.locator('table.pairwise').first().locator('tbody tr');
  const out: (number | null)[][] = [];
  for (let i = 0; i < (await rows.count()); i++) {
    const cells = await rows.nth(i).locator('td').allInnerTexts();
    out.push(cells.map((c) => (/^\s*[–-]/.test(c) ? null : Number.parseFloat(c))));
  }
  return out;
}

describe(
  'browser journey: propose spending, three members vote, the proposal closes, and the purse pays',
  { skip: availability.skip, timeout: 240_000 },
  () => {
    let server: Server;
    let a: Browser;
    let b: Browser;
    let c: Browser;
    let spendUrl = '';
    let rankedUrl = '';
    const decisionsUrl = () => `${server.base}/communes/${commune.handle}/decisions`;

    before(async () => {
      server = await startJourney(availability);
      a = await openBrowser();
      b = await openBrowser();
      c = await openBrowser();
    });
    after(() => endJourney(server, [a, b, c]));

    it('A founds an open commune; B and C join', async () => {
      await signUp(a.page, alice, server.base);
      await foundOpenCommune(a.page, commune);
      for (const [browser, who] of [
        [b, bob],
        [c, carol],
      ] as const) {
        await signUp(browser.page, who, server.base);
        await joinOpenCommune(browser.page, server.base, commune);
      }
    });

    it('members pay into the purse: A through the pay form, C through the API', async () => {
      await a.page.goto(`${server.base}/communes/${commune.handle}/ledger`);
      await payWithForm(a.page, 'purse', '6', 'Seed fund');
      await a.page.getByText('Paid 6 hours to the common purse.').waitFor();

      const me = await c.page.request.get(`${server.base}/api/v1/me`);
      const { csrfToken } = (await me.json()) as { csrfToken: string };
      const paid = await c.page.request.post(
        `${server.base}/api/v1/communes/${commune.handle}/transfers`,
        {
          data: { id: randomUUID(), to: 'purse', amount: 4, memo: 'Fence money' },
          headers: { 'x-csrf-token': csrfToken },
        },
      );
      assert.equal(paid.status(), 201, await paid.text());
    });

    it('A proposes spending from the purse to B; governance sets the method, shown read-only', async () => {
      const page = a.page;
      await page.goto(`${server.base}/communes/${commune.handle}`);
      await page.getByRole('link', { name: 'Decisions', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: `Decisions of ${commune.name}` }).waitFor();
      await page.getByRole('link', { name: 'New proposal' }).click();
      await page.getByLabel('Title', { exact: true }).fill('Buy seed potatoes');
      await page
        .getByLabel('Details (optional)')
        .fill('Bob knows a grower; the purse pays him back.');
      await page.getByLabel('Action', { exact: true }).selectOption('spend');
      const method = page.getByLabel('Method', { exact: true });
      await method.waitFor();
      assert.equal(await method.inputValue(), 'Majority vote');
      assert.equal(await method.getAttribute('readonly'), '');
      assert.match(
        await page.getByLabel('Quorum', { exact: true }).inputValue(),
        /50% of members must vote/,
      );

      // An amount finer than the currency allows is refused beside the field.
      await page.getByLabel('Pay to').selectOption(bob.handle);
      await page.getByLabel('Amount (hours)').fill('2.5');
      await page.getByRole('button', { name: 'Propose' }).click();
      await page.locator('.field-error').getByText('Use whole hours').waitFor();
      assert.equal(await page.getByLabel('Amount (hours)').getAttribute('aria-invalid'), 'true');

      await page.getByLabel('Amount (hours)').fill('5');
      await page.getByLabel('What for (optional)').fill('Seed potatoes');
      await page.getByRole('button', { name: 'Propose' }).click();
      await page.getByRole('heading', { level: 1, name: 'Buy seed potatoes' }).waitFor();
      spendUrl = page.url();
      await page
        .getByText(`Pay 5 hours from the purse to @${bob.handle}: Seed potatoes.`)
        .waitFor();
      await page.getByText('Runs if the proposal passes').waitFor();
      assert.match(
        await page.locator('.closes-in').innerText(),
        /^Closes in 6 days 23 hours|^Closes in 7 days/,
      );
    });

    it('A, C and B vote through the buttons; the last vote settles it, and the purse pays B', async () => {
      await a.page.getByRole('button', { name: 'Yes', exact: true }).click();
      await a.page.getByText('You voted: Yes').waitFor();
      await a.page.locator('.result-headline').getByText('Undecided so far').waitFor();

      // C votes no and says why; the reason shows up beside the ballot once results are out.
      await c.page.goto(spendUrl);
      await c.page.getByLabel('Reason (optional)').fill('I would rather we grew our own seed.');
      await c.page.getByRole('button', { name: 'No', exact: true }).click();
      await c.page.getByText('You voted: No').waitFor();
      assert.equal(
        await c.page.getByRole('button', { name: 'No', exact: true }).getAttribute('aria-pressed'),
        'true',
      );

      await b.page.goto(spendUrl);
      await b.page.getByRole('button', { name: 'Yes', exact: true }).click();
      // Every vote is in: the result cannot change, so the vote closes the proposal and the action runs.
      await b.page.locator('.meta .badge').getByText('Passed', { exact: true }).waitFor();
      await b.page.getByText(`Action executed: paid 5 hours to @${bob.handle}`).waitFor();
      await b.page.locator('.result-headline').getByText('Passed').waitFor();
      await b.page.locator('.ballots').getByText('I would rather we grew our own seed.').waitFor();

      await b.page.getByRole('link', { name: 'See the purse' }).click();
      await b.page.getByRole('heading', { level: 1, name: 'The common purse' }).waitFor();
      await b.page.locator('.balance-line').getByText('5 hours').waitFor();
      const spend = b.page.locator('table.statement tbody tr', { hasText: 'Seed potatoes' });
      await spend.waitFor();
      assert.match(await spend.innerText(), new RegExp(`@${bob.handle}[\\s\\S]*−5`));

      await b.page.goto(`${server.base}/communes/${commune.handle}/ledger`);
      await b.page.locator('.room').getByText('Your balance is 5 hours').waitFor();

      await a.page.goto(decisionsUrl());
      const entry = a.page.locator('.log-entry', { hasText: 'Buy seed potatoes' });
      await entry.getByText('Action executed').waitFor();
      await entry.getByText(/Passed\. yes 2, no 1\. 3 of 3 votes cast/).waitFor();
    });

    it('a ranked proposal is voted by keyboard reordering and shows the pairwise matrix', async () => {
      const page = a.page;
      await page.getByRole('link', { name: 'New proposal' }).click();
      await page.getByLabel('Title', { exact: true }).fill('What do we plant by the gate?');
      await page.getByLabel('Method', { exact: true }).selectOption('ranked');
      await page.getByLabel('Option 1', { exact: true }).fill('Apples');
      await page.getByLabel('Option 2', { exact: true }).fill('Pears');
      await page.getByRole('button', { name: 'Add an option' }).click();
      // The new input takes focus, so typing goes straight in.
      await page.keyboard.type('Plums');
      assert.equal(await page.getByLabel('Option 3', { exact: true }).inputValue(), 'Plums');
      await page.getByLabel('Results', { exact: true }).selectOption('until_vote');
      await page.getByRole('button', { name: 'Propose' }).click();
      await page
        .getByRole('heading', { level: 1, name: 'What do we plant by the gate?' })
        .waitFor();
      rankedUrl = page.url();

      // A: Plums first, by keyboard only; focus stays on the button as the row moves.
      await page.getByRole('button', { name: 'Move Plums up' }).focus();
      await page.keyboard.press('Enter');
      await page.keyboard.press('Enter');
      assert.deepEqual(await ranking(page), ['Plums', 'Apples', 'Pears']);
      await page.getByText('Plums is now number 1 of 3.').waitFor({ state: 'attached' });
      assert.equal(
        await page.evaluate(() => document.activeElement?.getAttribute('aria-label')),
        'Move Plums up',
      );
      await page.getByRole('button', { name: 'Submit my ranking' }).focus();
      await page.keyboard.press('Enter');
      await page.getByText('You voted: 1. Plums, 2. Apples, 3. Pears').waitFor();

      // B drags Pears to the top; until B votes, B sees no results.
      await b.page.goto(rankedUrl);
      await b.page.getByText('Results are hidden until you vote.').waitFor();
      assert.equal(await b.page.locator('table.pairwise').count(), 0);
      await b.page
        .locator('.rank-item', { hasText: 'Pears' })
        .dragTo(b.page.locator('.rank-item', { hasText: 'Apples' }));
      assert.deepEqual(await ranking(b.page), ['Pears', 'Apples', 'Plums']);
      await b.page.getByRole('button', { name: 'Submit my ranking' }).click();
      await b.page.getByText('You voted: 1. Pears, 2. Apples, 3. Plums').waitFor();

      // C: Plums first, then Apples, with the move buttons.
      await c.page.goto(rankedUrl);
      await c.page.getByRole('button', { name: 'Move Plums up' }).click();
      await c.page.getByRole('button', { name: 'Move Plums up' }).click();
      await c.page.getByRole('button', { name: 'Submit my ranking' }).click();
      await c.page.locator('.meta .badge').getByText('Passed', { exact: true }).waitFor();

      await page.goto(rankedUrl);
      await page.locator('table.pairwise').first().waitFor();
      // Options in listed order: Apples, Pears, Plums. d[i][j]: votes preferring i to j.
      assert.deepEqual(await matrix(page), [
        [null, 2, 1],
        [1, null, 1],
        [2, 2, null],
      ]);
      await page
        .locator('table.pairwise tbody tr', { hasText: 'Plums' })
        .getByText('Schulze winner')
        .waitFor();
      await page.getByText('Instant-runoff winner: Plums').waitFor();
      await page.locator('.result-headline').getByText('Passed: Plums won').waitFor();
      await page.locator('canvas#result-chart[data-drawn="true"]').waitFor();
      assert.match(
        (await page.locator('canvas#result-chart').getAttribute('aria-label')) ?? '',
        /First choices: Apples 0, Pears 1, Plums 2/,
      );
      mkdirSync(RESULTS, { recursive: true });
      await page.screenshot({ path: join(RESULTS, 'decisions.png'), fullPage: true });
    });

    it('B delegates to A on a topic, sees everyone’s delegations, and revokes it', async () => {
      const page = b.page;
      await page.goto(decisionsUrl());
      await page.getByRole('link', { name: 'Delegation' }).click();
      await page.getByRole('heading', { level: 1, name: 'Delegation' }).waitFor();
      await page.getByLabel('Delegate to').selectOption(alice.handle);
      await page.getByLabel('Topic (optional)').fill('Garden');
      await page.getByRole('button', { name: 'Delegate my vote' }).click();
      await page
        .getByText(`@${alice.handle} now votes for you on “garden”, unless you vote yourself.`)
        .waitFor();
      await page.locator('table').getByText(`@${bob.handle}`).waitFor();
      await page
        .getByRole('button', { name: `Revoke your delegation on “garden” to @${alice.handle}` })
        .click();
      await page.getByText('You vote for yourself on everything.').waitFor();
      await page.getByText('Nobody has delegated their vote.').waitFor();
    });

    it('fits a 375px-wide phone screen without sideways scrolling', async () => {
      const page = a.page;
      await page.setViewportSize({ width: 375, height: 812 });
      for (const url of [
        rankedUrl,
        spendUrl,
        decisionsUrl(),
        `${decisionsUrl()}/new`,
        `${server.base}/communes/${commune.handle}/delegation`,
      ]) {
        await page.goto(url);
        await page.locator('h1').first().waitFor();
        await page.locator('main form, main .panel').first().waitFor();
        assert.equal(await scrollsSideways(page), false, `${url} scrolls sideways at 375px`);
      }
      await page.setViewportSize({ width: 1100, height: 900 });
    });

    it('met no CSP violations and no uncaught errors', () => {
      assert.deepEqual(a.problems, []);
      assert.deepEqual(b.problems, []);
      assert.deepEqual(c.problems, []);
    });
  },
);
