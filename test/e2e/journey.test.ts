import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
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
import { agreeInTurn, proposeCharterChange, signUp } from './steps.ts';

const availability = browserAvailability();
const suffix = Date.now().toString(36).slice(-5);
const alice = { handle: `alice_${suffix}`, password: 'a quiet orchard at dawn' };
const bob = { handle: `bob_${suffix}`, password: 'bread rises slowly here' };
const commune = { handle: `orchard_${suffix}`, name: 'Orchard Commons' };
const threadTitle = 'Pruning day on Saturday';

describe(
  'browser journey: found a commune, join it, talk',
  { skip: availability.skip, timeout: 180_000 },
  () => {
    let server: Server;
    let a: Browser;
    let b: Browser;
    const communeUrl = () => `${server.base}/communes/${commune.handle}`;

    before(async () => {
      server = await startJourney(availability);
      a = await openBrowser();
      b = await openBrowser();
    });
    after(() => endJourney(server, [a, b]));

    it('A signs up, signs out and signs in again through the UI', async () => {
      const page = a.page;
      await page.goto(`${server.base}/`);
      await page.getByRole('heading', { level: 1, name: 'Discover communes' }).waitFor();
      await page.getByRole('banner').getByRole('link', { name: 'Sign up' }).click();
      // A too-short password comes back from the API and is shown beside its field.
      await page.getByLabel('Handle').fill(alice.handle);
      await page.getByLabel('Password', { exact: true }).fill('short');
      await page.getByRole('button', { name: 'Create account' }).click();
      const password = page.getByLabel('Password', { exact: true });
      await page.locator('.field-error').getByText('at least 10 characters').waitFor();
      assert.equal(await password.getAttribute('aria-invalid'), 'true');
      await signUp(page, alice);

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('banner').getByRole('link', { name: 'Sign in', exact: true }).click();
      await page.getByLabel('Handle').fill(alice.handle);
      await page.getByLabel('Password').fill('not the password');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByRole('alert').filter({ hasText: /./ }).first().waitFor();
      await page.getByLabel('Password').fill(alice.password);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByText(`Signed in as @${alice.handle}`).waitFor();
    });

    it('A creates a commune through the charter form', async () => {
      const page = a.page;
      await page.getByRole('link', { name: 'New commune' }).click();
      await page.getByLabel('Name').fill(commune.name);
      await page.getByLabel('Handle').fill('Not A Handle!');
      await page
        .getByLabel('Vision')
        .fill(
          'We tend old apple trees together and share the harvest.\nEveryone is welcome to learn.',
        );
      await page.getByLabel('Category').selectOption('social');
      await page.getByLabel('Tags').fill('gardening, food');
      await page
        .getByLabel('Agreements')
        .fill('Come to one work day a month\nShare tools and return them clean');
      await page.getByLabel('Join policy').selectOption('open');
      await page.getByLabel('Visibility').selectOption('public');
      await page.getByLabel('Largest size').fill('12');
      await page.getByRole('button', { name: 'Create commune' }).click();
      // The API names the field; the form puts its message next to the handle.
      const handle = page.getByLabel('Handle');
      await page.locator('.field-error').first().waitFor();
      assert.equal(await handle.getAttribute('aria-invalid'), 'true');

      await handle.fill(commune.handle);
      await page.getByRole('button', { name: 'Create commune' }).click();
      await page.getByRole('heading', { level: 1, name: commune.name }).waitFor();
      await page.getByText('You are a steward here.').waitFor();
      await page.getByText('1 / 12 members').first().waitFor();
    });

    it('B signs up from the commune page and joins by accepting the agreements', async () => {
      const page = b.page;
      await page.goto(communeUrl());
      await page.getByRole('heading', { level: 1, name: commune.name }).waitFor();
      await page.getByRole('link', { name: 'create an account' }).first().click();
      await signUp(page, bob);
      await page.getByRole('heading', { level: 1, name: commune.name }).waitFor();

      await page.getByRole('button', { name: 'Join', exact: true }).click();
      const panel = page.locator('.join');
      await panel.getByText('Share tools and return them clean').waitFor();
      await page.getByRole('button', { name: `Join ${commune.name}` }).click();
      await panel.locator('.field-error').getByText('accept them to join').waitFor();
      await page.getByLabel('I have read these agreements and accept them').check();
      await page.getByRole('button', { name: `Join ${commune.name}` }).click();
      await page.getByText('You are now a member.').waitFor();
      await page.getByText('2 / 12 members').first().waitFor();
    });

    it('A starts a thread and B comments on it; A sees the comment and replies', async () => {
      await a.page.goto(communeUrl());
      await a.page.getByRole('link', { name: 'Start a thread' }).click();
      await a.page.getByLabel('Title').fill(threadTitle);
      await a.page.getByLabel('Message').fill('Bring **gloves** and secateurs. We start at nine.');
      await a.page.getByRole('button', { name: 'Post thread' }).click();
      await a.page.getByRole('heading', { level: 1, name: threadTitle }).waitFor();
      assert.equal(await a.page.locator('.thread-body strong').textContent(), 'gloves');

      await b.page.goto(communeUrl());
      await b.page.getByRole('link', { name: threadTitle }).click();
      await b.page.getByRole('heading', { level: 1, name: threadTitle }).waitFor();
      await b.page
        .getByLabel('Your comment')
        .fill('Count me in for **Saturday**, I will bring a ladder.');
      await b.page.getByRole('button', { name: 'Post comment' }).click();
      await b.page.locator('.comment').getByText('I will bring a ladder').waitFor();

      await a.page.reload();
      const comment = a.page.getByRole('article', { name: `Comment by @${bob.handle}` });
      await comment.getByText('I will bring a ladder').waitFor();
      assert.equal(await comment.locator('strong').textContent(), 'Saturday');

      await comment.getByRole('button', { name: `Reply to @${bob.handle}` }).click();
      await a.page.getByText('Replying to').waitFor();
      await a.page.getByLabel('Your comment').fill('Thank you, a ladder is just what we need.');
      await a.page.getByRole('button', { name: 'Post comment' }).click();
      const reply = a.page.getByRole('article', { name: `Comment by @${alice.handle}` });
      await reply.getByText(`In reply to @${bob.handle}`).waitFor();
      mkdirSync(RESULTS, { recursive: true });
      await a.page.screenshot({ path: join(RESULTS, 'journey.png'), fullPage: true });
    });

    it('A filters a word out of the lists and takes the filter away again', async () => {
      const page = a.page;
      await page.getByRole('link', { name: 'Filters' }).click();
      await page.getByLabel('Leave out').selectOption('word');
      await page.getByLabel('Word or phrase').fill('pruning');
      await page.getByRole('button', { name: 'Add filter' }).click();
      const remove = page.getByRole('button', { name: 'Remove the word filter “pruning”' });
      await remove.waitFor();

      await page.goto(communeUrl());
      await page.getByText('1 hidden by your filters.').waitFor();
      assert.equal(await page.getByRole('link', { name: threadTitle }).count(), 0);

      await page.goto(`${server.base}/settings/filters`);
      await page.getByRole('button', { name: 'Remove the word filter “pruning”' }).click();
      await page.getByText('No filters yet.').waitFor();
      await page.goto(communeUrl());
      await page.getByRole('link', { name: threadTitle }).waitFor();
    });

    it('finds the commune in Discover by tag and by words', async () => {
      const page = b.page;
      await page.goto(`${server.base}/`);
      await page.getByRole('textbox', { name: 'Tag', exact: true }).fill('gardening');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.getByRole('heading', { name: 'Matching communes' }).waitFor();
      await page.getByRole('link', { name: commune.name }).waitFor();
      await page.goto(`${server.base}/?q=${encodeURIComponent('no such place anywhere')}`);
      await page.getByText('No communes found.').waitFor();
    });

    it('admits by application (the members consent on its proposal) and by invite link', async () => {
      // A proposes that joining go through the members; the charter is the members' to change,
      // so it changes once A and B agree on the proposal. Then B leaves and applies.
      const toApplication = await proposeCharterChange(
        a.page,
        server.base,
        commune.handle,
        (page) => page.getByLabel('Join policy').selectOption('application'),
      );
      await a.page.getByText('Amend the charter: joinPolicy').waitFor();
      await a.page.goto(communeUrl());
      await a.page.getByText('Open to join').waitFor();
      await agreeInTurn([a.page, b.page], toApplication);
      await a.page.goto(communeUrl());
      await a.page.getByText('Join by application').waitFor();

      await b.page.goto(communeUrl());
      await b.page.getByRole('button', { name: 'Leave this commune' }).click();
      await b.page.getByRole('button', { name: 'Yes, leave' }).click();
      await b.page.getByRole('button', { name: 'Apply to join' }).click();
      await b.page.getByLabel('I have read these agreements and accept them').check();
      await b.page.getByLabel('A note to the members (optional)').fill('I live two streets away.');
      await b.page.getByRole('button', { name: 'Send application' }).click();
      await b.page.getByText(`The members of ${commune.name} now decide on it together.`).waitFor();
      // The application opened its admit_member proposal by itself; B may follow it (the commune is public).
      const follow = b.page.getByRole('link', { name: 'Follow the decision' });
      const proposalPath = await follow.getAttribute('href');
      assert.match(proposalPath ?? '', /^\/proposals\/[0-9a-f-]{36}$/);

      // A sees the application with a link to that proposal; there is no approve button any more.
      await a.page.reload();
      const application = a.page.locator('.applications li', {
        hasText: 'I live two streets away.',
      });
      await application.waitFor();
      assert.equal(await a.page.getByRole('button', { name: /^(Approve|Reject)/ }).count(), 0);
      const vote = application.getByRole('link', { name: `Vote on admitting @${bob.handle}` });
      assert.equal(await vote.getAttribute('href'), proposalPath);
      await application.getByText('Consent, closes').waitFor();
      await vote.click();
      await a.page.getByRole('heading', { level: 1, name: `Admit @${bob.handle}` }).waitFor();
      await a.page.getByText('Opened by the commune').waitFor();
      await a.page.getByText('Runs if the proposal passes').waitFor();
      // The application's note stays in the members' applications list, off the public proposal.
      assert.equal(await a.page.getByText('I live two streets away.').count(), 0);

      // A is the only member while B is outside, so A's consent settles it: it closes and admits B.
      await a.page.getByRole('button', { name: 'Consent', exact: true }).click();
      await a.page.locator('.meta .badge').getByText('Passed', { exact: true }).waitFor();
      await a.page.getByText(`Action executed: admitted @${bob.handle}`).waitFor();

      await a.page.goto(communeUrl());
      await a.page.getByText('No one is waiting to join.').waitFor();
      await a.page.getByText('2 / 12 members').first().waitFor();
      await b.page.goto(communeUrl());
      await b.page.getByText('You are a member here.').waitFor();

      // Invite-only, decided the same way: A makes a link, B leaves once more and comes back through it.
      const toInvite = await proposeCharterChange(a.page, server.base, commune.handle, (page) =>
        page.getByLabel('Join policy').selectOption('invite'),
      );
      await agreeInTurn([b.page, a.page], toInvite);
      await a.page.goto(communeUrl());
      await a.page.getByText('Join by invitation').waitFor();
      await a.page.getByRole('button', { name: 'Create an invite link' }).click();
      const link = await a.page.getByLabel('Invite link').inputValue();
      assert.match(link, new RegExp(`/join/${commune.handle}\\?code=.+`));

      await b.page.goto(communeUrl());
      await b.page.getByRole('button', { name: 'Leave this commune' }).click();
      await b.page.getByRole('button', { name: 'Yes, leave' }).click();
      await b.page.getByText('This commune admits people by invitation.').waitFor();
      await b.page.goto(link);
      await b.page.getByRole('heading', { level: 1, name: `Join ${commune.name}` }).waitFor();
      await b.page.getByLabel('I have read these agreements and accept them').check();
      await b.page.getByRole('button', { name: `Join ${commune.name}` }).click();
      await b.page.getByRole('heading', { level: 1, name: commune.name }).waitFor();
      await b.page.getByText('You are a member here.').waitFor();
    });

    it('fits a 375px-wide phone screen without sideways scrolling', async () => {
      const page = a.page;
      await page.setViewportSize({ width: 375, height: 812 });
      const threadHref = await (async () => {
        await page.goto(communeUrl());
        return page.getByRole('link', { name: threadTitle }).getAttribute('href');
      })();
      for (const path of [
        '/',
        `/communes/${commune.handle}`,
        threadHref ?? '/',
        '/new-commune',
        '/settings/filters',
        '/sign-up',
      ]) {
        await page.goto(`${server.base}${path}`);
        await page.locator('h1').first().waitFor();
        assert.equal(await scrollsSideways(page), false, `${path} scrolls sideways at 375px`);
      }
      await page.goto(communeUrl());
      await page.getByRole('heading', { level: 1, name: commune.name }).waitFor();
      await page.screenshot({ path: join(RESULTS, 'journey-375.png'), fullPage: true });
    });

    it('met no CSP violations and no uncaught errors', () => {
      assert.deepEqual(a.problems, []);
      assert.deepEqual(b.problems, []);
    });
  },
);
