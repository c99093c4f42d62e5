// Small factories shared by the decisions test files.
import assert from 'node:assert/strict';
import type { TestApp } from '../../test/support/app.ts';
import { createContexts } from '../app.ts';
import { found, join } from '../communes/communes.fixtures.ts';
import { communesService } from '../communes/communes.service.ts';
import { jobRunner } from '../jobs/runner.ts';

export const HOUR = 3_600_000;

export type Crew = { tokens: Record<string, string>; tok: (handle: string) => string };

/**
 * Founds `handle` with people[0] as steward and the rest as members (invited if not open);
 * people are created on first use. In an application commune an invite only lets one apply,
 * so such a commune starts invite-only and switches once its first members are in.
 */
export async function communeOf(
  t: TestApp,
  crew: Crew,
  handle: string,
  people: string[],
  overrides: Record<string, unknown> = {},
) {
  for (const p of people) crew.tokens[p] ??= await t.person(p);
  const policy = overrides.joinPolicy ?? 'open';
  const made = await found(
    t,
    crew.tok(people[0]!),
    handle,
    policy === 'application' ? { ...overrides, joinPolicy: 'invite' } : overrides,
  );
  for (const p of people.slice(1)) {
    const invite =
      policy !== 'open' || overrides.visibility === 'private'
        ? (await t.post(`/api/v1/communes/${handle}/invites`, {}, crew.tok(people[0]!))).body.code
        : undefined;
    const r = await join(t, crew.tok(p), handle, invite ? { inviteCode: invite } : {});
    assert.deepEqual(
      [r.status, r.body.status],
      [201, 'member'],
      `join ${p}: ${JSON.stringify(r.body)}`,
    );
  }
  if (policy === 'application') {
    const switched = await communesService(t.deps).amendCharter(made.id, {
      joinPolicy: 'application',
    });
    assert.ok(switched.ok, JSON.stringify(switched));
  }
  return made;
}

export function crew(): Crew {
  const tokens: Record<string, string> = {};
  return { tokens, tok: (h) => tokens[h] ?? assert.fail(`no token for ${h}`) };
}

export const propose = (
  t: TestApp,
  token: string | undefined,
  commune: string,
  body: Record<string, unknown>,
) => t.post(`/api/v1/communes/${commune}/proposals`, body, token);
export const vote = (t: TestApp, token: string | undefined, id: string, body: unknown) =>
  t.post(`/api/v1/proposals/${id}/votes`, body, token);

/** Proposes and insists it worked; returns the proposal. */
export async function proposed(
  t: TestApp,
  token: string,
  commune: string,
  body: Record<string, unknown>,
) {
  const r = await propose(t, token, commune, body);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

/** The scheduler's work, run by hand: what `serve` does every second. */
export const jobsOf = (t: TestApp) => jobRunner(t.deps, createContexts(t.deps).jobs);

export const hoursFrom = (now: Date, hours: number) =>
  new Date(now.getTime() + hours * HOUR).toISOString();
