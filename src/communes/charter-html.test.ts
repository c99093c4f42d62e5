import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { availableDatabases } from '../db/testing.ts';
import { renderMarkdown } from '../shared/markdown.ts';
import { charterMarkdown } from './charter-html.ts';

// A charter's vision and agreements are Markdown, rendered and sanitized exactly as comments
// are, wherever a commune is answered (one, a list, a new one); and a list the caller's own
// filters thinned says by how many.

const charter = (handle: string, over: Record<string, unknown> = {}) => ({
  handle,
  name: `Commune ${handle}`,
  vision: 'We grow **food** together. <script>alert(1)</script> [site](javascript:alert(1))',
  category: 'social',
  tags: ['food'],
  joinPolicy: 'open',
  visibility: 'public',
  agreements: ['Be *kind*', '<img src=x onerror=alert(1)> share [tools](https://tools.example)'],
  ...over,
});

describe('charter markdown', () => {
  it('is the comment renderer’s output, however often it is asked', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        assert.equal(charterMarkdown(text), renderMarkdown(text));
        assert.equal(charterMarkdown(text), renderMarkdown(text));
      }),
      { numRuns: 200 },
    );
  });
});

for (const { kind, skip } of await availableDatabases()) {
  describe(`charter html and hidden communes on ${kind}`, { skip }, () => {
    let t: TestApp;
    let founder: string;
    let reader: string;
    before(async () => {
      t = await startTestApp(kind);
      founder = await t.person('ch_founder');
      reader = await t.person('ch_reader');
    });
    after(() => t.close());

    it('answers visionHtml and agreementsHtml, sanitized like comments', async () => {
      const made = await t.post('/api/v1/communes', charter('ch_green'), founder);
      assert.equal(made.status, 201, JSON.stringify(made.body));
      for (const body of [
        made.body,
        (await t.get('/api/v1/communes/ch_green')).body,
        (await t.get('/api/v1/communes?q=ch_green')).body.items[0],
      ]) {
        assert.equal(body.visionHtml, renderMarkdown(body.vision));
        assert.match(body.visionHtml, /<strong>food<\/strong>/);
        assert.doesNotMatch(body.visionHtml, /<script|javascript:/);
        assert.deepEqual(body.agreementsHtml, body.agreements.map(renderMarkdown));
        assert.match(body.agreementsHtml[0], /<em>kind<\/em>/);
        assert.doesNotMatch(body.agreementsHtml[1], /<img/);
        assert.match(body.agreementsHtml[1], /href="https:\/\/tools.example\/"/);
      }
    });

    it('says how many communes the caller’s filters hide, once, on the first page', async () => {
      for (const h of ['ch_hide_a', 'ch_hide_b', 'ch_hide_c'])
        assert.equal((await t.post('/api/v1/communes', charter(h), founder)).status, 201);
      const q = '/api/v1/communes?q=ch_hide';
      const plain = await t.get(q, reader);
      assert.equal(plain.body.items.length, 3);
      assert.equal(plain.body.hidden, 0);
      for (const h of ['ch_hide_a', 'ch_hide_c']) {
        const f = await t.post('/api/v1/me/filters', { kind: 'commune', value: h }, reader);
        assert.equal(f.status, 201, JSON.stringify(f.body));
      }
      const filtered = await t.get(q, reader);
      assert.deepEqual(
        filtered.body.items.map((c: { handle: string }) => c.handle),
        ['ch_hide_b'],
      );
      assert.equal(filtered.body.hidden, 2);
      // Paged one by one, the count comes once, so the pages add up to the whole list's.
      const first = await t.get(`${q}&limit=1`, reader);
      assert.equal(first.body.hidden, 2);
      assert.equal(first.body.next, null);
      // Someone else, and an anonymous visitor, have no filters of theirs applied.
      assert.equal((await t.get(q)).body.hidden, 0);
      assert.equal((await t.get(q, founder)).body.hidden, 0);
      // A search that matches none of the hidden ones hides none.
      assert.equal((await t.get('/api/v1/communes?q=ch_hide_b', reader)).body.hidden, 0);
    });
  });
}
