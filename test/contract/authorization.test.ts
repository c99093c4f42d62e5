import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { found, join } from '../../src/communes/communes.fixtures.ts';
import { availableDatabases } from '../../src/db/testing.ts';
import type { Access } from '../../src/http/declare.ts';
import { startTestApp, type TestApp } from '../support/app.ts';

// The authorization matrix, generated from the document: every operation's x-commune-access
// says who may call it, and each caller × visibility cell is checked against the answer the
// access rule (src/communes/permit.ts) promises. A new route cannot be left out: one without
// x-commune-access fails below.

type Caller = 'anonymous' | 'outsider' | 'member' | 'steward';
const CALLERS: readonly Caller[] = ['anonymous', 'outsider', 'member', 'steward'];
const HANDLES: Record<Exclude<Caller, 'anonymous'>, string> = {
  steward: 'mx_stew',
  member: 'mx_memb',
  outsider: 'mx_outs',
};
type Visibility = 'public' | 'private';
/** `stream`: the operation answers an event stream, read for its status only. */
type Operation = { method: string; path: string; access: Access | undefined; stream: boolean };

/** What the rule promises: a refusal (status and code), or 'allowed' (anything but a refusal). */
type Expected = { status: 401 | 403 | 404; code: string } | 'allowed';
const anonymous: Expected = { status: 401, code: 'not_signed_in' };
const membersOnly: Expected = { status: 403, code: 'members_only' };
const stewardsOnly: Expected = { status: 403, code: 'stewards_only' };
/** The access rule's 403s; other 403 codes are a route's own rules. */
const ACCESS_REFUSALS = new Set(['members_only', 'stewards_only', 'csrf_token_invalid']);

/**
 * Whether the commune opened its books and named ballots (change_governance openBooks,
 * openBallots): routes needing 'books' or 'ballots' are checked under both settings.
 */
type Disclosure = 'closed' | 'open';
const DISCLOSED_NEEDS = new Set(['books', 'ballots']);

export function expectedFor(
  access: Access,
  visibility: Visibility,
  caller: Caller,
  disclosure: Disclosure = 'closed',
): Expected {
  if (access === 'public') return 'allowed';
  if (access === 'signed_in') return caller === 'anonymous' ? anonymous : 'allowed';
  const inside = caller === 'member' || caller === 'steward';
  // A route naming a thing of the commune answers as if the thing were missing.
  if (visibility === 'private' && !inside)
    return { status: 404, code: access.hiddenAs ?? 'not_found' };
  switch (access.commune) {
    case 'visitor':
      return 'allowed';
    case 'signed_in':
      return caller === 'anonymous' ? anonymous : 'allowed';
    case 'books':
    case 'ballots':
      if (disclosure === 'open') return 'allowed';
      return caller === 'anonymous' ? anonymous : inside ? 'allowed' : membersOnly;
    case 'member':
      return caller === 'anonymous' ? anonymous : inside ? 'allowed' : membersOnly;
    case 'steward':
      // permit() asks a signed-in caller for the role the route needs: stewards_only.
      return caller === 'anonymous' ? anonymous : caller === 'steward' ? 'allowed' : stewardsOnly;
  }
}

// Operations that end the session they are called with: each cell signs in afresh for them.
const ENDS_SESSION = new Set(['DELETE /api/v1/sessions/current']);

// A valid body where the route needs one to reach its access decision (joining reads the invite).
const SAMPLES: Record<string, unknown> = {
  '/api/v1/communes/{c}/applications': { acceptAgreements: true },
  '/api/v1/communes/{c}/transfers': {
    id: '0190f5c4-6b1e-7c3d-8a2b-000000000001',
    to: 'purse',
    amount: 1,
  },
};

