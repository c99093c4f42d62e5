import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { found } from '../communes/communes.fixtures.ts';
import { availableDatabases } from '../db/testing.ts';
import { allyByDecision, endAllianceByDecision } from '../network/alliances.fixtures.ts';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { isEvent, sseReader, type SseReader } from '../../test/support/sse.ts';

// Alliances on the live stream (ADR 0034): requested, formed and ended reach whoever follows
// either commune and may see it, each side as news of its own commune, never naming the
// partner (a private commune that asks stays hidden from the asked).

for (const { kind, skip } of await availableDatabases()) {
  describe(`alliance events on the live stream on ${kind}`, { skip }, () => {
    let t: TestApp;
    let ada: string;
    let bo: string;
    let cy: string;
    const open: SseReader[] = [];

    before(async () => {
      t = await startTestApp(kind);
      ada = await t.person('al_ada');
      bo = await t.person('al_bo');
      cy = await t.person('al_cy');
      await found(t, ada, 'al_a');
      await found(t, bo, 'al_b');
      await found(t, cy, 'al_p', { visibility: 'private' });
    });
    after(async () => {
      for (const r of open) await r.close();
      await t.close();
    });

    async function follow(query: string, token?: string) {
      const res = await t.app.request(`/api/v1/events${query}`, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
      assert.equal(res.status, 200);
      const reader = sseReader(res.body!);
      open.push(reader);
      await reader.next(isEvent('ready'));
      return reader;
    }

    it('reaches the members and visitors of both communes, each as their own commune', async () => {
      const adaHome = await follow('', ada);
      const boPage = await follow('?commune=al_b', bo);
      const visitor = await follow('?commune=al_b');
      const outsider = await follow('?commune=al_p', cy);
      await allyByDecision(
        t,
        { commune: 'al_a', tokens: [ada] },
        { commune: 'al_b', tokens: [bo] },
        {
          tradeLimit: 100,
          rate: 1,
        },
      );
      const asked = await boPage.next(isEvent('alliance_requested'));
      assert.equal(asked.data.commune, 'al_b');
      assert.equal(typeof asked.data.alliance, 'string');
      const formed = await boPage.next(isEvent('alliance_formed'));
      assert.deepEqual(formed.data, {
        type: 'alliance_formed',
        commune: 'al_b',
        alliance: asked.data.alliance,
      });
      await visitor.next(isEvent('alliance_formed', { commune: 'al_b' }));
      await adaHome.next(isEvent('alliance_formed', { commune: 'al_a' }));
      await endAllianceByDecision(t, { commune: 'al_b', tokens: [bo] }, 'al_a');
      await adaHome.next(isEvent('alliance_ended', { commune: 'al_a' }));
      await boPage.next(isEvent('alliance_ended', { commune: 'al_b' }));
      assert.ok(!outsider.messages.some((m) => m.event.startsWith('alliance_')));
    });

    it('never names a private commune that asks', async () => {
      const boPage = await follow('?commune=al_b', bo);
      await t
        .post(
          '/api/v1/communes/al_p/proposals',
          {
            title: 'Ally with al_b',
            action: { type: 'form_alliance', params: { commune: 'al_b', tradeLimit: 10, rate: 1 } },
          },
          cy,
        )
        .then(async (r) => {
          assert.equal(r.status, 201, JSON.stringify(r.body));
          const v = await t.post(
            `/api/v1/proposals/${r.body.id}/votes`,
            { position: 'consent' },
            cy,
          );
          assert.equal(v.status, 201, JSON.stringify(v.body));
        });
      const asked = await boPage.next(isEvent('alliance_requested'));
      assert.equal(asked.data.commune, 'al_b');
      assert.doesNotMatch(JSON.stringify(boPage.messages), /al_p/);
    });
  });
}
