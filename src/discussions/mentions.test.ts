import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { availableDatabases } from '../db/testing.ts';
import { renderMarkdown } from '../shared/markdown.ts';

// `@handle` in a thread or a comment links to the person when someone holds the handle, and
// stays plain text when no one does (issue 11's bad input): on writing, on editing, on both
// databases. The link is a path the sanitizer allows exactly; nothing else gets through.

const link = (h: string) => `<a href="/people/${h}" rel="nofollow ugc noopener">@${h}</a>`;

describe('mention rendering (pure)', () => {
  it('links only known people, outside code and links, and keeps the sanitizer’s rules', () => {
    const people = new Set(['ada', 'bea']);
    assert.equal(
      renderMarkdown('hi @ada, @Bea and @nobody', people),
      `<p>hi ${link('ada')}, <a href="/people/bea" rel="nofollow ugc noopener">@Bea</a> and @nobody</p>\n`,
    );
    assert.equal(
      renderMarkdown('`@ada` foo@ada @ada@bea', people),
      '<p><code>@ada</code> foo@ada @ada@bea</p>\n',
    );
    assert.equal(
      renderMarkdown('[@ada](https://x.org)', people),
      '<p><a href="https://x.org/" rel="nofollow ugc noopener">@ada</a></p>\n',
    );
    assert.equal(renderMarkdown('@ada'), '<p>@ada</p>\n');
    // A link someone writes to a person's page is not a way around the sanitizer.
    assert.doesNotMatch(renderMarkdown('[x](/people/ada) <a href="/people/ada">y</a>'), /<a /);
  });

  it('never lets markup or other hrefs through, whatever surrounds a mention', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.constantFrom('@ada', '@nobody', '<script>', '[l](javascript:x)', '`', '*', ' ', 'a'),
          {
            maxLength: 12,
          },
        ),
        (parts) => {
          const html = renderMarkdown(parts.join(''), new Set(['ada']));
          assert.doesNotMatch(html, /<script|href="javascript:/);
          for (const m of html.matchAll(/<a href="([^"]*)"/g))
            assert.ok(m[1] === '/people/ada', `unexpected href ${m[1]}`);
        },
      ),
      { numRuns: 300 },
    );
  });
});

for (const { kind, skip } of await availableDatabases()) {
  describe(`mentions on ${kind}`, { skip }, () => {
    let t: TestApp;
    let ada: string;
    let threadId: string;
    before(async () => {
      t = await startTestApp(kind);
      ada = await t.person('mx_ada', 'Ada');
      await t.person('mx_bea', 'Bea');
      const made = await t.post(
        '/api/v1/communes',
        {
          handle: 'mx_garden',
          name: 'Garden',
          vision: 'v',
          category: 'social',
          tags: [],
          joinPolicy: 'open',
          visibility: 'public',
        },
        ada,
      );
      assert.equal(made.status, 201);
      const th = await t.post(
        '/api/v1/communes/mx_garden/threads',
        { title: 'Seeds', body: 'Ask @mx_bea or @mx_ghost' },
        ada,
      );
      assert.equal(th.status, 201, JSON.stringify(th.body));
      threadId = th.body.id;
      assert.match(th.body.html, new RegExp(link('mx_bea')));
      assert.doesNotMatch(th.body.html, /people\/mx_ghost/);
      assert.match(th.body.html, /@mx_ghost/);
    });
    after(() => t.close());

    it('links a comment’s mention of someone who exists, and leaves an unknown handle as text', async () => {
      const c = await t.post(
        `/api/v1/threads/${threadId}/comments`,
        { body: 'Thanks @MX_BEA! Has @mx_nobody_here seen it?' },
        ada,
      );
      assert.equal(c.status, 201);
      assert.match(
        c.body.html,
        /<a href="\/people\/mx_bea" rel="nofollow ugc noopener">@MX_BEA<\/a>/,
      );
      assert.match(c.body.html, /Has @mx_nobody_here seen/);
      assert.doesNotMatch(c.body.html, /mx_nobody_here"/);
      const page = await t.get(`/api/v1/threads/${threadId}`);
      const shown = page.body.comments.find((x: { id: string }) => x.id === c.body.id);
      assert.equal(shown.html, c.body.html);
    });

    it('renders the mentions again on an edit', async () => {
      const c = await t.post(`/api/v1/threads/${threadId}/comments`, { body: 'no one' }, ada);
      const edited = await t.call(
        'PATCH',
        `/api/v1/comments/${c.body.id}`,
        { body: 'now @mx_ada' },
        ada,
      );
      assert.equal(edited.status, 200, JSON.stringify(edited.body));
      assert.match(edited.body.html, new RegExp(link('mx_ada')));
    });

    it('answers where a mention leads: the person, or a 404 for no one', async () => {
      const bea = await t.get('/api/v1/people/mx_bea');
      assert.equal(bea.status, 200);
      assert.deepEqual(bea.body, { handle: 'mx_bea', displayName: 'Bea', communes: [] });
      const adaPage = await t.get('/api/v1/people/mx_ada');
      assert.deepEqual(adaPage.body.communes, [
        { handle: 'mx_garden', name: 'Garden', role: 'steward' },
      ]);
      const none = await t.get('/api/v1/people/mx_ghost');
      assert.equal(none.status, 404);
      assert.equal(none.body.error.code, 'person_not_found');
      const bad = await t.get('/api/v1/people/Not%20A%20Handle');
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.code, 'invalid_input');
      // A commune's handle is no person's.
      assert.equal((await t.get('/api/v1/people/mx_garden')).status, 404);
    });
  });
}
