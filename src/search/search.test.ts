import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { found, join } from '../communes/communes.fixtures.ts';
import type { ItemVisibility } from '../db/schema.inventory.ts';
import { availableDatabases } from '../db/testing.ts';
import { parseQuery, toFts5, toWebsearch } from './query.ts';
import { searchAll, seedItem, tombstone } from './search.fixtures.ts';
import { PUBLIC_ROWIDS } from '../db/migrations/0020_search_scope.ts';
import { PUBLIC_SCOPE, communeScope, searchView } from './search.view.ts';

// The permission matrix of search, walked page by page: for each reader, the union of all
// pages is exactly what a model of the rules says they may see (nothing leaks, nothing is
// missing), no hit comes twice, and every page but the last is full.

type Doc = {
  id: string;
  type: 'item' | 'thread' | 'comment';
  commune: string;
  author: string;
  visibility: ItemVisibility | null;
  threadId: string | null;
  text: string;
};
type Reader = 'anonymous' | 'outsider' | 'member' | 'filtered';

const COMMUNES = { pubc: 'public', unl: 'unlisted', priv: 'private' } as const;
const fold = (s: string) => s.normalize('NFC').toLowerCase();

for (const { kind, skip } of await availableDatabases()) {
  describe(`search permissions on ${kind}`, { skip }, () => {
    let t: TestApp;
    const tokens: Record<string, string> = {};
    const docs: Doc[] = [];
    let hiddenThread = '';
    const communeVisibility: Record<string, string> = { ...COMMUNES };

    /** The model: what a reader may find, from the rules as API.md and the ADR state them. */
    function mayFind(reader: Reader, d: Doc): boolean {
      const member = reader === 'member' || reader === 'filtered';
      if (!member && communeVisibility[d.commune] !== 'public') return false;
      if (!member && d.type === 'item' && d.visibility !== 'public') return false;
      if (reader !== 'filtered') return true;
      // fil's filters: the commune unl, the person mo, one thread, and the word "forbidden".
      if (d.commune === 'unl' || d.author === 'mo' || d.threadId === hiddenThread) return false;
      return !fold(d.text).includes('forbidden') && !fold(d.text).includes('éclair');
    }

    const tokenOf = (r: Reader) =>
      r === 'anonymous' ? undefined : tokens[{ outsider: 'out', member: 'mo', filtered: 'fil' }[r]];

    before(async () => {
      t = await startTestApp(kind);
      for (const h of ['ana', 'mo', 'fil', 'out']) tokens[h] = await t.person(h);
      for (const [c, visibility] of Object.entries(COMMUNES)) {
        await found(t, tokens.ana!, c, { visibility });
        for (const h of ['mo', 'fil']) {
          const invite = await t.post(`/api/v1/communes/${c}/invites`, undefined, tokens.ana);
          const joined = await join(t, tokens[h], c, { inviteCode: invite.body.code });
          assert.equal(joined.status, 201, JSON.stringify(joined.body));
        }
      }
      let n = 0;
      const text = (extra = '') => `lantern number${(n += 1)} ${extra}`.trim();
      for (const c of Object.keys(COMMUNES)) {
        // A public item in a private commune cannot be made through the API; the rule must
        // hold even so.
        for (const visibility of ['public', 'commune', 'allies'] as const)
          for (const [i, author] of ['ana', 'mo', 'ana'].entries()) {
            const extra = i === 2 ? 'Forbidden fruit' : '';
            const title = text();
            const body = `A guide about ${extra || 'light'}`;
            const id = await seedItem(t, { commune: c, author, title, body, visibility });
            docs.push({
              id,
              type: 'item',
              commune: c,
              author,
              visibility,
              threadId: null,
              text: `${title} ${body}`,
            });
          }
        for (let k = 0; k < 3; k += 1) {
          const title = text(k === 1 ? 'ÉCLAIR' : '');
          const body = 'Talk of lanterns and light';
          const r = await t.post(`/api/v1/communes/${c}/threads`, { title, body }, tokens.ana);
          assert.equal(r.status, 201);
          const threadId = r.body.id as string;
          if (c === 'pubc' && k === 2) hiddenThread = threadId;
          docs.push({
            id: threadId,
            type: 'thread',
            commune: c,
            author: 'ana',
            visibility: null,
            threadId,
            text: `${title} ${body}`,
          });
          for (const author of ['mo', 'ana']) {
            const body = text();
            const made = await t.post(
              `/api/v1/threads/${threadId}/comments`,
              { body },
              tokens[author],
            );
            assert.equal(made.status, 201);
            docs.push({
              id: made.body.id,
              type: 'comment',
              commune: c,
              author,
              visibility: null,
              threadId,
              text: body,
            });
          }
        }
      }
      for (const [kind, value] of [
        ['commune', 'unl'],
        ['person', 'mo'],
        ['thread', hiddenThread],
        ['word', 'forbidden'],
        ['word', 'éclair'],
      ])
        assert.equal((await t.post('/api/v1/me/filters', { kind, value }, tokens.fil)).status, 201);
    });
    after(() => t?.close());

    async function walk(reader: Reader, limit: number, extra: Record<string, string> = {}) {
      const { pages, hits } = await searchAll(
        t,
        { q: 'lantern', limit: String(limit), ...extra },
        tokenOf(reader),
      );
      const ids = hits.map((h) => h.id);
      assert.equal(new Set(ids).size, ids.length, `${reader}: a hit came twice`);
      for (const p of pages.slice(0, -1))
        assert.equal(p.items.length, limit, `${reader}: a page before the last is short`);
      return { pages, hits };
    }

    for (const reader of ['anonymous', 'outsider', 'member', 'filtered'] as const)
      for (const limit of [1, 4, 50])
        it(`${reader} finds exactly what they may see, ${limit} a page`, async () => {
          const { hits } = await walk(reader, limit);
          const expected = docs.filter((d) => mayFind(reader, d)).map((d) => d.id);
          assert.ok(expected.length > 0);
          assert.deepEqual(hits.map((h) => h.id).sort(), [...expected].sort());
        });

    // Two layers keep a page clean: scope tokens narrow the match inside the index, and the
    // permission rule decides. Each must hold alone.
    it('the rule alone holds when the scope tokens let everything through', async () => {
      const view = searchView(t.deps.db, t.deps.dialect);
      const ids = await t.deps.db.selectFrom('communes').select('id').execute();
      const everywhere = ids.map((c) => c.id);
      const match =
        t.deps.dialect === 'sqlite'
          ? toFts5(parseQuery('lantern'))
          : toWebsearch(parseQuery('lantern'));
      const idOf = async (token: string | undefined) =>
        token === undefined ? null : ((await t.get('/api/v1/me', token)).body.id as string);
      for (const reader of ['anonymous', 'outsider', 'member', 'filtered'] as const) {
        const standing = { ...(await view.readerOf(await idOf(tokenOf(reader)))) };
        const rows = await view.page(
          { match, reader: { ...standing, scopes: everywhere }, narrowing: {} },
          500,
          undefined,
        );
        assert.deepEqual(
          rows.map((r) => r.ref_id).sort(),
          docs
            .filter((d) => mayFind(reader, d))
            .map((d) => d.id)
            .sort(),
          reader,
        );
      }
    });

    it('scope tokens: every document has its commune’s, and `pub` exactly when anyone may find it', async () => {
      const rows = (await t.deps.db
        .selectFrom('search_docs' as never)
        .select(['id', 'ref_id', 'scope', 'commune_id'] as never[])
        .execute()) as unknown as {
        id: number | string;
        ref_id: string;
        scope: string;
        commune_id: string;
      }[];
      const byId = new Map(rows.map((r) => [r.ref_id, r]));
      for (const d of docs) {
        const row = byId.get(d.id);
        assert.ok(row, `no document for ${d.type} ${d.id}`);
        const tokens = row.scope.split(' ');
        assert.ok(tokens.includes(communeScope(row.commune_id)));
        assert.equal(
          tokens.includes(PUBLIC_SCOPE),
          mayFind('anonymous', d),
          `${d.type} in ${d.commune}`,
        );
        // SQLite: what anyone may find is the index's public rowid range (migration 0020).
        if (t.deps.dialect === 'sqlite')
          assert.equal(Number(row.id) >= PUBLIC_ROWIDS, mayFind('anonymous', d), `${d.type} rowid`);
      }
    });

    it('facets count what the reader may see, and narrowing keeps to it', async () => {
      const first = await t.get('/api/v1/search?q=lantern', tokens.out);
      const seen = docs.filter((d) => mayFind('outsider', d));
      const facets = first.body.facets as Record<string, { value: string; count: number }[]>;
      const byType = Object.fromEntries(facets.type!.map((f) => [f.value, f.count]));
      for (const type of ['item', 'thread', 'comment'])
        assert.equal(byType[type] ?? 0, seen.filter((d) => d.type === type).length, type);
      assert.deepEqual(facets.commune, [{ value: 'pubc', count: seen.length }]);
      // Counted by the facets query (matches beyond the page) as by the page that holds them all.
      const paged = await t.get('/api/v1/search?q=lantern&limit=2', tokens.out);
      assert.ok(paged.body.next !== null);
      assert.deepEqual(paged.body.facets, facets);
      const none = await t.get('/api/v1/search?q=lantern&limit=2&facets=none', tokens.out);
      assert.deepEqual([none.body.facets, none.body.items], [null, paged.body.items]);
      assert.equal((await t.get('/api/v1/search?q=lantern&facets=some')).status, 400);
      const { hits } = await walk('member', 3, { type: 'comment', commune: 'priv' });
      assert.deepEqual(
        hits.map((h) => h.id).sort(),
        docs
          .filter((d) => d.type === 'comment' && d.commune === 'priv')
          .map((d) => d.id)
          .sort(),
      );
      const outsiderPriv = await walk('outsider', 3, { commune: 'priv' });
      assert.deepEqual(outsiderPriv.hits, []);
    });

    it('follows writes in the same transaction: edits, tombstones, commune visibility', async () => {
      const item = docs.find(
        (d) => d.type === 'item' && d.commune === 'pubc' && d.visibility === 'public',
      )!;
      const find = async (q: string, reader: Reader) =>
        (await walk(reader, 50, { q })).hits.map((h) => h.id);
      await t.deps.db
        .updateTable('items')
        .set({ body: 'now about zeppelins' })
        .where('id', '=', item.id)
        .execute();
      assert.deepEqual(await find('zeppelins', 'anonymous'), [item.id]);
      await t.deps.db
        .updateTable('items')
        .set({ visibility: 'commune' })
        .where('id', '=', item.id)
        .execute();
      assert.deepEqual(await find('zeppelins', 'anonymous'), []);
      assert.deepEqual(await find('zeppelins', 'member'), [item.id]);
      await tombstone(t, item.id);
      assert.deepEqual(await find('zeppelins', 'member'), []);
      assert.ok(!(await find('lantern', 'member')).includes(item.id), 'a tombstone matches');
      item.visibility = 'commune';
      docs.splice(docs.indexOf(item), 1);
      // A public commune going private takes its documents out of outsiders' reach at once.
      await t.deps.db
        .updateTable('communes')
        .set({ visibility: 'private' })
        .where('handle', '=', 'pubc')
        .execute();
      communeVisibility.pubc = 'private';
      assert.deepEqual(await find('lantern', 'outsider'), []);
      assert.deepEqual(await find('lantern', 'anonymous'), []);
      await t.deps.db
        .updateTable('communes')
        .set({ visibility: 'public' })
        .where('handle', '=', 'pubc')
        .execute();
      communeVisibility.pubc = 'public';
      const back = await find('lantern', 'anonymous');
      assert.deepEqual(
        back.sort(),
        docs
          .filter((d) => mayFind('anonymous', d))
          .map((d) => d.id)
          .sort(),
      );
    });

    it('a member who leaves loses the commune’s private documents', async () => {
      const leaver = await t.person('leaver');
      const invite = await t.post('/api/v1/communes/priv/invites', undefined, tokens.ana);
      assert.equal((await join(t, leaver, 'priv', { inviteCode: invite.body.code })).status, 201);
      const inPriv = async () =>
        (await searchAll(t, { q: 'lantern', commune: 'priv' }, leaver)).hits.length;
      assert.equal(await inPriv(), docs.filter((d) => d.commune === 'priv').length);
      assert.equal((await t.del('/api/v1/communes/priv/members/me', leaver)).status, 204);
      assert.equal(await inPriv(), 0);
    });
  });
}
