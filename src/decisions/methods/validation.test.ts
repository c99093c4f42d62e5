import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { METHODS } from '../method-shapes.ts';
import { optionNames, voteArb } from './arbitraries.testing.ts';
import { REASON_MAX } from './common.ts';
import { methods, validateSettings } from './index.ts';

const options = ['A', 'B', 'C', 'D'];
const accepts = (method: keyof typeof methods, body: unknown, settings?: { budget?: number }) =>
  methods[method].voteSchema(options, settings).safeParse(body).success;
/** The path of the first issue, joined with dots, as readJson would name the field. */
const fieldOf = (method: keyof typeof methods, body: unknown) => {
  const parsed = methods[method].voteSchema(options).safeParse(body);
  return parsed.success ? null : parsed.error.issues.map((i) => i.path.map(String).join('.'))[0];
};

describe('proposal options', () => {
  const choiceMethods = ['ranked', 'score', 'allocation', 'time'] as const;

  it('choice methods refuse missing, single, blank and duplicated options', () => {
    for (const m of choiceMethods) {
      const code = (o: string[] | undefined) => {
        const r = methods[m].validateOptions(o);
        return r.ok ? 'ok' : r.error.code;
      };
      assert.equal(code(undefined), 'options_missing', m);
      assert.equal(code([]), 'options_missing', m);
      assert.equal(code(['only']), 'options_missing', m);
      assert.equal(code(['a', '  ']), 'option_invalid', m);
      assert.equal(code(['Tea', 'coffee', 'tea ']), 'options_duplicated', m);
      assert.equal(code(['x'.repeat(201), 'y']), 'option_invalid', m);
      assert.equal(code(optionNames(2)), 'ok', m);
    }
  });

  it('any list holding the same option twice is refused, wherever it sits', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(
          fc
            .string({ minLength: 1, maxLength: 20 })
            .filter((s) => s.trim() !== '' && s.trim() !== '__proto__'),
          { minLength: 1, maxLength: 20, selector: (s) => s.trim().toLowerCase() },
        ),
        fc.nat(),
        fc.nat(),
        (unique, pick, at) => {
          const copy = unique[pick % unique.length]!;
          const list = [...unique];
          list.splice(at % (list.length + 1), 0, copy.toUpperCase());
          for (const m of choiceMethods) {
            const r = methods[m].validateOptions(list);
            assert.equal(r.ok ? 'ok' : r.error.code, 'options_duplicated');
          }
          if (unique.length >= 2)
            assert.deepEqual(methods.ranked.validateOptions(unique), {
              ok: true,
              value: unique.map((s) => s.trim()),
            });
        },
      ),
    );
  });

  it('plain questions take no options; a bare majority is a yes/no motion', () => {
    for (const m of ['consent', 'consensus', 'advice'] as const) {
      assert.deepEqual(methods[m].validateOptions(undefined), { ok: true, value: [] });
      const r = methods[m].validateOptions(['a', 'b']);
      assert.equal(r.ok ? 'ok' : r.error.code, 'options_not_allowed');
    }
    assert.deepEqual(methods.majority.validateOptions(undefined), {
      ok: true,
      value: ['yes', 'no'],
    });
    assert.deepEqual(methods.majority.validateOptions(['A', 'B']), { ok: true, value: ['A', 'B'] });
  });
});

