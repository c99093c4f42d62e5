import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import fc from 'fast-check';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { availableDatabases } from '../db/testing.ts';
import { charter, found, join } from './communes.fixtures.ts';
import { amendmentSchema, charterSchema, MAX_MEMBERS } from './communes.ts';
import { communesService } from './communes.service.ts';

describe('charter validation (property)', () => {
  const base = charter('prop');
  it('accepts every integer maxMembers in 2..150 and keeps it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: MAX_MEMBERS }), (n) => {
        const r = charterSchema.safeParse({ ...base, maxMembers: n });
        return r.success && r.data.maxMembers === n;
      }),
    );
  });
  it('rejects any maxMembers outside 2..150, non-integer or not a number, naming the field', () => {
    const bad = fc.oneof(
      fc.integer({ max: 1 }),
      fc.integer({ min: MAX_MEMBERS + 1 }),
      fc.double({ min: 2, max: MAX_MEMBERS, noInteger: true }),
      fc.double().filter((d) => !Number.isInteger(d)),
      fc.string(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.integer()),
    );
    fc.assert(
      fc.property(bad, (m) => {
        for (const schema of [charterSchema, amendmentSchema]) {
          const r = schema.safeParse(
            schema === charterSchema ? { ...base, maxMembers: m } : { maxMembers: m },
          );
          if (r.success || r.error.issues[0]?.path[0] !== 'maxMembers') return false;
        }
        return true;
      }),
    );
  });
  it('accepts exactly the handles of the pattern', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 40 }),
        (h) =>
          charterSchema.safeParse({ ...base, handle: h }).success === /^[a-z0-9_]{2,30}$/.test(h),
      ),
    );
  });
});

