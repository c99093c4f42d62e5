import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { LINK_REL, renderMarkdown, safeHref } from './markdown.ts';

// Text "<" is always escaped in our output, so every "<" starts a real tag: checking inside
// tags finds attributes without mistaking visible text like "onerror=" for one.
const tagsOf = (html: string): string[] => html.match(/<[^>]*>/g) ?? [];
const hasEventAttribute = (html: string) => tagsOf(html).some((t) => /\son\w+\s*=/i.test(t));
const hrefsOf = (html: string): string[] =>
  tagsOf(html).flatMap((t) => [...t.matchAll(/\shref\s*=\s*"([^"]*)"/gi)].map((m) => m[1]!));
const ALLOWED_TAGS = new Set([
  'p',
  'em',
  'strong',
  'code',
  'pre',
  'blockquote',
  'ul',
  'ol',
  'li',
  'a',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'br',
  'del',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
]);
const tagNamesOf = (html: string) =>
  tagsOf(html).map((t) => /^<\/?([a-z0-9]+)/i.exec(t)?.[1]?.toLowerCase() ?? `?${t}`);

function assertSafe(html: string): void {
  assert.doesNotMatch(html, /<script/i, html);
  assert.doesNotMatch(
    html,
    /<(img|iframe|svg|object|embed|style|form|input|math|base|meta|link)\b/i,
    html,
  );
  assert.equal(hasEventAttribute(html), false, html);
  for (const href of hrefsOf(html)) assert.match(href, /^(https?:\/\/|mailto:)/i, html);
  for (const tag of tagsOf(html))
    assert.doesNotMatch(tag, /href\s*=\s*["']?\s*(javascript|data|vbscript):/i, html);
  for (const name of tagNamesOf(html)) assert.ok(ALLOWED_TAGS.has(name), `tag ${name} in ${html}`);
}

describe('renderMarkdown', () => {
  it('renders the allowed Markdown', () => {
    const html = renderMarkdown(
      '# Title\n\nSome *em*, **strong**, `code` and ~~gone~~.\n\n> quoted\n\n1. one\n2. two\n\n---\n\n```ts\nlet x = 1;\n```',
    );
    assert.match(html, /<h1>Title<\/h1>/);
    assert.match(html, /<em>em<\/em>/);
    assert.match(html, /<strong>strong<\/strong>/);
    assert.match(html, /<code>code<\/code>/);
    assert.match(html, /<del>gone<\/del>/);
    assert.match(html, /<blockquote>\s*<p>quoted<\/p>\s*<\/blockquote>/);
    assert.match(html, /<ol>\s*<li>one<\/li>/);
    assert.match(html, /<hr \/>|<hr>/);
    assert.match(html, /<pre><code class="language-ts">let x = 1;/);
  });

  it('renders tables', () => {
    const html = renderMarkdown('| a | b |\n|:-|-:|\n| 1 | 2 |');
    assert.match(html, /<table>/);
    assert.match(html, /<th align="left">a<\/th>/);
    assert.match(html, /<td align="right">2<\/td>/);
  });

  it('gives links rel="nofollow ugc noopener" and no target', () => {
    for (const source of [
      '[site](https://example.org/a?b=c)',
      '<https://example.org/a?b=c>',
      'see https://example.org/a?b=c now',
    ]) {
      const html = renderMarkdown(source);
      assert.match(
        html,
        new RegExp(`<a href="https://example.org/a\\?b=c" rel="${LINK_REL}">`),
        source,
      );
      assert.doesNotMatch(html, /target=/);
    }
    assert.match(
      renderMarkdown('[mail](mailto:a@example.org)'),
      /<a href="mailto:a@example.org" rel="nofollow ugc noopener">mail<\/a>/,
    );
  });

  it('shows raw HTML as text instead of passing it through', () => {
    const html = renderMarkdown('Hello <b onclick="x()">bold</b> <script>alert(1)</script>');
    assert.match(html, /&lt;b onclick="x\(\)"&gt;bold&lt;\/b&gt;/);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assertSafe(html);
  });

  it('turns images into links, so nothing remote is loaded', () => {
    const html = renderMarkdown('![a cat](https://cats.example/cat.png)');
    assert.equal(
      html.trim(),
      '<p><a href="https://cats.example/cat.png" rel="nofollow ugc noopener">a cat</a></p>',
    );
    assert.equal(renderMarkdown('![x](javascript:alert(1))').trim(), '<p>x</p>');
  });

  const vectors = [
    '<script>alert(1)</script>',
    '<SCRIPT SRC=//evil.example/x.js></SCRIPT>',
    '<<script>script>alert(1)<</script>/script>',
    '<scr<script>ipt>alert(1)</scr</script>ipt>',
    '<img src=x onerror=alert(1)>',
    '<svg/onload=alert(1)>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<a href="javascript:alert(1)">x</a>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '[x](javascript:alert(1))',
    '[x](JaVaScRiPt:alert(1))',
    '[x](javascript&#58;alert(1))',
    '[x](&#106;avascript:alert(1))',
    '[x](&#x6A;&#x61;&#x76;&#x61;script:alert(1))',
    '[x](java\tscript:alert(1))',
    '[x]( javascript:alert(1))',
    '[x](<javascript:alert(1)>)',
    '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
    '[x](vbscript:msgbox(1))',
    '[x](//evil.example)',
    '[x](https://a.example/"onmouseover="alert(1))',
    '[x][r]\n\n[r]: javascript:alert(1)',
    '<javascript:alert(1)>',
    '![x](data:image/svg+xml,<svg onload=alert(1)>)',
    '<details open ontoggle=alert(1)>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '`<script>`\n\n    <script>alert(1)</script>',
    '<!-- --><script>alert(1)</script>',
    '<style>body{display:none}</style>',
    '<a href="https://ok.example" target="_blank" onclick="x">ok</a>',
  ];
  for (const v of vectors) {
    it(`neutralises ${JSON.stringify(v)}`, () => assertSafe(renderMarkdown(v)));
  }

  it('drops links that are not absolute http(s) or mailto, keeping their text', () => {
    assert.equal(renderMarkdown('[home](/communes/x)').trim(), '<p>home</p>');
    assert.equal(renderMarkdown('[x](javascript:alert(1))').trim(), '<p>x</p>');
  });

  it('keeps SQL and emoji text intact (escaped as text only)', () => {
    const html = renderMarkdown("Robert'); DROP TABLE threads;-- 😀 👩‍👩‍👧 שלום");
    assert.match(html, /DROP TABLE threads;-- 😀 👩‍👩‍👧 שלום/);
  });

  // Fragments that combine into likely attacks, so the property explores more than plain noise.
  const nasty = fc.constantFrom(
    '<',
    '>',
    '"',
    "'",
    '`',
    '&',
    '&#',
    '&#x',
    ';',
    '(',
    ')',
    '[',
    ']',
    '!',
    '\n',
    '\t',
    ' ',
    '/',
    '\\',
    '=',
    ':',
    'script',
    '<script>',
    '</script>',
    'javascript:',
    'JaVaScRiPt:',
    'data:',
    'vbscript:',
    'onerror=',
    ' onload=',
    'onclick="',
    '<img src=x ',
    '<a href="',
    '<svg',
    '<iframe',
    '](',
    '![',
    'alert(1)',
    'https://x.example/',
    '```',
    '    ',
    '> ',
    '- ',
    '# ',
    '|',
    '---',
  );
  const markdownish = fc.oneof(
    fc.string({ maxLength: 300 }),
    fc
      .array(fc.oneof(nasty, fc.string({ maxLength: 5 })), { maxLength: 60 })
      .map((p) => p.join('')),
  );

  it('never lets script, event handlers or javascript: links through (property)', () => {
    fc.assert(
      fc.property(markdownish, (source) => {
        const html = renderMarkdown(source);
        return (
          !/<script/i.test(html) &&
          !hasEventAttribute(html) &&
          !tagsOf(html).some((t) => /href\s*=\s*["']?\s*javascript:/i.test(t)) &&
          hrefsOf(html).every((h) => /^(https?:\/\/|mailto:)/i.test(h))
        );
      }),
      { numRuns: 2000 },
    );
  });
});

describe('safeHref', () => {
  it('accepts absolute http, https and mailto only', () => {
    assert.equal(safeHref('https://example.org'), 'https://example.org/');
    assert.equal(safeHref('http://example.org/x'), 'http://example.org/x');
    assert.equal(safeHref('mailto:a@example.org'), 'mailto:a@example.org');
    for (const bad of [
      'javascript:alert(1)',
      'data:text/html,x',
      '/relative',
      '//host',
      'ftp://x',
      '',
      null,
      undefined,
      'java\nscript:x',
    ]) {
      assert.equal(safeHref(bad), null, String(bad));
    }
  });
});
