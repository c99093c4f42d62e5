import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseWith } from '../http/validate.ts';
import {
  MAX_BODY,
  MAX_SCAN_BATCHES,
  MAX_TITLE,
  characterCount,
  collectVisible,
  commentInputSchema,
  threadInputSchema,
} from './discussions.ts';
import {
  MAX_FILTER_VALUE,
  compileFilters,
  filterInputSchema,
  isFilteredOut,
  matchesWord,
} from './filters.ts';

describe('thread and comment input', () => {
  it('accepts a title of 200 and a body of 50,000 characters, and names the field one over', () => {
    assert.ok(
      parseWith(threadInputSchema, { title: 't'.repeat(MAX_TITLE), body: 'b'.repeat(MAX_BODY) }).ok,
    );
    const title = parseWith(threadInputSchema, { title: 't'.repeat(MAX_TITLE + 1), body: 'b' });
    assert.equal(!title.ok && title.error.field, 'title');
    const body = parseWith(threadInputSchema, { title: 't', body: 'b'.repeat(MAX_BODY + 1) });
    assert.equal(!body.ok && body.error.field, 'body');
  });

  it('counts emoji as one character each', () => {
    assert.equal(characterCount('😀👩‍👩‍👧a'), 7); // the family is 5 code points joined by ZWJ
    assert.ok(parseWith(threadInputSchema, { title: '😀'.repeat(MAX_TITLE), body: 'b' }).ok);
    assert.equal(
      parseWith(threadInputSchema, { title: '😀'.repeat(MAX_TITLE + 1), body: 'b' }).ok,
      false,
    );
  });

  it('trims titles and refuses blank ones and blank bodies', () => {
    const r = parseWith(threadInputSchema, { title: '  hello  ', body: '  keep  ' });
    assert.deepEqual(r.ok && r.value, { title: 'hello', body: '  keep  ' });
    assert.equal(parseWith(threadInputSchema, { title: '   ', body: 'x' }).ok, false);
    assert.equal(parseWith(commentInputSchema, { body: ' \n ' }).ok, false);
  });

  it('refuses NUL characters and lone surrogates, which could not be stored faithfully', () => {
    for (const bad of ['a\u0000b', 'a\ud800b', '\udc00']) {
      const r = parseWith(threadInputSchema, { title: bad, body: 'b' });
      assert.equal(!r.ok && r.error.field, 'title', JSON.stringify(bad));
      const c = parseWith(commentInputSchema, { body: bad });
      assert.equal(!c.ok && c.error.field, 'body');
      const f = parseWith(filterInputSchema, { kind: 'word', value: bad });
      assert.equal(!f.ok && f.error.field, 'value');
    }
  });

  it('never throws on arbitrary JSON values (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        parseWith(threadInputSchema, v);
        parseWith(commentInputSchema, v);
        parseWith(filterInputSchema, v);
      }),
    );
  });
});

describe('filter input', () => {
  const parse = (v: unknown) => parseWith(filterInputSchema, v);

  it('normalises values per kind', () => {
    assert.deepEqual(parse({ kind: 'word', value: '  CaTs ' }), {
      ok: true,
      value: { kind: 'word', value: 'cats' },
    });
    assert.deepEqual(parse({ kind: 'person', value: '@Alice' }), {
      ok: true,
      value: { kind: 'person', value: 'alice' },
    });
    assert.deepEqual(parse({ kind: 'person', value: 'bob@social.example' }), {
      ok: true,
      value: { kind: 'person', value: 'bob@social.example' },
    });
    const id = '0190f5c4-6b1e-7c3d-8a2b-123456789ABC';
    assert.deepEqual(parse({ kind: 'thread', value: id }), {
      ok: true,
      value: { kind: 'thread', value: id.toLowerCase() },
    });
    assert.deepEqual(parse({ kind: 'commune', value: 'Garden_Co' }), {
      ok: true,
      value: { kind: 'commune', value: 'garden_co' },
    });
  });

  it('refuses bad values, naming the field', () => {
    const bad = [
      { kind: 'word', value: '' },
      { kind: 'word', value: '   ' },
      { kind: 'word', value: 'x'.repeat(MAX_FILTER_VALUE + 1) },
      { kind: 'person', value: 'no spaces allowed' },
      { kind: 'thread', value: 'not-a-uuid' },
      { kind: 'commune', value: 'a' },
      { kind: 'commune', value: 'x@y.example' },
    ];
    for (const v of bad) {
      const r = parse(v);
      assert.equal(!r.ok && r.error.field, 'value', JSON.stringify(v));
    }
    const kind = parse({ kind: 'mood', value: 'x' });
    assert.equal(!kind.ok && kind.error.field, 'kind');
  });
});

