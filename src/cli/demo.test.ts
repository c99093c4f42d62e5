import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { createApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import type { DbHandle } from '../db/database.ts';
import { availableDatabases, openTestDatabase } from '../db/testing.ts';
import { METHODS } from '../decisions/method-shapes.ts';
import { STATUSES } from '../decisions/proposals.ts';
import type { Deps } from '../deps.ts';
import { systemClock } from '../shared/clock.ts';
import { DemoError } from './demo-api.ts';
import { DEMO_COMMUNES, DEMO_PASSWORD } from './demo-data.ts';
import { seedDemo } from './demo.ts';

// The demo is played through the API, so what it leaves is what people would have made: this
// reads it back through the API as its people and as a visitor.
for (const { kind, skip } of await availableDatabases()) {
  describe(`commune seed --demo on ${kind}`, { skip }, () => {
    let handle: DbHandle;
    let deps: Deps;
    let app: ReturnType<typeof createApp>;
    const tokens = new Map<string, string>();

    const get = async (path: string, as?: string) => {
      const headers: Record<string, string> = {};
      if (as) {
        if (!tokens.has(as)) {
          const res = await app.request('/api/v1/sessions', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ handle: as, password: DEMO_PASSWORD }),
          });
          assert.equal(res.status, 201, `@${as} signs in with the demo password`);
          tokens.set(as, ((await res.json()) as { token: string }).token);
        }
        headers.authorization = `Bearer ${tokens.get(as)}`;
      }
      const res = await app.request(`/api/v1${path}`, { headers });
      assert.equal(res.status, 200, `GET ${path}`);
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      return (await res.json()) as any;
    };

    before(async () => {
      handle = await openTestDatabase(kind);
      const config = loadConfig({
        DATABASE_URL: kind === 'sqlite' ? 'sqlite::memory:' : 'postgres://test',
      });
      if (!config.ok) throw new Error(config.error.message);
      deps = {
        db: handle.db,
        dialect: handle.dialect,
        config: config.value,
        logger: pino({ level: 'silent' }),
        clock: systemClock,
        passwordCost: 10,
      };
      const summary = await seedDemo(deps);
      assert.deepEqual([summary.communes, summary.people], [12, 24]);
      app = createApp(deps);
    });
    after(() => handle.destroy());

    it('lists the public communes to a visitor, and not the unlisted or private ones', async () => {
      const listed = (await get('/communes')) as
        { handle: string }[] | { items: { handle: string }[] };
      const handles = (Array.isArray(listed) ? listed : listed.items).map((c) => c.handle).sort();
      const expected = DEMO_COMMUNES.filter((c) => c.visibility === 'public').map((c) => c.handle);
      assert.deepEqual(handles, expected.sort());
    });

    it('leaves proposals in every state and of every method', async () => {
      const seen: { status: string; method: string }[] = [];
      for (const c of DEMO_COMMUNES) {
        const page = await get(`/communes/${c.handle}/proposals?limit=200`, c.members[0]);
        seen.push(...page.items);
      }
      assert.deepEqual([...new Set(seen.map((p) => p.status))].sort(), [...STATUSES].sort());
      assert.deepEqual([...new Set(seen.map((p) => p.method))].sort(), [...METHODS].sort());
    });

    it('has talk with replies, balanced books with payments, and a delegation', async () => {
      const threads = await get('/communes/riverbank/threads', 'ada');
      const list = Array.isArray(threads) ? threads : threads.items;
      assert.ok(list.length >= 2);
      const thread = await get(`/threads/${list[0].id}`, 'ada');
      assert.ok(thread.comments.length >= 1);
      const ledger = await get('/communes/open_ledger/ledger', 'nia');
      assert.equal(ledger.sum, 0);
      assert.ok(ledger.accounts.some((a: { balance: number }) => a.balance !== 0));
      const limit = await get('/communes/open_ledger/proposals?status=passed', 'nia');
      assert.ok(
        limit.items.some(
          (p: { action: { type: string; executed: boolean } | null }) =>
            p.action?.type === 'set_credit_limit' && p.action.executed,
        ),
        'an executed action',
      );
      const delegations = await get('/communes/riverbank/delegations', 'femi');
      assert.ok(
        delegations.items.some(
          (d: { from: string; to: string }) => d.from === 'femi' && d.to === 'ada',
        ),
        '@femi delegates to @ada',
      );
    });

    it('allies communes through both decisions, with a payment across', async () => {
      const allies = await get('/communes/riverbank/alliances', 'ada');
      const tidewater = allies.find((a: { commune: string }) => a.commune === 'tidewater');
      assert.equal(tidewater?.status, 'active');
      assert.notEqual(tidewater.balance, 0, 'trade went across');
      const map = await get('/network');
      assert.ok(map.edges.length >= 2);
    });

    it('leaves applications waiting for their decision', async () => {
      const waiting = await get('/communes/riverbank/applications', 'ada');
      const list = Array.isArray(waiting) ? waiting : waiting.items;
      assert.ok(list.some((a: { handle: string }) => a.handle === 'yusuf'));
    });

    it('refuses to seed a second time', async () => {
      await assert.rejects(
        seedDemo(deps),
        (e) => e instanceof DemoError && /exists already/.test(e.message),
      );
    });
  });
}
