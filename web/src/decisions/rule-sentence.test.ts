import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ruleSentence, shareWords } from './rule-sentence.ts';

// Run with: npx node --test web/src/decisions/rule-sentence.test.ts
const consensus = {
  method: 'consensus' as const,
  threshold: 2 / 3,
  thresholdBasis: 'eligible' as const,
  quorum: 0,
};

describe('the rule in words', () => {
  it('says a consensus counts all members, with their number when known', () => {
    assert.equal(ruleSentence(consensus, 12), 'needs 2/3 of all 12 members to agree, and no block');
    assert.equal(ruleSentence(consensus), 'needs 2/3 of all members to agree, and no block');
    assert.equal(
      ruleSentence({ ...consensus, threshold: 0.75, thresholdBasis: 'cast' }, 12),
      'needs 3/4 of those who take a side to agree, and no block',
    );
    assert.equal(
      ruleSentence({ ...consensus, threshold: 1 }, 5),
      'needs every one of the 5 members to agree, and no block',
    );
  });

  it('adds the quorum as a number of members', () => {
    assert.equal(
      ruleSentence({ ...consensus, threshold: 0.75, quorum: 0.5 }, 10),
      'needs 3/4 of all 10 members to agree, and no block, with at least 5 of 10 members voting',
    );
    assert.equal(
      ruleSentence({ method: 'consent', threshold: null, thresholdBasis: null, quorum: 0.5 }, 7),
      'passes unless someone objects, with at least 4 of 7 members voting',
    );
    assert.equal(
      ruleSentence({ method: 'consent', threshold: null, thresholdBasis: null, quorum: 0.5 }),
      'passes unless someone objects, with at least half of the members voting',
    );
  });

  it('words a majority motion and a majority among options', () => {
    const motion = {
      method: 'majority' as const,
      threshold: 0.5,
      thresholdBasis: 'cast' as const,
      quorum: 0,
      options: ['yes', 'no'],
    };
    assert.equal(ruleSentence(motion, 9), 'needs more than half of the votes cast to vote yes');
    assert.equal(
      ruleSentence({ ...motion, thresholdBasis: 'eligible' }, 9),
      'needs more than half of all 9 members to vote yes',
    );
    assert.equal(
      ruleSentence({ ...motion, threshold: 0.3, options: ['pears', 'plums'] }, 9),
      'the winning option needs more than 3/10 of the votes cast',
    );
  });

  it('has a sentence for every method', () => {
    for (const method of ['advice', 'ranked', 'score', 'allocation', 'time'] as const) {
      const s = ruleSentence({ method, threshold: null, thresholdBasis: null, quorum: 0 }, 3);
      assert.ok(s.length > 10 && !s.includes('undefined'), `${method}: ${s}`);
    }
  });

  it('reads shares as fractions where they are simple', () => {
    assert.deepEqual([0.5, 2 / 3, 0.75, 0.6, 0.62, 1 / 12].map(shareWords), [
      'half',
      '2/3',
      '3/4',
      '3/5',
      '62%',
      '1/12',
    ]);
  });
});
