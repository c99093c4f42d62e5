import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import {
  RESULTS,
  browserAvailability,
  endJourney,
  expectShown,
  openBrowser,
  scrollsSideways,
  startJourney,
  type Browser,
  type Server,
} from './harness.ts';
import { signUp, type CommuneCharter } from './steps.ts';

const availability = browserAvailability();
const suffix = Date.now().toString(36).slice(-5);
const ann = { handle: `ann_${suffix}`, password: 'apples ripen in the low sun' };
const bea = { handle: `bea_${suffix}`, password: 'the oven is warm by five' };
const orchard = {
  handle: `orchard_${suffix}`,
  name: 'Low Orchard',
  vision: 'We tend fruit trees and share the harvest.',
  agreements: 'Pick only what is ripe',
};
const bakery = {
  handle: `bakery_${suffix}`,
  name: 'Corner Bakery',
  vision: 'We bake for the street and trade bread for time.',
  agreements: 'Clean the oven after use',
};
const grove = {
  handle: `grove_${suffix}`,
  name: 'Hill Grove',
  vision: 'We plant nut trees on the hill and share the shade.',
  agreements: 'Water the saplings',
};
const edge = `${orchard.handle}-${bakery.handle}`;
const groveEdge = `${grove.handle}-${bakery.handle}`;
const loaf = 'How to shape a country loaf';

/** Founds an open, public commune with a category and tags; ends on its page as its steward. */
async function found(page: Page, c: CommuneCharter, category: string, tags: string) {
  await page.getByRole('link', { name: 'New commune' }).click();
  await page.getByLabel('Name').fill(c.name);
  await page.getByLabel('Handle').fill(c.handle);
  await page.getByLabel('Vision').fill(c.vision);
  await page.getByLabel('Category', { exact: true }).selectOption(category);
  await page.getByLabel('Tags').fill(tags);
  await page.getByLabel('Agreements').fill(c.agreements);
  await page.getByLabel('Join policy').selectOption('open');
  await page.getByLabel('Visibility').selectOption('public');
  await page.getByRole('button', { name: 'Create commune' }).click();
  await page.getByText('You are a steward here.').waitFor();
}

/** The only member consents on the proposal page it is on: the proposal passes and runs. */
async function consentAlone(page: Page) {
  await page.getByRole('button', { name: 'Consent', exact: true }).click();
  await page.locator('.meta .badge').getByText('Passed', { exact: true }).waitFor();
  await page.getByText('Action executed').waitFor();
}

/** `from`'s only member proposes an alliance from its page and passes it alone. */
async function proposeAlliance(page: Page, base: string, from: string, to: string, rate: string) {
  await page.goto(`${base}/communes/${from}`);
  const section = page.locator('section.alliances-section');
  await section.getByText('Propose an alliance').click();
  await section.getByLabel('Commune to ally with').fill(to);
  await section.getByLabel('Trade limit (hours)').fill('10');
  await section.getByLabel('Rate').fill(rate);
  await section.getByRole('button', { name: 'Propose the alliance' }).click();
  await section.getByRole('link', { name: 'Vote on the proposal' }).first().click();
  await page.getByRole('heading', { level: 1, name: `Ally with @${to}` }).waitFor();
  await consentAlone(page);
}

/** `at`'s only member answers `from`'s request with the mirrored proposal: the alliance forms. */
async function answerRequest(page: Page, base: string, at: string, from: string) {
  await page.goto(`${base}/communes/${at}`);
  const section = page.locator('section.alliances-section');
  await section
    .locator(`[data-request="${from}"]`)
    .getByRole('link', { name: 'Vote on the proposal' })
    .click();
  await page.getByRole('heading', { level: 1, name: /^Ally with / }).waitFor();
  await consentAlone(page);
  await page.goto(`${base}/communes/${at}`);
  await section.locator(`[data-alliance="${from}"]`).waitFor();
}

