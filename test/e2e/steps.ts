// Steps the browser journeys share, each taken through the real UI as a person would.
import type { Page } from 'playwright-core';

export type Person = { handle: string; password: string };
export type CommuneCharter = { handle: string; name: string; vision: string; agreements: string };

/** Fills the sign-up form; with `base`, opens it first. Ends signed in. */
export async function signUp(page: Page, who: Person, base?: string) {
  if (base !== undefined) await page.goto(`${base}/sign-up`);
  await page.getByLabel('Handle').fill(who.handle);
  await page.getByLabel('Password', { exact: true }).fill(who.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByText(`Signed in as @${who.handle}`).waitFor();
}

/** Founds an open, public commune through the charter form; ends on its page as its steward. */
export async function foundOpenCommune(page: Page, commune: CommuneCharter) {
  await page.getByRole('link', { name: 'New commune' }).click();
  await page.getByLabel('Name').fill(commune.name);
  await page.getByLabel('Handle').fill(commune.handle);
  await page.getByLabel('Vision').fill(commune.vision);
  await page.getByLabel('Category').selectOption('social');
  await page.getByLabel('Agreements').fill(commune.agreements);
  await page.getByLabel('Join policy').selectOption('open');
  await page.getByLabel('Visibility').selectOption('public');
  await page.getByRole('button', { name: 'Create commune' }).click();
  await page.getByText('You are a steward here.').waitFor();
}

/** Joins an open commune from its page, accepting the agreements. */
export async function joinOpenCommune(
  page: Page,
  base: string,
  commune: { handle: string; name: string },
) {
  await page.goto(`${base}/communes/${commune.handle}`);
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await page.getByLabel('I have read these agreements and accept them').check();
  await page.getByRole('button', { name: `Join ${commune.name}` }).click();
  await page.getByText('You are now a member.').waitFor();
}

/** Fills the pay form on a ledger page and presses Pay. */
export async function payWithForm(page: Page, to: string, amount: string, memo = '') {
  await page.getByLabel('Pay to').selectOption(to);
  await page.getByLabel('Amount (hours)').fill(amount);
  await page.getByLabel('What for (optional)').fill(memo);
  await page.getByRole('button', { name: 'Pay', exact: true }).click();
}

/**
 * Proposes a charter change through the charter form, which `change` fills in; ends on
 * the new amend_charter proposal's page and returns its address.
 */
export async function proposeCharterChange(
  page: Page,
  base: string,
  commune: string,
  change: (page: Page) => Promise<unknown>,
): Promise<string> {
  await page.goto(`${base}/communes/${commune}`);
  await page.getByRole('link', { name: 'Propose a charter change' }).click();
  await change(page);
  await page.getByRole('button', { name: 'Propose these changes' }).click();
  await page.getByRole('heading', { level: 1, name: /^Amend the charter: / }).waitFor();
  await page.getByText('Runs if the proposal passes').waitFor();
  return page.url();
}

/**
 * The members agree on a consensus proposal, one after another through its page. `pages`
 * must be every member: a vote closes a named proposal early only once all have voted, so
 * the last vote closes it and it ends passed with its action run.
 */
export async function agreeInTurn(pages: Page[], url: string) {
  for (const [i, page] of pages.entries()) {
    await page.goto(url);
    await page.getByRole('button', { name: 'Agree', exact: true }).click();
    if (i < pages.length - 1) await page.getByText('You voted: Agree').waitFor();
  }
  const last = pages[pages.length - 1]!;
  await last.locator('.meta .badge').getByText('Passed', { exact: true }).waitFor();
  await last.getByText('Action executed: changed').waitFor();
}