for (const { kind, skip } of await availableDatabases()) {
  describe(`authorization matrix from the OpenAPI document on ${kind}`, { skip }, () => {
    let t: TestApp;
    let operations: Operation[] = [];
    const tokens: Partial<Record<Caller, string>> = {};
    before(async () => {
      t = await startTestApp(kind);
      const doc = (await t.get('/api/openapi.json')).body as {
        paths: Record<
          string,
          Record<
            string,
            {
              'x-commune-access'?: Access;
              responses?: Record<string, { content?: Record<string, unknown> }>;
            }
          >
        >;
      };
      operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.entries(ops).map(([method, op]) => ({
          method: method.toUpperCase(),
          path,
          access: op['x-commune-access'],
          stream: op.responses?.['200']?.content?.['text/event-stream'] !== undefined,
        })),
      );
      for (const [caller, handle] of Object.entries(HANDLES))
        tokens[caller as Caller] = await t.person(handle);
    });
    after(() => t.close());

    it('knows who may call every operation', () => {
      const unknown = operations
        .filter((op) => op.access === undefined)
        .map((op) => `${op.method} ${op.path}`);
      assert.deepEqual(unknown, [], 'operations without x-commune-access (use declareRoute)');
      assert.ok(operations.filter((op) => op.access !== undefined).length >= 8);
    });

    async function signIn(caller: Exclude<Caller, 'anonymous'>): Promise<string> {
      const handle = HANDLES[caller];
      const r = await t.post('/api/v1/sessions', { handle, password: `password-of-${handle}` });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body.token as string;
    }

    /** A fresh open commune per operation, so that one cell's writes (leaving) change no other's. */
    let n = 0;
    async function communeFor(visibility: Visibility, disclosure: Disclosure) {
      const handle = `mx_${visibility.slice(0, 3)}_${n++}`;
      await found(t, tokens.steward!, handle, { visibility });
      const invite = await t.post(`/api/v1/communes/${handle}/invites`, undefined, tokens.steward);
      const joined = await join(t, tokens.member, handle, { inviteCode: invite.body.code });
      assert.equal(joined.body.status, 'member', JSON.stringify(joined.body));
      if (disclosure === 'open') await openBooksAndBallots(handle);
      return handle;
    }

    /** The one way to open them: a change_governance proposal both members agree to. */
    async function openBooksAndBallots(handle: string) {
      const made = await t.post(
        `/api/v1/communes/${handle}/proposals`,
        {
          title: 'Open our books and ballots',
          action: { type: 'change_governance', openBooks: true, openBallots: true },
        },
        tokens.steward,
      );
      assert.equal(made.status, 201, JSON.stringify(made.body));
      for (const caller of ['steward', 'member'] as const) {
        const voted = await t.post(
          `/api/v1/proposals/${made.body.id}/votes`,
          { position: 'agree' },
          tokens[caller],
        );
        assert.equal(voted.status, 201, JSON.stringify(voted.body));
      }
      const governance = await t.get(`/api/v1/communes/${handle}/governance`, tokens.steward);
      assert.deepEqual(
        [governance.body.openBooks, governance.body.openBallots],
        [true, true],
        JSON.stringify(governance.body),
      );
    }

    /**
     * Routes that name a thing of a commune rather than the commune (x-commune-access with
     * hiddenAs): the matrix makes one in the commune, since the thing is how the route finds it.
     */
    const THINGS: Record<string, (handle: string) => Promise<string>> = {
      '/api/v1/threads/{id}': async (handle) => {
        const made = await t.post(
          `/api/v1/communes/${handle}/threads`,
          { title: 'Matrix', body: 'A thread to find the commune by' },
          tokens.steward,
        );
        assert.equal(made.status, 201, JSON.stringify(made.body));
        return made.body.id as string;
      },
      '/api/v1/comments/{id}': async (handle) => {
        const thread = await t.post(
          `/api/v1/communes/${handle}/threads`,
          { title: 'Matrix', body: 'A thread for a comment' },
          tokens.steward,
        );
        assert.equal(thread.status, 201, JSON.stringify(thread.body));
        const made = await t.post(
          `/api/v1/threads/${thread.body.id}/comments`,
          { body: 'A comment to find the commune by' },
          tokens.steward,
        );
        assert.equal(made.status, 201, JSON.stringify(made.body));
        return made.body.id as string;
      },
      '/api/v1/proposals/{id}': async (handle) => {
        const made = await t.post(
          `/api/v1/communes/${handle}/proposals`,
          {
            title: 'Matrix',
            method: 'consent',
            closesAt: new Date(Date.now() + 86_400_000).toISOString(),
          },
          tokens.steward,
        );
        assert.equal(made.status, 201, JSON.stringify(made.body));
        return made.body.id as string;
      },
    };

    async function urlFor(op: Operation, handle: string): Promise<string> {
      const thing = Object.entries(THINGS).find(([prefix]) => op.path.startsWith(prefix));
      // Other ids name nothing: a route may answer its own 404 (transfer_not_found), never a refusal.
      const id = thing ? await thing[1](handle) : '0190f5c4-6b1e-7c3d-8a2b-123456789abc';
      const url = op.path
        .replace('{c}', handle)
        .replace('{id}', id)
        .replace('{owner}', 'purse')
        .replace('{handle}', HANDLES.member)
        .replace('{n}', '1')
        .replace('{sha256}', 'a'.repeat(64));
      const left = url.match(/\{\w+\}/);
      if (left)
        throw new Error(`${op.method} ${op.path}: give the matrix a fixture for ${left[0]}`);
      return url;
    }

    /** An event stream never ends: its status and error body are what the matrix reads. */
    async function follow(url: string, token?: string) {
      const res = await t.app.request(url, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
      if (res.status === 200) {
        await res.body?.cancel();
        return { status: 200, body: null };
      }
      return { status: res.status, body: await res.json() };
    }

    it('answers every declared operation as its x-commune-access says', async () => {
      let checked = 0;
      for (const op of operations) {
        if (op.access === undefined) continue;
        const disclosures: Disclosure[] =
          typeof op.access === 'object' && DISCLOSED_NEEDS.has(op.access.commune)
            ? ['closed', 'open']
            : ['closed'];
        for (const [visibility, disclosure] of (['public', 'private'] as const).flatMap((v) =>
          disclosures.map((d) => [v, d] as const),
        )) {
          const handle = await communeFor(visibility, disclosure);
          const url = await urlFor(op, handle);
          for (const caller of CALLERS) {
            const token =
              caller === 'anonymous'
                ? undefined
                : ENDS_SESSION.has(`${op.method} ${op.path}`)
                  ? await signIn(caller)
                  : tokens[caller];
            const body =
              op.method === 'GET' || op.method === 'DELETE' ? undefined : (SAMPLES[op.path] ?? {});
            const r = op.stream
              ? await follow(url, token)
              : await t.call(op.method, url, body, token);
            const cell = `${op.method} ${op.path} on a ${visibility} commune (${disclosure} books and ballots) as ${caller}`;
            assert.notEqual(r.status, 500, `${cell}: ${JSON.stringify(r.body)}`);
            const access = op.access;
            const expected = expectedFor(access, visibility, caller, disclosure);
            if (expected === 'allowed') {
              const hiddenAs = typeof access === 'object' ? access.hiddenAs : undefined;
              // A route's own 403 (author_or_steward) is its logic speaking, not the access rule.
              const code = r.body?.error?.code;
              const refused =
                r.status === 401 ||
                (r.status === 403 && ACCESS_REFUSALS.has(code)) ||
                (r.status === 404 && (code === 'not_found' || code === hiddenAs));
              assert.ok(!refused, `${cell}: refused with ${r.status} ${JSON.stringify(r.body)}`);
            } else {
              assert.equal(r.status, expected.status, `${cell}: ${JSON.stringify(r.body)}`);
              assert.equal(r.body.error.code, expected.code, cell);
            }
            checked += 1;
          }
        }
      }
      assert.ok(checked > 0);
    });
  });
}
