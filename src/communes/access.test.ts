import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { availableDatabases } from '../db/testing.ts';
import { found, join } from './communes.fixtures.ts';
import { communesService } from './communes.service.ts';

type Caller = 'anonymous' | 'outsider' | 'member' | 'steward';
type Visibility = 'public' | 'private';

// Expected status per route, caller and visibility. Private communes are 404 to everyone outside.
const matrix: Record<string, Record<Visibility, Record<Caller, number>>> = {
  'GET commune': {
    public: { anonymous: 200, outsider: 200, member: 200, steward: 200 },
    private: { anonymous: 404, outsider: 404, member: 200, steward: 200 },
  },
  'GET members': {
    public: { anonymous: 200, outsider: 200, member: 200, steward: 200 },
    private: { anonymous: 404, outsider: 404, member: 200, steward: 200 },
  },
  'GET applications': {
    public: { anonymous: 401, outsider: 403, member: 200, steward: 200 },
    private: { anonymous: 404, outsider: 404, member: 200, steward: 200 },
  },
  'POST invites': {
    public: { anonymous: 401, outsider: 403, member: 201, steward: 201 },
    private: { anonymous: 404, outsider: 404, member: 201, steward: 201 },
  },
  // Admission is decided by an admit_member proposal: the old steward shortcuts say so (422).
  'POST approve': {
    public: { anonymous: 401, outsider: 403, member: 422, steward: 422 },
    private: { anonymous: 404, outsider: 404, member: 422, steward: 422 },
  },
  'POST reject': {
    public: { anonymous: 401, outsider: 403, member: 422, steward: 422 },
    private: { anonymous: 404, outsider: 404, member: 422, steward: 422 },
  },
  // Charter changes are amend_charter proposals: PUT says so to members, stewards included.
  'PUT commune': {
    public: { anonymous: 401, outsider: 403, member: 422, steward: 422 },
    private: { anonymous: 404, outsider: 404, member: 422, steward: 422 },
  },
  'POST applications': {
    public: { anonymous: 401, outsider: 201, member: 409, steward: 409 },
    private: { anonymous: 404, outsider: 404, member: 409, steward: 409 },
  },
  // The last steward may leave too: the member who stays becomes steward.
  'DELETE members/me': {
    public: { anonymous: 401, outsider: 404, member: 204, steward: 204 },
    private: { anonymous: 404, outsider: 404, member: 204, steward: 204 },
  },
};

for (const { kind, skip } of await availableDatabases()) {
  describe(`authorization matrix on ${kind}`, { skip }, () => {
    let t: TestApp;
    const tokens: Partial<Record<Caller, string>> = {};
    let applicants: string[] = [];
    before(async () => {
      t = await startTestApp(kind);
      tokens.steward = await t.person('stew');
      tokens.member = await t.person('memb');
      tokens.outsider = await t.person('outs');
      applicants = [];
      for (let i = 0; i < 8; i += 1) applicants.push(await t.person(`applicant${i}`));
    });
    after(() => t.close());

    /**
     * A fresh commune per cell, so that writes in one cell cannot change another's answer:
     * a steward, a member (invited while it was invite-only), and one pending application
     * filed while it was public. Charter changes go through the service, as a passed proposal would.
     */
    async function communeFor(visibility: Visibility, n: number) {
      const handle = `${visibility.slice(0, 3)}_${n}`;
      const { id } = await found(t, tokens.steward!, handle, {
        joinPolicy: 'invite',
        visibility: 'public',
      });
      const { code } = (
        await t.post(`/api/v1/communes/${handle}/invites`, undefined, tokens.steward)
      ).body;
      assert.equal(
        (await join(t, tokens.member, handle, { inviteCode: code })).body.status,
        'member',
      );
      const charter = communesService(t.deps);
      assert.ok((await charter.amendCharter(id, { joinPolicy: 'application' })).ok);
      const applied = await join(t, applicants[n % applicants.length], handle);
      assert.equal(applied.body.status, 'pending');
      if (visibility === 'private') assert.ok((await charter.amendCharter(id, { visibility })).ok);
      return { handle, applicationId: applied.body.id as string };
    }

    let cell = 0;
    for (const [route, byVisibility] of Object.entries(matrix)) {
      for (const visibility of ['public', 'private'] as const) {
        for (const caller of ['anonymous', 'outsider', 'member', 'steward'] as const) {
          const expected = byVisibility[visibility][caller];
          it(`${route} on a ${visibility} commune as ${caller} → ${expected}`, async () => {
            const n = cell++;
            const { handle, applicationId: pendingId } = await communeFor(visibility, n);
            const token = caller === 'anonymous' ? undefined : tokens[caller];
            const base = `/api/v1/communes/${handle}`;
            const r = await (async () => {
              switch (route) {
                case 'GET commune':
                  return t.get(base, token);
                case 'GET members':
                  return t.get(`${base}/members`, token);
                case 'GET applications':
                  return t.get(`${base}/applications`, token);
                case 'POST invites':
                  return t.post(`${base}/invites`, undefined, token);
                case 'POST approve':
                  return t.post(`${base}/applications/${pendingId}/approve`, undefined, token);
                case 'POST reject':
                  return t.post(`${base}/applications/${pendingId}/reject`, undefined, token);
                case 'PUT commune':
                  return t.put(base, { name: 'Renamed' }, token);
                case 'POST applications':
                  return join(t, token, handle);
                case 'DELETE members/me':
                  return t.del(`${base}/members/me`, token);
                default:
                  throw new Error(route);
              }
            })();
            assert.equal(r.status, expected, JSON.stringify(r.body));
            // Hidden looks exactly like absent.
            if (visibility === 'private' && expected === 404)
              assert.deepEqual(r.body, {
                error: { code: 'not_found', message: 'Commune not found' },
              });
            if (route === 'GET commune' && expected === 200) {
              assert.equal(
                r.body.viewerRole,
                caller === 'steward' ? 'steward' : caller === 'member' ? 'member' : null,
              );
            }
          });
        }
      }
    }
  });
}