describe('vote bodies', () => {
  it('every generated valid vote is accepted', () => {
    for (const m of METHODS) {
      fc.assert(
        fc.property(voteArb(m, options), (vote) =>
          assert.ok(accepts(m, vote), `${m}: ${JSON.stringify(vote)}`),
        ),
        { numRuns: 50 },
      );
    }
  });

  it('a ranking with an unknown or a repeated option is refused, naming the entry', () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray(options, { minLength: 1 }),
        fc.nat(),
        fc.boolean(),
        (ranking, at, unknown) => {
          const bad = [...ranking];
          const i = at % (bad.length + 1);
          bad.splice(i, 0, unknown ? 'Z' : ranking[at % ranking.length]!);
          assert.equal(accepts('ranked', { ranking: bad }), false);
        },
      ),
    );
    assert.equal(fieldOf('ranked', { ranking: ['A', 'Z'] }), 'ranking.1');
    assert.equal(fieldOf('ranked', { ranking: ['A', 'B', 'A'] }), 'ranking.2');
    assert.equal(accepts('ranked', { ranking: [] }), false);
    assert.equal(accepts('ranked', { ranking: 'A' }), false);
  });

  it('scores outside 0–5, fractional, or for unknown options are refused', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...options),
        fc.oneof(
          fc.integer({ max: -1 }),
          fc.integer({ min: 6 }),
          fc.double({ noInteger: true, noNaN: true }),
        ),
        (option, bad) => {
          assert.equal(accepts('score', { scores: { [option]: bad } }), false);
        },
      ),
    );
    fc.assert(
      fc.property(fc.constantFrom(...options), fc.integer({ min: 0, max: 5 }), (option, ok) =>
        assert.ok(accepts('score', { scores: { [option]: ok } })),
      ),
    );
    assert.equal(fieldOf('score', { scores: { A: 6 } }), 'scores.A');
    assert.equal(fieldOf('score', { scores: { Z: 3 } }), 'scores.Z');
  });

  it('an allocation over the budget is refused; up to it is accepted', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 4, maxLength: 4 }),
        (budget, points) => {
          const allocation = Object.fromEntries(options.map((o, i) => [o, points[i]!]));
          const spent = points.reduce((s, p) => s + p, 0);
          assert.equal(accepts('allocation', { allocation }, { budget }), spent <= budget);
        },
      ),
    );
    assert.equal(accepts('allocation', { allocation: { A: 10 } }), true, 'default budget 10');
    assert.equal(accepts('allocation', { allocation: { A: 6, B: 5 } }), false);
    assert.equal(accepts('allocation', { allocation: { A: -1 } }), false);
    assert.equal(accepts('allocation', { allocation: { Z: 1 } }), false);
  });

  it('time and majority accept only the proposal options', () => {
    assert.equal(accepts('time', { available: ['A', 'C'] }), true);
    assert.equal(accepts('time', { available: [] }), true);
    assert.equal(fieldOf('time', { available: ['A', 'A'] }), 'available.1');
    assert.equal(fieldOf('time', { available: ['Q'] }), 'available.0');
    assert.equal(accepts('majority', { choice: 'B' }), true);
    assert.equal(fieldOf('majority', { choice: 'Q' }), 'choice');
  });

  it('objecting, blocking and advising need a reason of at most 2000 characters', () => {
    for (const [m, position] of [
      ['consent', 'object'],
      ['consensus', 'block'],
      ['advice', 'support'],
      ['advice', 'concern'],
    ] as const) {
      assert.equal(fieldOf(m, { position }), 'reason', `${m} ${position} without a reason`);
      assert.equal(
        fieldOf(m, { position, reason: '   ' }),
        'reason',
        `${m} ${position} with a blank reason`,
      );
      assert.equal(fieldOf(m, { position, reason: 'x'.repeat(REASON_MAX + 1) }), 'reason');
      assert.equal(accepts(m, { position, reason: 'x'.repeat(REASON_MAX) }), true);
    }
    assert.equal(accepts('consent', { position: 'consent' }), true);
    assert.equal(accepts('consensus', { position: 'disagree' }), true);
    assert.equal(fieldOf('consent', { position: 'maybe' }), 'position');
  });
});

describe('proposal settings', () => {
  const code = (r: ReturnType<typeof validateSettings>) => (r.ok ? r.value : r.error.code);
  it('fills in defaults', () => {
    assert.deepEqual(code(validateSettings('majority', {})), {
      quorum: 0,
      threshold: 0.5,
      thresholdBasis: 'cast',
      budget: null,
    });
    assert.deepEqual(code(validateSettings('consensus', { quorum: 0.5 })), {
      quorum: 0.5,
      threshold: 0.75,
      thresholdBasis: 'eligible',
      budget: null,
    });
    assert.deepEqual(code(validateSettings('allocation', {})), {
      quorum: 0,
      threshold: null,
      thresholdBasis: null,
      budget: 10,
    });
  });
  it('refuses shares outside 0..1 and settings the method does not use', () => {
    assert.equal(code(validateSettings('consent', { quorum: 1.5 })), 'invalid_quorum');
    assert.equal(code(validateSettings('consent', { threshold: 0.5 })), 'threshold_not_used');
    assert.equal(code(validateSettings('majority', { threshold: 1 })), 'invalid_threshold');
    assert.equal(code(validateSettings('consensus', { threshold: -0.1 })), 'invalid_threshold');
    assert.equal(code(validateSettings('score', { budget: 5 })), 'budget_not_used');
    assert.equal(code(validateSettings('allocation', { budget: 0 })), 'invalid_budget');
  });
});
