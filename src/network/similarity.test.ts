import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { corpusOf, textSimilarity, tokenize } from './similarity.ts';

describe('text similarity', () => {
  const texts = [
    'We grow food and save seeds for the valley',
    'Seeds, food and water for everyone in the valley',
    'A choir singing old songs on Sundays',
  ];
  const corpus = corpusOf(texts);

  it('finds texts about the same things more alike than unrelated ones', () => {
    const [farm, water, choir] = texts as [string, string, string];
    assert.ok(textSimilarity(farm, water, corpus) > 0.2);
    assert.equal(textSimilarity(farm, choir, corpus), 0);
    assert.ok(Math.abs(textSimilarity(farm, farm, corpus) - 1) < 1e-9);
  });

  it('ignores case, punctuation and stop words', () => {
    assert.deepEqual(tokenize('The SEEDS, of the Valley!'), ['seeds', 'valley']);
  });

  it('lies in [0, 1] and is symmetric for any texts', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.string(),
        fc.array(fc.string(), { maxLength: 5 }),
        (a, b, rest) => {
          const c = corpusOf([a, b, ...rest]);
          const ab = textSimilarity(a, b, c);
          assert.ok(ab >= 0 && ab <= 1);
          assert.ok(Math.abs(ab - textSimilarity(b, a, c)) < 1e-12);
        },
      ),
    );
  });
});
