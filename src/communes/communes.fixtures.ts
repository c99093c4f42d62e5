// Small factories shared by the communes test files.
import type { TestApp } from '../../test/support/app.ts';

export const charter = (handle: string, overrides: Record<string, unknown> = {}) => ({
  handle,
  name: `Commune ${handle}`,
  vision: 'Growing food and trust together',
  category: 'social',
  tags: ['gardens'],
  joinPolicy: 'open',
  visibility: 'public',
  ...overrides,
});

/** Founds a commune through the API and fails loudly if that did not work. */
export async function found(
  t: TestApp,
  token: string,
  handle: string,
  overrides: Record<string, unknown> = {},
) {
  const r = await t.post('/api/v1/communes', charter(handle, overrides), token);
  if (r.status !== 201) throw new Error(`found ${handle}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as { id: string; handle: string; memberCount: number };
}

/** Joins (or applies to) a commune; returns the raw response. */
export const join = (
  t: TestApp,
  token: string | undefined,
  handle: string,
  extra: Record<string, unknown> = {},
) => t.post(`/api/v1/communes/${handle}/applications`, { acceptAgreements: true, ...extra }, token);

/**
 * A clock tests move forward. Like a real one it ticks (1 ms a reading), so events keep
 * their order; it starts at the real time because Hono refuses cookies dated > 400 days ahead.
 */
export function manualClock(start = new Date()) {
  let now = start.getTime();
  return {
    now: () => new Date((now += 1)),
    advance: (ms: number) => {
      now += ms;
    },
  };
}