for (const { kind, skip } of await availableDatabases()) {
  describe(`communes on ${kind}`, { skip }, () => {
    let t: TestApp;
    let ana: string;
    let ben: string;
    before(async () => {
      t = await startTestApp(kind);
      ana = await t.person('ana', 'Ana');
      ben = await t.person('ben', 'Ben');
    });
    after(() => t.close());

    it('founds a commune with its creator as the only steward', async () => {
      // A founder of its own: other tests found communes with ana.
      const gia = await t.person('gia', 'Gia');
      const r = await t.post(
        '/api/v1/communes',
        charter('gardeners', {
          maxMembers: 40,
          agreements: ['Be kind'],
          tags: ['Food', 'food', 'soil'],
        }),
        gia,
      );
      assert.equal(r.status, 201);
      assert.deepEqual(
        { ...r.body, id: undefined, createdAt: undefined },
        {
          id: undefined,
          createdAt: undefined,
          handle: 'gardeners',
          name: 'Commune gardeners',
          vision: 'Growing food and trust together',
          category: 'social',
          tags: ['food', 'soil'],
          joinPolicy: 'open',
          visibility: 'public',
          maxMembers: 40,
          memberCount: 1,
          agreements: ['Be kind'],
          visionHtml: '<p>Growing food and trust together</p>\n',
          agreementsHtml: ['<p>Be kind</p>\n'],
          openBooks: false,
          openBallots: false,
          viewerRole: 'steward',
        },
      );
      const got = await t.get('/api/v1/communes/gardeners', ben);
      assert.equal(got.status, 200);
      assert.equal(got.body.memberCount, 1);
      assert.equal(got.body.viewerRole, null);
      assert.equal(got.body.createdAt, r.body.createdAt);
      const members = await t.get('/api/v1/communes/gardeners/members');
      assert.deepEqual(
        members.body.map((m: { handle: string; role: string; displayName: string }) => [
          m.handle,
          m.role,
          m.displayName,
        ]),
        [['gia', 'steward', 'Gia']],
      );
      const me = await t.get('/api/v1/me', gia);
      assert.deepEqual(me.body.communes, [{ handle: 'gardeners', role: 'steward' }]);
    });

    it('defaults maxMembers to 150 and lists to empty', async () => {
      const r = await t.post(
        '/api/v1/communes',
        {
          handle: 'defaults',
          name: 'D',
          vision: 'v',
          category: 'other',
          joinPolicy: 'open',
          visibility: 'public',
        },
        ana,
      );
      assert.equal(r.status, 201);
      assert.equal(r.body.maxMembers, 150);
      assert.deepEqual([r.body.tags, r.body.agreements], [[], []]);
    });

    it('answers 401 to the anonymous and 409 handle_taken for people and communes alike', async () => {
      assert.equal((await t.post('/api/v1/communes', charter('nobody'))).status, 401);
      await found(t, ana, 'taken');
      for (const handle of ['ben', 'taken']) {
        const r = await t.post('/api/v1/communes', charter(handle), ana);
        assert.equal(r.status, 409);
        assert.equal(r.body.error.code, 'handle_taken');
      }
      // And a person cannot take a commune's handle.
      const p = await t.post('/api/v1/accounts', {
        handle: 'taken',
        password: 'long enough password',
      });
      assert.equal(p.status, 409);
    });

    it('rejects bad input with 400 naming the field', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ handle: 'Bad Handle' }, 'handle'],
        [{ handle: 'x' }, 'handle'],
        [{ handle: 'a'.repeat(31) }, 'handle'],
        [{ handle: 42 }, 'handle'],
        [{ name: undefined }, 'name'],
        [{ name: 7 }, 'name'],
        [{ vision: '' }, 'vision'],
        [{ category: 'sports' }, 'category'],
        [{ joinPolicy: 'lottery' }, 'joinPolicy'],
        [{ visibility: 'secret' }, 'visibility'],
        [{ maxMembers: 151 }, 'maxMembers'],
        [{ maxMembers: 1 }, 'maxMembers'],
        [{ maxMembers: 2.5 }, 'maxMembers'],
        [{ maxMembers: '20' }, 'maxMembers'],
        [{ tags: 'food' }, 'tags'],
        [{ tags: [1] }, 'tags.0'],
        [{ agreements: [''] }, 'agreements.0'],
      ];
      for (const [patch, field] of cases) {
        const r = await t.post('/api/v1/communes', charter('valid_handle', patch), ana);
        assert.equal(r.status, 400, JSON.stringify(patch));
        assert.equal(r.body.error.code, 'invalid_input');
        assert.equal(r.body.error.field, field, JSON.stringify(patch));
      }
      const malformed = await t.post('/api/v1/communes', '{"handle": ', ana);
      assert.deepEqual([malformed.status, malformed.body.error.code], [400, 'malformed_json']);
      assert.equal((await t.get('/api/v1/communes/valid_handle')).status, 404);
    });

    it('stores SQL, script, Unicode and emoji text unchanged', async () => {
      await found(t, ana, 'survivor');
      const name = "Robert'); DROP TABLE communes;--";
      const vision = '<script>alert("x")</script> 🌱 Zusammen — 共同体 ￼ \u202e';
      const r = await t.post(
        '/api/v1/communes',
        charter('strange', { name, vision, tags: ['🌱', "o'clock"], agreements: ['%_\\'] }),
        ana,
      );
      assert.equal(r.status, 201);
      const got = await t.get('/api/v1/communes/strange');
      assert.deepEqual(
        [got.body.name, got.body.vision, got.body.tags, got.body.agreements],
        [name, vision, ['🌱', "o'clock"], ['%_\\']],
      );
      assert.match(got.headers.get('content-type') ?? '', /application\/json/);
      const byTag = await t.get(`/api/v1/communes?tag=${encodeURIComponent('🌱')}`);
      assert.deepEqual(
        byTag.body.items.map((c: { handle: string }) => c.handle),
        ['strange'],
      );
      const bySql = await t.get(`/api/v1/communes?q=${encodeURIComponent("'); DROP")}`);
      assert.deepEqual(
        bySql.body.items.map((c: { handle: string }) => c.handle),
        ['strange'],
      );
      assert.equal((await t.get('/api/v1/communes/survivor')).status, 200);
    });

    it('never answers 5xx to hostile input (NUL, odd JSON, huge values)', async () => {
      await found(t, ana, 'target');
      const nul = 'a\u0000b';
      const cursor = Buffer.from(JSON.stringify([nul, 'b'])).toString('base64url');
      const requests: [string, () => ReturnType<TestApp['call']>][] = [
        ['NUL name', () => t.post('/api/v1/communes', charter('nul_name', { name: nul }), ana)],
        [
          'NUL vision',
          () => t.post('/api/v1/communes', charter('nul_vision', { vision: nul }), ana),
        ],
        ['NUL tag', () => t.post('/api/v1/communes', charter('nul_tag', { tags: [nul] }), ana)],
        [
          'NUL agreement',
          () => t.post('/api/v1/communes', charter('nul_agreement', { agreements: [nul] }), ana),
        ],
        [
          'NUL amendment',
          () =>
            t.post(
              '/api/v1/communes/target/proposals',
              { title: 'Amend', action: { type: 'amend_charter', params: { vision: nul } } },
              ana,
            ),
        ],
        ['NUL path', () => t.get('/api/v1/communes/a%00b')],
        ['NUL q', () => t.get('/api/v1/communes?q=a%00b')],
        ['NUL tag query', () => t.get('/api/v1/communes?tag=a%00b')],
        ['NUL cursor', () => t.get(`/api/v1/communes?before=${cursor}`)],
        [
          'NUL applications cursor',
          () => t.get('/api/v1/communes/target/applications?before=a%00b', ana),
        ],
        [
          'NUL message',
          () =>
            t.post(
              '/api/v1/communes/target/applications',
              { acceptAgreements: true, message: nul },
              ben,
            ),
        ],
        [
          'NUL invite code',
          () =>
            t.post(
              '/api/v1/communes/target/applications',
              { acceptAgreements: true, inviteCode: nul },
              ben,
            ),
        ],
        [
          'NUL application id',
          () => t.post('/api/v1/communes/target/applications/a%00b/approve', undefined, ana),
        ],
        ['array body', () => t.post('/api/v1/communes', '[]', ana)],
        ['null body', () => t.post('/api/v1/communes', 'null', ana)],
        ['string body', () => t.post('/api/v1/communes', '"commune"', ana)],
        ['proto body', () => t.post('/api/v1/communes', '{"__proto__": {"handle": "x"}}', ana)],
        [
          'huge vision',
          () => t.post('/api/v1/communes', charter('huge', { vision: 'x'.repeat(50_000) }), ana),
        ],
        ['huge limit', () => t.get('/api/v1/communes?limit=1e309')],
        [
          'huge maxMembers',
          () =>
            t.post(
              '/api/v1/communes',
              JSON.stringify(charter('huge_max', { maxMembers: 0 })).replace(
                '"maxMembers":0',
                '"maxMembers":1e309',
              ),
              ana,
            ),
        ],
      ];
      for (const [label, send] of requests) {
        const r = await send();
        assert.ok(r.status >= 400 && r.status < 500, `${label}: ${r.status}`);
        assert.equal(typeof r.body.error.code, 'string', label);
      }
      assert.equal(
        (await t.get('/api/v1/communes/target')).body.vision,
        'Growing food and trust together',
      );
    });

    describe('listing', () => {
      let cy: string;
      before(async () => {
        cy = await t.person('cy');
        await found(t, cy, 'list_b', {
          name: 'Beta Bees',
          category: 'political',
          tags: ['bees', 'honey'],
          vision: 'Pollinators',
        });
        await found(t, cy, 'list_a', {
          name: 'alpha Acorns',
          category: 'spiritual',
          tags: ['trees'],
          vision: 'Forest 100% wild',
        });
        await found(t, cy, 'list_c', {
          name: 'Cedar Circle',
          category: 'political',
          tags: ['trees'],
          vision: 'Woodworking',
        });
        await found(t, cy, 'list_hidden', { name: 'Aardvark Hideout', visibility: 'private' });
        await found(t, cy, 'list_unlisted', { name: 'Aardvark Unlisted', visibility: 'unlisted' });
      });
      const handles = (r: { body: { items: { handle: string }[] } }) =>
        r.body.items.map((c) => c.handle).filter((h) => h.startsWith('list_'));

      it('shows public communes by name (case-insensitive), plus the caller’s own', async () => {
        assert.deepEqual(handles(await t.get('/api/v1/communes')), ['list_a', 'list_b', 'list_c']);
        assert.deepEqual(handles(await t.get('/api/v1/communes', ana)), [
          'list_a',
          'list_b',
          'list_c',
        ]);
        const own = await t.get('/api/v1/communes', cy);
        assert.deepEqual(handles(own), [
          'list_hidden',
          'list_unlisted',
          'list_a',
          'list_b',
          'list_c',
        ]);
        assert.equal(
          own.body.items.find((c: { handle: string }) => c.handle === 'list_hidden').viewerRole,
          'steward',
        );
      });

      it('filters by q over name, handle and vision, by tag and by category', async () => {
        assert.deepEqual(handles(await t.get('/api/v1/communes?q=BEES')), ['list_b']);
        assert.deepEqual(handles(await t.get('/api/v1/communes?q=list_c')), ['list_c']);
        assert.deepEqual(handles(await t.get('/api/v1/communes?q=woodWORK')), ['list_c']);
        assert.deepEqual(handles(await t.get('/api/v1/communes?q=100%25')), ['list_a']);
        assert.deepEqual(handles(await t.get('/api/v1/communes?q=_')), [
          'list_a',
          'list_b',
          'list_c',
        ]);
        assert.deepEqual(handles(await t.get('/api/v1/communes?q=%25%25')), []);
        assert.deepEqual(handles(await t.get('/api/v1/communes?tag=Trees')), ['list_a', 'list_c']);
        assert.deepEqual(handles(await t.get('/api/v1/communes?category=political')), [
          'list_b',
          'list_c',
        ]);
        assert.deepEqual(handles(await t.get('/api/v1/communes?category=political&tag=trees')), [
          'list_c',
        ]);
        assert.deepEqual(handles(await t.get('/api/v1/communes?q=Hideout')), []);
        assert.deepEqual(handles(await t.get('/api/v1/communes?q=Hideout', cy)), ['list_hidden']);
      });

      it('pages with ?limit and ?before without skipping or repeating', async () => {
        const seen: string[] = [];
        let next: string | null = null;
        let pages = 0;
        do {
          const r = await t.get(
            `/api/v1/communes?q=list_&limit=2${next ? `&before=${next}` : ''}`,
            cy,
          );
          assert.equal(r.status, 200);
          assert.ok(r.body.items.length <= 2);
          seen.push(...r.body.items.map((c: { handle: string }) => c.handle));
          next = r.body.next;
          pages += 1;
        } while (next && pages < 10);
        assert.deepEqual(seen, ['list_hidden', 'list_unlisted', 'list_a', 'list_b', 'list_c']);
        assert.equal(pages, 3);
      });

      it('leaves out the communes the caller filtered, paging full pages around them', async () => {
        const filter = await t.post(
          '/api/v1/me/filters',
          { kind: 'commune', value: 'list_b' },
          ana,
        );
        assert.equal(filter.status, 201);
        assert.deepEqual(handles(await t.get('/api/v1/communes', ana)), ['list_a', 'list_c']);
        assert.deepEqual(handles(await t.get('/api/v1/communes?category=political', ana)), [
          'list_c',
        ]);
        // Filters are the caller's own: others and the anonymous still see it.
        assert.deepEqual(handles(await t.get('/api/v1/communes')), ['list_a', 'list_b', 'list_c']);
        assert.deepEqual(handles(await t.get('/api/v1/communes', cy)), [
          'list_hidden',
          'list_unlisted',
          'list_a',
          'list_b',
          'list_c',
        ]);
        // One a page: the filtered commune neither shows nor leaves a short page behind.
        const pages: { items: string[]; next: boolean }[] = [];
        let next: string | null = null;
        do {
          const r = await t.get(
            `/api/v1/communes?q=list_&limit=1${next ? `&before=${next}` : ''}`,
            ana,
          );
          assert.equal(r.status, 200);
          pages.push({ items: handles(r), next: r.body.next !== null });
          next = r.body.next;
        } while (next && pages.length < 5);
        assert.deepEqual(pages, [
          { items: ['list_a'], next: true },
          { items: ['list_c'], next: false },
        ]);
        // A member's own commune goes too when they filter it, and comes back with the filter gone.
        const own = await t.post(
          '/api/v1/me/filters',
          { kind: 'commune', value: 'list_hidden' },
          cy,
        );
        assert.deepEqual(handles(await t.get('/api/v1/communes', cy)), [
          'list_unlisted',
          'list_a',
          'list_b',
          'list_c',
        ]);
        assert.equal((await t.del(`/api/v1/me/filters/${own.body.id}`, cy)).status, 204);
        assert.equal((await t.del(`/api/v1/me/filters/${filter.body.id}`, ana)).status, 204);
        assert.deepEqual(handles(await t.get('/api/v1/communes', ana)), [
          'list_a',
          'list_b',
          'list_c',
        ]);
      });

      it('rejects bad list queries with 400', async () => {
        for (const [query, field] of [
          ['category=sports', 'category'],
          ['limit=0', 'limit'],
          ['limit=201', 'limit'],
          ['limit=x', 'limit'],
          ['before=nonsense', 'before'],
        ]) {
          const r = await t.get(`/api/v1/communes?${query}`);
          assert.equal(r.status, 400, query);
          assert.equal(r.body.error.field, field);
        }
      });
    });

    describe('amending the charter', () => {
      // Each test amends a commune of its own (dee's, with ben), as founded.
      let dee: string;
      let amended: { id: string };
      let h: string;
      let n = 0;
      before(async () => {
        dee = await t.person('dee');
      });
      beforeEach(async () => {
        h = `amended${(n += 1)}`;
        amended = await found(t, dee, h, { maxMembers: 3 });
        await join(t, ben, h);
      });
      const propose = (token: string, params: unknown) =>
        t.post(
          `/api/v1/communes/${h}/proposals`,
          { title: 'Amend the charter', action: { type: 'amend_charter', params } },
          token,
        );

      it('answers PUT with 422 decision_required, even to a steward, and changes nothing', async () => {
        for (const token of [dee, ben]) {
          const r = await t.put(`/api/v1/communes/${h}`, { name: 'Renamed alone' }, token);
          assert.deepEqual([r.status, r.body.error.code], [422, 'decision_required']);
          assert.match(r.body.error.message, /amend_charter/);
        }
        assert.equal((await t.put(`/api/v1/communes/${h}`, { name: 'x' })).status, 401);
        assert.equal((await t.put(`/api/v1/communes/${h}`, { name: 'x' }, ana)).status, 403);
        assert.equal((await t.put('/api/v1/communes/nowhere', { name: 'x' }, dee)).status, 404);
        assert.equal((await t.get(`/api/v1/communes/${h}`)).body.name, `Commune ${h}`);
      });

      it('changes the named fields, and keeps the rest, once the members agree on an amend_charter proposal', async () => {
        const p = await propose(dee, {
          name: 'Amended',
          tags: ['new'],
          joinPolicy: 'application',
          maxMembers: 2,
        });
        assert.equal(p.status, 201, JSON.stringify(p.body));
        assert.equal(p.body.method, 'consensus');
        assert.equal(
          (await t.post(`/api/v1/proposals/${p.body.id}/votes`, { position: 'agree' }, dee)).body
            .status,
          'open',
        );
        assert.equal(
          (await t.get(`/api/v1/communes/${h}`)).body.name,
          `Commune ${h}`,
          'nothing changes before it passes',
        );
        const passed = await t.post(
          `/api/v1/proposals/${p.body.id}/votes`,
          { position: 'agree' },
          ben,
        );
        assert.deepEqual([passed.body.status, passed.body.action.executed], ['passed', true]);
        const r = await t.get(`/api/v1/communes/${h}`);
        assert.deepEqual(
          [
            r.body.name,
            r.body.tags,
            r.body.joinPolicy,
            r.body.maxMembers,
            r.body.vision,
            r.body.handle,
          ],
          ['Amended', ['new'], 'application', 2, 'Growing food and trust together', h],
        );
      });

      it('refuses bad fields when proposed (400) and maxMembers below the members already in when run (422)', async () => {
        for (const params of [
          {},
          { handle: 'renamed' },
          { maxMembers: 151 },
          { maxMembers: 1 },
          { category: 'sports' },
        ]) {
          const r = await propose(dee, params);
          assert.equal(r.status, 400, JSON.stringify(params));
        }
        const svc = communesService(t.deps);
        const below = await svc.amendCharter(amended.id, { maxMembers: 1, name: 'Not applied' });
        assert.deepEqual(!below.ok && [below.error.code, below.error.field], [
          'max_members_below_count',
          'maxMembers',
        ]);
        const applied = await svc.amendCharter(amended.id, {
          maxMembers: 3,
          visibility: 'unlisted',
        });
        assert.deepEqual(
          applied.ok && [applied.value.name, applied.value.maxMembers, applied.value.visibility],
          [`Commune ${h}`, 3, 'unlisted'],
        );
      });
    });

    it('exposes access() and accessById() for other contexts, hiding private communes', async () => {
      const svc = communesService(t.deps);
      const cyId = (await t.get('/api/v1/me', await t.person('eve'))).body.id as string;
      const secret = await found(t, ana, 'access_secret', { visibility: 'private' });
      const anaId = (await t.get('/api/v1/me', ana)).body.id as string;
      const own = await svc.access('access_secret', anaId);
      assert.deepEqual(own.ok && own.value, {
        communeId: secret.id,
        handle: 'access_secret',
        visibility: 'private',
        role: 'steward',
        open: { books: false, ballots: false },
      });
      for (const viewer of [cyId, null]) {
        assert.equal((await svc.access('access_secret', viewer)).ok, false);
        const byId = await svc.accessById(secret.id, viewer);
        assert.deepEqual(!byId.ok && byId.error.type, 'not_found');
      }
      const pub = await svc.accessById((await found(t, ana, 'access_public')).id, null);
      assert.deepEqual(pub.ok && pub.value.role, null);
      assert.equal((await svc.access('no_such', anaId)).ok, false);
    });
  });
}