/**
 * Opens `url` until `ready` appears: affinity is kept current by a subscriber after the
 * event, so the first load may come before it. Each try waits for the condition, never a time.
 */
async function openUntil(page: Page, url: string, ready: () => Promise<unknown>) {
  for (let attempt = 1; ; attempt += 1) {
    await page.goto(url);
    try {
      await ready();
      return;
    } catch (e) {
      if (attempt === 10) throw e;
    }
  }
}

/** What the map's cytoscape instance holds, once drawn, from its mirror on the container. */
async function drawnGraph(page: Page) {
  const canvas = page.locator('.network-canvas[data-state="ready"]');
  await canvas.waitFor();
  const box = await canvas.boundingBox();
  const [nodes, edges, positions] = await Promise.all([
    canvas.getAttribute('data-nodes'),
    canvas.getAttribute('data-edges'),
    canvas.getAttribute('data-positions'),
  ]);
  return {
    nodes: (nodes ?? '').split(' ').filter(Boolean),
    edges: (edges ?? '').split(' ').filter(Boolean),
    positions: JSON.parse(positions ?? '{}') as Record<string, [number, number]>,
    box: box!,
  };
}

describe(
  'browser journey: two communes ally, pay across, and appear on the map',
  { skip: availability.skip, timeout: 240_000 },
  () => {
    let server: Server;
    let a: Browser;
    let b: Browser;
    const communeUrl = (c: { handle: string }) => `${server.base}/communes/${c.handle}`;
    const ledgerUrl = (c: { handle: string }) => `${communeUrl(c)}/ledger`;
    let itemUrl = '';

    before(async () => {
      // Affinity follows events in the background, as under `serve`.
      server = await startJourney(availability, { jobs: true });
      a = await openBrowser();
      b = await openBrowser();
    });
    after(() => endJourney(server, [a, b]));

    it('Ann founds the orchard and the grove, and Bea the bakery', async () => {
      await signUp(a.page, ann, server.base);
      await found(a.page, orchard, 'social', 'fruit, food');
      await found(a.page, grove, 'political', 'nuts, trees');
      await signUp(b.page, bea, server.base);
      await found(b.page, bakery, 'social', 'bread, food');
    });

    it('the orchard proposes an alliance; bad terms are refused beside their field', async () => {
      const page = a.page;
      await page.goto(communeUrl(orchard));
      const section = page.locator('section.alliances-section');
      await section.getByText('No alliances yet.').waitFor();
      await section.getByText('Propose an alliance').click();
      const propose = () => section.getByRole('button', { name: 'Propose the alliance' }).click();

      await section.getByLabel('Commune to ally with').fill(orchard.handle);
      await section.getByLabel('Trade limit (hours)').fill('10');
      await section.getByLabel('Rate').fill('2');
      await propose();
      await section.locator('.field-error').getByText('cannot ally with itself').waitFor();

      await section.getByLabel('Commune to ally with').fill(bakery.handle);
      await section.getByLabel('Rate').fill('0');
      await propose();
      await section.locator('.field-error').getByText('above zero').waitFor();

      await section.getByLabel('Rate').fill('2');
      await section
        .getByText(`@${bakery.handle} will be asked to pass the same terms from its side`)
        .waitFor();
      await propose();
      await section.getByText(`Proposed: Ally with @${bakery.handle}`).waitFor();
      await section.getByRole('link', { name: 'Vote on the proposal' }).first().click();
      await page.getByRole('heading', { level: 1, name: `Ally with @${bakery.handle}` }).waitFor();
      await consentAlone(page);

      await page.goto(communeUrl(orchard));
      const request = section.locator(`[data-request="${bakery.handle}"]`);
      await request.getByText(`Waiting for @${bakery.handle} to decide on these terms.`).waitFor();
      await request.getByText('Trade limit ±10 hours · rate 2').waitFor();
    });

    it('the bakery sees the request and passes its mirrored proposal: the alliance is active', async () => {
      // Ann watches the orchard's page meanwhile: the alliance appears there by itself (live).
      await a.page.goto(communeUrl(orchard));
      await a.page.locator(`section.alliances-section [data-request="${bakery.handle}"]`).waitFor();
      const page = b.page;
      await page.goto(communeUrl(bakery));
      const section = page.locator('section.alliances-section');
      const request = section.locator(`[data-request="${orchard.handle}"]`);
      await request.getByText('Trade limit ±20 hours · rate 0.5').waitFor();
      await request
        .getByText(`An alliance with @${orchard.handle} is waiting for our decision.`)
        .waitFor();
      await request.getByRole('link', { name: 'Vote on the proposal' }).click();
      await page.getByRole('heading', { level: 1, name: /^Ally with / }).waitFor();
      // The mirrored terms, in the bakery's own currency, are what its members decide on.
      await page
        .getByText(
          `Ally with @${orchard.handle}: trade limit 20 hours either way, 0.5 of its currency for one of ours`,
        )
        .waitFor();
      await consentAlone(page);

      await page.goto(communeUrl(bakery));
      const ally = section.locator(`[data-alliance="${orchard.handle}"]`);
      await ally.getByText('Trade limit ±20 hours · rate 0.5').waitFor();
      await ally.getByText('Trade is even.').waitFor();
      const theirs = a.page.locator(`section.alliances-section [data-alliance="${bakery.handle}"]`);
      await theirs.getByText('Trade limit ±10 hours · rate 2').waitFor();
    });

    it('Ann pays Bea across, seeing the rate applied; refusals are explained', async () => {
      const page = a.page;
      await page.goto(ledgerUrl(orchard));
      const form = page.locator('form.pay-across-form');
      await form.getByLabel('Allied commune', { exact: true }).selectOption(bakery.handle);
      await form.getByLabel('Pay to (in the allied commune)').selectOption(bea.handle);
      await form.getByLabel('Amount across (hours)').fill('15');
      await form.getByRole('button', { name: 'Pay across' }).click();
      await form.locator('.field-error').getByText('Over the trade limit').waitFor();

      await form.getByLabel('Amount across (hours)').fill('3');
      await form.locator('.conversion').getByText(`@${bea.handle} receives 6 hours`).waitFor();
      await form.getByLabel('What for (optional, across)').fill('Apples for bread');
      await form.getByRole('button', { name: 'Pay across' }).click();
      await expectShown(
        form.getByText(
          `Paid 3 hours to @${bea.handle} of @${bakery.handle}; they receive 6 hours.`,
        ),
        form,
        a,
        server,
      );

      // In the orchard's ledger: Ann → the bakery's clearing account, 3 hours.
      const mine = page.locator('.transfers li', { hasText: 'Apples for bread' });
      await mine.waitFor();
      assert.match(
        (await mine.innerText()).replace(/\s+/g, ' '),
        new RegExp(`@${ann.handle} → paid @${bakery.handle} \\(clearing\\) 3 hours`),
      );
      await page.getByText('All balances add up to 0 hours').waitFor();
    });

    it("the bakery's ledger shows its clearing account paying Bea at the rate", async () => {
      const page = b.page;
      await page.goto(ledgerUrl(bakery));
      const theirs = page.locator('.transfers li', { hasText: 'Apples for bread' });
      await expectShown(theirs, page.locator('.transfers'), b, server);
      assert.match(
        (await theirs.innerText()).replace(/\s+/g, ' '),
        new RegExp(`@${orchard.handle} \\(clearing\\) → paid @${bea.handle} 6 hours`),
      );
      await page.getByText('All balances add up to 0 hours').waitFor();
      // Back the other way, 1 hour is worth half an orchard hour: too small to pay.
      const form = page.locator('form.pay-across-form');
      await form.getByLabel('Pay to (in the allied commune)').selectOption(ann.handle);
      await form.getByLabel('Amount across (hours)').fill('1');
      await form.getByRole('button', { name: 'Pay across' }).click();
      await form.locator('.field-error').getByText('Too small').waitFor();
      await page.goto(communeUrl(bakery));
      await page.getByText(`@${orchard.handle}’s members have paid ours 6 hours more`).waitFor();
    });

    it('the grove allies with the bakery too; Bea shares a guide with the bakery’s allies', async () => {
      // One grove hour is worth half a bakery hour: one alone rounds down to nothing.
      await proposeAlliance(a.page, server.base, grove.handle, bakery.handle, '0.5');
      await answerRequest(b.page, server.base, bakery.handle, grove.handle);

      const page = b.page;
      await page.goto(`${communeUrl(bakery)}/inventory`);
      await page.getByRole('link', { name: 'Add to the inventory' }).click();
      await page.getByLabel('Title', { exact: true }).fill(loaf);
      await page.getByLabel('Text', { exact: true }).fill('Fold, rest, fold again; then shape.');
      await page.getByLabel('Who can see it').selectOption('allies');
      await page.getByRole('button', { name: 'Save item' }).click();
      await page.getByRole('heading', { level: 1, name: loaf }).waitFor();
      itemUrl = page.url();
    });

    it('Ann thanks Bea for it through clearing, picking which of her communes pays', async () => {
      const page = a.page;
      await page.goto(itemUrl);
      await page.getByRole('heading', { level: 1, name: loaf }).waitFor();
      const thanks = page.getByRole('region', { name: `Thank @${bea.handle}` });
      const thank = () => thanks.getByRole('button', { name: 'Thank', exact: true }).click();
      const from = thanks.getByLabel('Pay from');
      await thanks
        .getByText(`You belong to several communes that can thank in @${bakery.handle}`)
        .waitFor();
      assert.deepEqual(
        await from.locator('option').allInnerTexts(),
        // In handle order: the grove's sorts before the orchard's.
        [
          'Choose one of your communes',
          `@${grove.handle}, through its alliance`,
          `@${orchard.handle}, through its alliance`,
        ],
      );

      // Not picked yet: said beside the picker, nothing sent.
      await thanks.getByLabel('Amount', { exact: true }).fill('1');
      await thank();
      await thanks
        .locator('.field-error')
        .getByText('Choose which of your communes pays.')
        .waitFor();

      // From the grove, one hour converts to less than one bakery hour.
      await from.selectOption(grove.handle);
      await thanks
        .locator('.conversion')
        .getByText('That is less than one unit: thank with more.')
        .waitFor();
      await thank();
      const amountError = thanks.locator('.field-error');
      await amountError.getByText('Too small: at the alliance’s rate').waitFor();

      // From the orchard: 3 hours paid across already, so 8 more is over its limit of 10.
      await from.selectOption(orchard.handle);
      await thanks.getByLabel('Amount (hours)').fill('8');
      await thank();
      await expectShown(amountError.getByText('Over the trade limit'), thanks, a, server);
      assert.doesNotMatch(
        await thanks.innerText(),
        /trade_limit|amount_too_small|from_commune|not_allied|no_alliance/,
        'no error code is shown',
      );

      await thanks.getByLabel('Amount (hours)').fill('2');
      await thanks
        .locator('.conversion')
        .getByText(`You pay 2 hours from @${orchard.handle}; @${bea.handle} receives 4 hours`)
        .waitFor();
      await thank();
      await thanks
        .getByText(
          `You thanked @${bea.handle} with 2 hours from @${orchard.handle}; they receive 4 hours.`,
        )
        .waitFor();
      // The bakery's clearing account of the orchard paid Bea, at the rate.
      await b.page.goto(communeUrl(bakery));
      await b.page.getByText(`@${orchard.handle}’s members have paid ours 10 hours more`).waitFor();
    });

    it('affinity shows on a commune page and in discovery, with its reasons', async () => {
      const page = a.page;
      const near = page.locator('section[aria-labelledby="affinity"]');
      const orchardThere = near.locator('li', { hasText: `@${orchard.handle}` });
      await openUntil(page, communeUrl(bakery), () =>
        orchardThere.locator('.affinity-reasons li').first().waitFor({ timeout: 3000 }),
      );
      await orchardThere.getByText(/\d+\u00a0% in common/).waitFor();
      const reasons = await orchardThere.locator('.affinity-reasons li').allInnerTexts();
      assert.ok(
        reasons.some((r) => r.includes('food')),
        `a shared tag: ${reasons.join(' | ')}`,
      );

      // Discovery sorts by affinity for a signed-in member: the bakery, allied with both of
      // Ann's communes, comes first, with its reasons.
      const yours = page.locator('section[aria-labelledby="near-you"]');
      await openUntil(page, `${server.base}/`, () =>
        yours.locator('.affinity-list > li').first().waitFor({ timeout: 3000 }),
      );
      const first = yours.locator('.affinity-list > li').first();
      await first.getByRole('link', { name: bakery.name }).waitFor();
      await first.getByText(/\d+\u00a0% in common/).waitFor();
      assert.ok((await first.locator('.affinity-reasons li').count()) > 0, 'reasons are given');

      // For Bea, two communes: the orchard (tags, category, trade, thanks) before the grove
      // (an alliance only), the scores never rising down the list.
      const hers = b.page.locator('section[aria-labelledby="near-you"] .affinity-list > li');
      await openUntil(b.page, `${server.base}/`, () => hers.nth(1).waitFor({ timeout: 3000 }));
      const names = await hers.locator(':scope > a').allInnerTexts();
      assert.deepEqual(names, [orchard.name, grove.name]);
      const scores = (await hers.allInnerTexts()).map((t) => Number(/(\d+)\u00a0%/.exec(t)?.[1]));
      assert.ok(scores[0]! >= scores[1]! && scores[1]! > 0, `scores ${scores.join(', ')}`);
    });

    it('the map draws the communes and the alliances; a click opens the commune', async () => {
      const page = a.page;
      await page.goto(server.base);
      await page.getByRole('link', { name: 'Network', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'The network of communes' }).waitFor();
      const all = await drawnGraph(page);
      assert.deepEqual(all.nodes, [bakery.handle, grove.handle, orchard.handle].sort());
      assert.deepEqual(all.edges, [edge, groveEdge].sort());

      // Filters: by category, then by a tag only the bakery has.
      await page.getByLabel('Category', { exact: true }).selectOption('spiritual');
      await page.getByRole('button', { name: 'Filter' }).click();
      await page.getByText('No communes found.').waitFor();
      await page.getByLabel('Category', { exact: true }).selectOption('');
      await page.getByLabel('Tag', { exact: true }).fill('bread');
      await page.getByRole('button', { name: 'Filter' }).click();
      await page.waitForURL(/\/network\?tag=bread$/);
      const bread = await drawnGraph(page);
      assert.deepEqual([bread.nodes, bread.edges], [[bakery.handle], []]);
      await page.getByLabel('Tag', { exact: true }).fill('food');
      await page.getByRole('button', { name: 'Filter' }).click();
      await page.waitForURL(/\/network\?tag=food$/);
      const food = await drawnGraph(page);
      assert.deepEqual(food.edges, [edge]);

      assert.ok(food.positions[bakery.handle], 'the bakery is drawn');
      // A click lands where the drawing says the node is: the map is scrolled into view first,
      // and positions are read again before each try in case the layout moved under the mouse.
      await page.locator('.network-canvas').scrollIntoViewIfNeeded();
      for (let attempt = 1; ; attempt += 1) {
        const g = await drawnGraph(page);
        const [x, y] = g.positions[bakery.handle]!;
        await page.mouse.click(g.box.x + x, g.box.y + y);
        try {
          await page.waitForURL(`${communeUrl(bakery)}`, { timeout: 3000 });
          break;
        } catch (e) {
          if (attempt === 5) throw e;
        }
      }
      await page.getByRole('heading', { level: 1, name: bakery.name }).waitFor();
    });

    it('is readable at 375px: the map fits, and no page scrolls sideways', async () => {
      const page = a.page;
      await page.setViewportSize({ width: 375, height: 812 });
      await page.goto(`${server.base}/network`);
      const g = await drawnGraph(page);
      assert.ok(g.box.width <= 375, `the map is ${g.box.width}px wide`);
      for (const [handle, [x, y]] of Object.entries(g.positions)) {
        assert.ok(
          x >= 0 && x <= g.box.width && y >= 0 && y <= g.box.height,
          `${handle} at ${x},${y}`,
        );
      }
      assert.equal(await scrollsSideways(page), false, '/network scrolls sideways at 375px');
      mkdirSync(RESULTS, { recursive: true });
      await page.screenshot({ path: join(RESULTS, 'network-375.png'), fullPage: true });
      for (const url of [communeUrl(orchard), ledgerUrl(orchard)]) {
        await page.goto(url);
        await page.locator('section.alliances-section, form.pay-across-form').first().waitFor();
        assert.equal(await scrollsSideways(page), false, `${url} scrolls sideways at 375px`);
        const name = url.endsWith('/ledger') ? 'network-ledger-375.png' : 'network-commune-375.png';
        await page.screenshot({ path: join(RESULTS, name), fullPage: true });
      }
      // Affinity and its reasons, on a commune page and in discovery, and the thanks picker.
      const views: [string, string, string][] = [
        [communeUrl(bakery), 'section[aria-labelledby="affinity"] .affinity-reasons', 'affinity'],
        [`${server.base}/`, 'section[aria-labelledby="near-you"] .affinity-reasons', 'discover'],
        [itemUrl, 'form.thanks-form select[name="fromCommune"]', 'thanks'],
      ];
      for (const [url, selector, name] of views) {
        await page.goto(url);
        const shown = page.locator(selector).first();
        await shown.waitFor();
        await shown.scrollIntoViewIfNeeded();
        const box = (await shown.boundingBox())!;
        assert.ok(box.x >= 0 && box.x + box.width <= 375, `${name}: ${box.x}+${box.width}`);
        assert.equal(await scrollsSideways(page), false, `${url} scrolls sideways at 375px`);
        await page.screenshot({ path: join(RESULTS, `network-${name}-375.png`), fullPage: true });
      }
      await page.setViewportSize({ width: 1100, height: 900 });
    });

    it('the bakery ends the alliance alone: no new trade, and the map loses the edge', async () => {
      await a.page.goto(ledgerUrl(orchard));
      const form = a.page.locator('form.pay-across-form');
      await form.getByLabel('Pay to (in the allied commune)').selectOption(bea.handle);

      const page = b.page;
      await page.goto(communeUrl(bakery));
      const ally = page.locator(`section.alliances-section [data-alliance="${orchard.handle}"]`);
      await ally
        .getByRole('button', { name: `Propose ending the alliance with @${orchard.handle}` })
        .click();
      await ally.getByRole('link', { name: 'Vote on it' }).click();
      await page
        .getByRole('heading', { level: 1, name: `End the alliance with @${orchard.handle}` })
        .waitFor();
      await consentAlone(page);

      // Ann's form was loaded while the alliance stood: the server refuses, and says why.
      await form.getByLabel('Amount across (hours)').fill('2');
      await form.getByRole('button', { name: 'Pay across' }).click();
      await form.locator('.field-error').getByText('There is no active alliance').waitFor();

      await a.page.goto(`${server.base}/network`);
      const g = await drawnGraph(a.page);
      assert.deepEqual([g.nodes.length, g.edges], [3, [groveEdge]]);
      await a.page.goto(communeUrl(orchard));
      await a.page.getByText('Ended, with a balance left').waitFor();
    });

    it('met no CSP violations and no uncaught errors', () => {
      assert.deepEqual(a.problems, []);
      assert.deepEqual(b.problems, []);
    });
  },
);
