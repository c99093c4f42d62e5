import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { MAX_TERMS, parseQuery, toFts5, toWebsearch } from './query.ts';
import { MARK_CLOSE, MARK_OPEN, snippetHtml } from './search.ts';

// Whatever a person types becomes a valid FTS5 query: checked against a real FTS5 table.
const fts = new DatabaseSync(':memory:');
fts.exec(`create virtual table f using fts5(title, body, tokenize='porter unicode61')`);
fts.exec(`insert into f values ('apple pie', 'banana split'), ('cherry', 'apple banana')`);
const run = (match: string) => fts.prepare('select rowid from f where f match ?').all(match);

// FTS5's own syntax, quotes, unbalanced ones, operators in any case, and odd Unicode.
const syntax = fc.constantFrom(
  '"',
  '""',
  '*',
  ':',
  '^',
  '(',
  ')',
  '{',
  '}',
  '-',
  '+',
  'NEAR',
  'NEAR(',
  'AND',
  'OR',
  'NOT',
  'or',
  'and',
  'not',
  'title:',
  'body:',
  'rowid',
  ' ',
  '\t',
  '\n',
  'é',
  'e\u0301',
  '\u0301',
  '\u0002',
  '\u0003',
  '🍎',
  '中文',
  'ß',
  'İ',
  '\ufeff',
  'apple',
  'banana',
  "'",
  ',',
  '.',
  '\\',
);
const typed = fc.oneof(
  fc.array(fc.oneof(syntax, fc.string({ maxLength: 6 })), { maxLength: 20 }).map((a) => a.join('')),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
);

describe('query translation', () => {
  it('any string becomes an FTS5 query that runs (never a syntax error)', () => {
    fc.assert(
      fc.property(typed, (input) => {
        const match = toFts5(parseQuery(input));
        if (match !== '') run(match);
      }),
      { numRuns: 3000 },
    );
  });

  it('only words reach the engines, each inside quotes', () => {
    fc.assert(
      fc.property(typed, (input) => {
        const q = parseQuery(input);
        for (const c of q.clauses)
          for (const term of [...c.include, ...c.exclude])
            for (const word of term) assert.match(word, /^[\p{L}\p{N}][\p{L}\p{N}\p{M}]*$/u);
        const outside = toWebsearch(q).replace(/"[^"]*"/g, '');
        assert.match(outside, /^(\s|-|or)*$/);
        assert.ok(q.clauses.every((c) => c.include.length > 0));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads phrases, -words and or as websearch_to_tsquery does', () => {
    assert.deepEqual(parseQuery('apple "pie crust" -banana or cherry'), {
      clauses: [
        { include: [['apple'], ['pie', 'crust']], exclude: [['banana']] },
        { include: [['cherry']], exclude: [] },
      ],
    });
    assert.equal(
      toFts5(parseQuery('apple "pie crust" -banana or cherry')),
      '(("apple" AND "pie crust") NOT ("banana")) OR ("cherry")',
    );
    assert.equal(
      toWebsearch(parseQuery('apple "pie crust" -banana or cherry')),
      '"apple" "pie crust" -"banana" or "cherry"',
    );
    // Syntax is only words: a column filter, a star, NEAR and a stray quote are not operators.
    assert.equal(
      toFts5(parseQuery('title:apple NEAR(x y) pi* "open')),
      '("title apple" AND "NEAR x" AND "y" AND "pi" AND "open")',
    );
    assert.deepEqual(parseQuery('-banana'), { clauses: [] });
    assert.deepEqual(parseQuery('or or'), { clauses: [] });
    assert.deepEqual(parseQuery('apple or -banana'), {
      clauses: [{ include: [['apple']], exclude: [] }],
    });
    assert.deepEqual(parseQuery('well-known'), {
      clauses: [{ include: [['well', 'known']], exclude: [] }],
    });
  });

  it('keeps at most MAX_TERMS words', () => {
    const q = parseQuery(Array.from({ length: 40 }, (_, i) => `w${i}`).join(' '));
    assert.equal(q.clauses[0]!.include.flat().length, MAX_TERMS);
  });
});

describe('snippets', () => {
  it('escape everything; only our balanced <mark> survives', () => {
    const piece = fc.oneof(
      fc.constantFrom(MARK_OPEN, MARK_CLOSE, '<mark>', '</mark>', '<script>', '&', '"', "'", '>'),
      fc.string({ maxLength: 5 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (parts) => {
        const html = snippetHtml(parts.join(''));
        const bare = html.replaceAll('<mark>', '').replaceAll('</mark>', '');
        assert.ok(!/[<>"']/.test(bare), html);
        let depth = 0;
        for (const m of html.matchAll(/<\/?mark>/g)) {
          depth += m[0] === '<mark>' ? 1 : -1;
          assert.ok(depth === 0 || depth === 1, html);
        }
        assert.equal(depth, 0, html);
      }),
      { numRuns: 2000 },
    );
    assert.equal(
      snippetHtml(`a <b>${MARK_OPEN}x${MARK_CLOSE}</b> & "y"`),
      'a &lt;b&gt;<mark>x</mark>&lt;/b&gt; &amp; &quot;y&quot;',
    );
  });
});
