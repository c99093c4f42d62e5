import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { found } from '../communes/communes.fixtures.ts';
import { availableDatabases } from '../db/testing.ts';
import { MAX_QUERY_LENGTH } from './query.ts';
import { searchAll, seedItem } from './search.fixtures.ts';

// What a person may type: the query language's meaning on both databases, safe snippets,
// and never a 5xx, whatever q and the other parameters hold.

for (const { kind, skip } of await availableDatabases()) {
  describe(`search input on ${kind}`, { skip }, () => {
    let t: TestApp;
    let ana: string;
    const ids: Record<string, string> = {};

    before(async () => {
      t = await startTestApp(kind);
      ana = await t.person('ana');
      await found(t, ana, 'orchard');
      const texts = {
        ab: ['Orchard notes', 'apple banana'],
        ac: ['Orchard notes', 'apple cherry'],
        bc: ['Orchard notes', 'banana cherry'],
        pie: ['Baking', 'apple pie recipe with butter'],
        kiwiTitle: ['Kiwi', 'plain words here'],
        kiwiBody: ['Plain', 'kiwi words here'],
        eip: ['Baking', 'pie made from an apple'],
        xss: [
          '<img src=x onerror=alert(1)>',
          'walnut <script>alert("x")</script> & \u0002walnut\u0003 </mark>',
        ],
      };
      for (const [key, [title, body]] of Object.entries(texts))
        ids[key] = await seedItem(t, {
          commune: 'orchard',
          author: 'ana',
          title: title!,
          body: body!,
          tags: ['fruit'],
        });
    });
    after(() => t?.close());

    const found_ = async (q: string) =>
      (await searchAll(t, { q })).hits
        .map((h) => Object.keys(ids).find((k) => ids[k] === h.id))
        .sort();

    it('all words must appear; quoted phrases keep their order', async () => {
      assert.deepEqual(await found_('apple'), ['ab', 'ac', 'eip', 'pie']);
      assert.deepEqual(await found_('apple pie'), ['eip', 'pie']);
      assert.deepEqual(await found_('"apple pie"'), ['pie']);
      assert.deepEqual(await found_('"pie apple"'), []);
    });

    it('-word leaves out, or gives alternatives (and binds looser than the words around it)', async () => {
      assert.deepEqual(await found_('apple -banana'), ['ac', 'eip', 'pie']);
      assert.deepEqual(await found_('apple -"apple pie"'), ['ab', 'ac', 'eip']);
      assert.deepEqual(await found_('banana or pie'), ['ab', 'bc', 'eip', 'pie']);
      assert.deepEqual(await found_('apple banana or recipe'), ['ab', 'pie']);
      assert.deepEqual(await found_('-apple'), []);
    });

    it('stems words the same way on both databases', async () => {
      assert.deepEqual(await found_('apples'), ['ab', 'ac', 'eip', 'pie']);
      assert.deepEqual(await found_('baked'), ['eip', 'pie']);
      assert.deepEqual(await found_('bananas -apples'), ['bc']);
    });

    it('ranks title matches above body matches', async () => {
      const { hits } = await searchAll(t, { q: 'kiwi' });
      assert.deepEqual(
        hits.map((h) => h.id),
        [ids.kiwiTitle, ids.kiwiBody],
      );
    });

    it('snippets are escaped text with our <mark> only', async () => {
      const { hits } = await searchAll(t, { q: 'walnut' });
      assert.equal(hits.length, 1);
      const { snippet, title } = hits[0]!;
      assert.equal(
        title,
        '<img src=x onerror=alert(1)>',
        'titles are plain text for the client to escape',
      );
      assert.ok(!snippet.includes('<script'), snippet);
      assert.ok(!snippet.includes('<img'), snippet);
      assert.match(snippet, /<mark>walnut<\/mark>/);
      const bare = snippet.replaceAll('<mark>', '').replaceAll('</mark>', '');
      assert.ok(!/[<>]/.test(bare), snippet);
      assert.equal(snippet.split('<mark>').length, snippet.split('</mark>').length, snippet);
    });

    it('answers bad parameters with a 400 naming the problem, never a 5xx', async () => {
      const cases: [string, string][] = [
        ['', 'invalid_input'],
        ['q=', 'invalid_input'],
        ['q=%20%20', 'invalid_input'],
        [`q=${'a'.repeat(MAX_QUERY_LENGTH + 1)}`, 'query_too_long'],
        ['q=a&type=post', 'invalid_input'],
        ['q=a&kind=recipe', 'invalid_input'],
        ['q=a&limit=0', 'invalid_input'],
        ['q=a&limit=201', 'invalid_input'],
        ['q=a&limit=ten', 'invalid_input'],
        ['q=a&commune=Not%20a%20handle', 'invalid_input'],
        [`q=a&tag=${'t'.repeat(41)}`, 'invalid_input'],
        ['q=a&before=nonsense', 'invalid_cursor'],
        [`q=a&before=${Buffer.from('["x","y"]').toString('base64url')}`, 'invalid_cursor'],
        [`q=a&before=${Buffer.from('[1,"y"]').toString('base64url')}`, 'invalid_cursor'],
        ['q=%00', 'malformed_url'],
        ['q=%ED%A0%80', 'malformed_url'],
      ];
      for (const [qs, code] of cases) {
        const r = await t.get(`/api/v1/search?${qs}`);
        assert.deepEqual([r.status, r.body?.error?.code], [400, code], qs);
      }
      const ok = await t.get(`/api/v1/search?q=${'a'.repeat(MAX_QUERY_LENGTH)}`);
      assert.equal(ok.status, 200);
    });

    it('never answers a random query with a 5xx', async () => {
      const nasty = fc.oneof(
        fc.string({ maxLength: 80 }),
        fc.string({ unit: 'grapheme', maxLength: 40 }),
        fc
          .array(
            fc.constantFrom(
              '"',
              '*',
              'NEAR',
              ':',
              '(',
              ')',
              '-',
              'or',
              'OR',
              'apple',
              ' ',
              '^',
              '{',
              '}',
              'é',
              '\u0301',
              '🍎',
            ),
            { maxLength: 15 },
          )
          .map((a) => a.join('')),
      );
      await fc.assert(
        fc.asyncProperty(
          nasty,
          fc.option(fc.constantFrom('item', 'thread', 'comment', 'bogus')),
          fc.option(fc.string({ maxLength: 12 })),
          fc.option(fc.string({ maxLength: 30 })),
          async (q, type, tag, before) => {
            const params = new URLSearchParams({ q });
            if (type !== null) params.set('type', type);
            if (tag !== null) params.set('tag', tag);
            if (before !== null) params.set('before', before);
            const r = await t.get(`/api/v1/search?${params}`, ana);
            assert.ok(
              r.status === 200 || r.status === 400,
              `${r.status} for ${params}: ${JSON.stringify(r.body)}`,
            );
            if (r.status === 400) assert.match(r.body.error.code, /^[a-z_]+$/);
          },
        ),
        { numRuns: 150 },
      );
    });
  });
}
