// Alliances made and ended the way communes make them: passed decisions on both sides.
import assert from 'node:assert/strict';
import type { TestApp } from '../../test/support/app.ts';

const consent = { position: 'consent' };

/** People (by handle) who make up a commune's vote, and their tokens. */
export type Voters = { commune: string; tokens: string[] };

async function pass(t: TestApp, v: Voters, id: string): Promise<void> {
  let last: { status: string; action: { executed: boolean; result: unknown } } | undefined;
  for (const token of v.tokens) {
    const r = await t.post(`/api/v1/proposals/${id}/votes`, consent, token);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    last = r.body;
  }
  assert.deepEqual([last!.status, last!.action.executed], ['passed', true], JSON.stringify(last));
}

async function decide(t: TestApp, v: Voters, action: Record<string, unknown>): Promise<void> {
  const r = await t.post(
    `/api/v1/communes/${v.commune}/proposals`,
    { title: `${String(action.type)} ${v.commune}`, action },
    v.tokens[0],
  );
  assert.equal(r.status, 201, JSON.stringify(r.body));
  await pass(t, v, r.body.id);
}

/** `a` offers (a trade limit in its currency, units of b's per one of a's); `b` passes the mirror. */
export async function allyByDecision(
  t: TestApp,
  a: Voters,
  b: Voters,
  terms: { tradeLimit: number; rate: number },
): Promise<void> {
  await decide(t, a, { type: 'form_alliance', params: { commune: b.commune, ...terms } });
  const open = await t.get(`/api/v1/communes/${b.commune}/proposals`, b.tokens[0]);
  const mirrored = (
    open.body.items as {
      id: string;
      status: string;
      action?: { type: string; params: { commune?: string; hidden?: boolean } };
    }[]
  ).find(
    (p) =>
      p.status === 'open' &&
      p.action?.type === 'form_alliance' &&
      // A private asker is hidden from the asked commune's members (ADR 0017).
      (p.action.params.commune === a.commune || p.action.params.hidden === true),
  );
  assert.ok(mirrored, `no alliance request from ${a.commune} in ${b.commune}`);
  await pass(t, b, mirrored.id);
}

/** One side ends the alliance alone. */
export const endAllianceByDecision = (t: TestApp, side: Voters, partner: string) =>
  decide(t, side, { type: 'end_alliance', params: { commune: partner } });
