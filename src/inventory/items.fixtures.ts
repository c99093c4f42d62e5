// Small factories shared by the inventory test files.
import type { TestApp } from '../../test/support/app.ts';
import { found, join } from '../communes/communes.fixtures.ts';

export const guide = (overrides: Record<string, unknown> = {}) => ({
  kind: 'guide',
  title: 'How we compost',
  body: 'Layer **greens** and browns.\n\nTurn weekly.',
  tags: ['compost', 'garden'],
  visibility: 'public',
  ...overrides,
});

/** Writes an item through the API and fails loudly if that did not work. */
export async function writeItem(
  t: TestApp,
  token: string,
  commune: string,
  overrides: Record<string, unknown> = {},
) {
  const r = await t.post(`/api/v1/communes/${commune}/items`, guide(overrides), token);
  if (r.status !== 201) throw new Error(`write item: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as { id: string; version: number; [k: string]: unknown };
}

/** A commune founded by `steward` with the given members (open join). */
export async function communeWith(
  t: TestApp,
  handle: string,
  steward: string,
  members: string[],
  visibility: 'public' | 'unlisted' | 'private' = 'public',
) {
  const made = await found(t, steward, handle, { visibility, joinPolicy: 'open' });
  for (const m of members) {
    // Outsiders find a private commune only through an invite.
    const invite = await t.post(`/api/v1/communes/${handle}/invites`, {}, steward);
    const r = await join(t, m, handle, { inviteCode: invite.body.code });
    if (r.status !== 201) throw new Error(`join ${handle}: ${r.status} ${JSON.stringify(r.body)}`);
  }
  return made;
}

/** The status and error code of a response, for compact assertions. */
export const outcome = (r: { status: number; body: { error?: { code?: string } } | null }) =>
  r.body?.error?.code ? `${r.status} ${r.body.error.code}` : String(r.status);
