import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../../test/support/wait.ts';
import { availableDatabases } from '../db/testing.ts';
import {
  childServer,
  http,
  seedCommune,
  seededDatabase,
  uuid,
  type Seeded,
} from './ledger.fixtures.ts';

// A server stopped (SIGTERM) while single transfers wait for their group, their clients
// having hung up: it finishes them before it closes the database, logs no failure, and
// exits cleanly; every transfer is either all there or not at all.
const MEMBERS = ['sa', 'sb', 'sc'];
const SENT = 300;

for (const { kind, skip } of await availableDatabases()) {
  describe(`ledger shutdown on ${kind}`, { skip }, () => {
    let db: Seeded;
    let tokens: Map<string, string>;

    before(async () => {
      db = await seededDatabase(kind);
      tokens = await seedCommune(db, 'stopping', MEMBERS, { sa: 1e6, sb: 1e6, sc: 1e6 });
    });
    after(() => db?.close());

    it('answers queued transfers before closing the database', async () => {
      const server = await childServer(db.url);
      const hangUp = new AbortController();
      let answered = 0;
      const sent = Array.from({ length: SENT }, (_, i) => {
        const from = MEMBERS[i % 3]!;
        return fetch(`${server.url}/api/v1/communes/stopping/transfers`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${tokens.get(from)}`,
          },
          body: JSON.stringify({ id: uuid(), to: MEMBERS[(i + 1) % 3], amount: 1 }),
          signal: hangUp.signal,
        }).then(
          (r) => {
            answered += 1;
            return r.status;
          },
          () => 'hung up',
        );
      });
      // Once the server writes its first groups, the rest are queued or being read.
      await waitFor(() => answered > 0, { timeoutMs: 60_000, message: 'a first answer' });
      hangUp.abort();
      server.child.kill('SIGTERM');
      await server.exited;
      const statuses = await Promise.all(sent);
      assert.deepEqual(
        statuses.filter((s) => s !== 'hung up' && s !== 201),
        [],
      );
      assert.equal(server.child.exitCode, 0, server.output());
      assert.doesNotMatch(server.output(), /destroyed|unhandled error|"level":50/);

      const second = await childServer(db.url);
      try {
        const audit = await http(
          second.url,
          'GET',
          '/api/v1/communes/stopping/ledger/audit',
          undefined,
          tokens.get('sa'),
        );
        assert.deepEqual([audit.status, audit.body.problems, audit.body.sum], [200, [], 0]);
      } finally {
        await second.stop();
      }
    });
  });
}