describe('filter matching', () => {
  const item = {
    authorHandle: 'alice',
    title: 'Garden Plans',
    body: 'Bring the ÉCHELLE and 😀',
    threadId: 'T-1',
    communeHandle: 'garden',
  };

  it('matches words case-insensitively in title and body', () => {
    assert.equal(matchesWord(['garden'], item), true);
    assert.equal(matchesWord(['échelle'], item), true);
    assert.equal(matchesWord(['😀'], item), true);
    assert.equal(matchesWord(['compost'], item), false);
    assert.equal(matchesWord([], item), false);
  });

  it('matches each kind and nothing else', () => {
    const f = (kind: 'word' | 'person' | 'thread' | 'commune', value: string) =>
      isFilteredOut(compileFilters([{ kind, value }]), item);
    assert.equal(f('person', 'alice'), true);
    assert.equal(f('person', 'bob'), false);
    assert.equal(f('thread', 't-1'), true);
    assert.equal(f('thread', 't-2'), false);
    assert.equal(f('commune', 'garden'), true);
    assert.equal(f('commune', 'orchard'), false);
    assert.equal(f('word', 'plans'), true);
    assert.equal(f('word', 'PLANS'), true);
    assert.equal(isFilteredOut(compileFilters([]), item), false);
  });

  it('a word filter hides exactly the items containing the word (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 5 }),
        fc.string(),
        fc.string(),
        (word, title, body) => {
          const hidden = isFilteredOut(compileFilters([{ kind: 'word', value: word }]), {
            authorHandle: 'x',
            title,
            body,
          });
          const w = word.normalize('NFC').toLowerCase();
          return (
            hidden ===
            (title.normalize('NFC').toLowerCase().includes(w) ||
              body.normalize('NFC').toLowerCase().includes(w))
          );
        },
      ),
    );
  });
});

describe('collectVisible', () => {
  // An in-memory list standing in for the repository: rows after the cursor, in order.
  const source =
    (rows: { id: string; shown: boolean }[]) => async (cursor: string | undefined, batch: number) =>
      rows.filter((r) => cursor === undefined || r.id > cursor).slice(0, batch);

  it('pages through exactly the visible rows, in order, without repeats (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.boolean(), { maxLength: 120 }),
        fc.integer({ min: 1, max: 10 }),
        async (flags, limit) => {
          const rows = flags.map((shown, i) => ({ id: String(i).padStart(4, '0'), shown }));
          const fetch = source(rows);
          const seen: string[] = [];
          let cursor: string | undefined;
          for (let pages = 0; pages < 500; pages += 1) {
            const page = await collectVisible(
              (c) => fetch(c, limit + 1),
              limit + 1,
              (r) => r.shown,
              limit,
              cursor,
            );
            assert.ok(page.items.length <= limit);
            seen.push(...page.items.map((r) => r.id));
            if (page.next === null) break;
            cursor = page.next;
          }
          assert.deepEqual(
            seen,
            rows.filter((r) => r.shown).map((r) => r.id),
          );
        },
      ),
    );
  });

  it('stops after its scan budget but moves the cursor past what it read', async () => {
    const rows = Array.from({ length: 1000 }, (_, i) => ({
      id: String(i).padStart(4, '0'),
      shown: i === 999,
    }));
    const page = await collectVisible(
      (c) => source(rows)(c, 3),
      3,
      (r) => r.shown,
      2,
      undefined,
    );
    assert.deepEqual(page.items, []);
    assert.equal(page.next, String(3 * MAX_SCAN_BATCHES - 1).padStart(4, '0'));
  });
});
