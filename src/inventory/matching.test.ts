import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { MAX_MATCHES, rankMatches, words, type Matchable } from './matching.ts';

const item = (id: string, title: string, tags: string[] = [], body = ''): Matchable => ({
  id,
  kind: 'offer',
  title,
  body,
  tags,
});

describe('matching offers to needs', () => {
  it('folds case, drops stop words and stems plural and -ing forms', () => {
    assert.deepEqual(words('The Bicycles and REPAIRING of wheels'), ['bicycle', 'repair', 'wheel']);
  });

  it('puts the candidate sharing words and tags first and leaves out the unrelated', () => {
    const need = item('n', 'Bicycle wheel repair', ['bicycle']);
    const ranked = rankMatches(need, [
      item('a', 'Sourdough starter', ['bread']),
      item('b', 'Lending a pump', ['bicycle']),
      item('c', 'Wheel repair for bicycles', ['bicycle']),
    ]);
    assert.deepEqual(
      ranked.map((m) => m.item.id),
      ['c', 'b'],
    );
  });

  const text = fc.array(fc.constantFrom('wheel', 'bread', 'seed', 'tool', 'paint', 'the'), {
    maxLength: 8,
  });
  const tags = fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 3 });
  const candidate = fc.record({ title: text, tags });

  it('never lists the need itself, nothing unrelated, at most MAX_MATCHES, best first', () => {
    fc.assert(
      fc.property(candidate, fc.array(candidate, { maxLength: 40 }), (n, cs) => {
        const need = item('need', n.title.join(' '), n.tags);
        const all = [need, ...cs.map((c, i) => item(String(i), c.title.join(' '), c.tags))];
        const ranked = rankMatches(need, all);
        assert.ok(ranked.length <= MAX_MATCHES);
        assert.ok(ranked.every((m) => m.item.id !== 'need' && m.score > 0));
        for (let i = 1; i < ranked.length; i++) assert.ok(ranked[i - 1]!.score >= ranked[i]!.score);
      }),
    );
  });

  it('ranks a candidate higher when it shares one more tag with the need, all else equal', () => {
    fc.assert(
      fc.property(text, fc.array(candidate, { maxLength: 20 }), (title, others) => {
        const need = item('need', title.join(' '), ['a', 'b']);
        const one = item('one', 'unrelated words', ['a']);
        const two = item('two', 'unrelated words', ['a', 'b']);
        const cs = [...others.map((c, i) => item(String(i), c.title.join(' '), c.tags)), one, two];
        const ranked = rankMatches(need, cs);
        const at = (id: string) => ranked.find((m) => m.item.id === id)?.score ?? 0;
        assert.ok(at('two') > at('one'));
      }),
    );
  });
});
