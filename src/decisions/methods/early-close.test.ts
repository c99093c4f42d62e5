import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { METHODS, checkInput, type TallyInput } from '../method-shapes.ts';
import { ballotsArb, profileArb } from './arbitraries.testing.ts';
import { methods } from './index.ts';

// Early close is only safe if "cannot change" is never wrong: whatever the members who have
// not voted yet do, the closed result (outcome and winner) stays the same.
describe('early close', () => {
  for (const name of METHODS) {
    const method = methods[name];
    it(`${name}: when the result can no longer change, no further votes change it`, () => {
      let settledWithVotesLeft = 0;
      fc.assert(
        fc.property(
          profileArb(name, false).chain((input) =>
            fc.tuple(
              fc.constant(input),
              ballotsArb(name, [...input.options], checkInput(input).remaining, 'late'),
            ),
          ),
          ([input, late]) => {
            if (method.canStillChange(input)) return;
            if (checkInput(input).remaining > 0) settledWithVotesLeft++;
            const closed: TallyInput<unknown> = { ...input, closed: true };
            const now = method.tally(closed);
            const later = method.tally({ ...closed, ballots: [...input.ballots, ...late] });
            assert.equal(later.outcome, now.outcome);
            assert.equal(
              'winner' in later ? later.winner : null,
              'winner' in now ? now.winner : null,
            );
            // While open, a settled tally already shows the final outcome.
            assert.equal(method.tally(input).outcome, now.outcome);
          },
        ),
        { numRuns: 400 },
      );
      // Otherwise the property above would hold vacuously.
      assert.ok(settledWithVotesLeft > 0, `${name}: no profile was settled early`);
    });

    it(`${name}: with every vote cast nothing can change`, () => {
      fc.assert(
        fc.property(profileArb(name, false), (input) => {
          const full = { ...input, eligible: checkInput(input).castWeight };
          assert.equal(method.canStillChange(full), name === 'advice' && !input.authorDecision);
        }),
        { numRuns: 100 },
      );
    });

    it(`${name}: an open tally that can still change says so`, () => {
      fc.assert(
        fc.property(profileArb(name, false), (input) => {
          const open = method.tally(input);
          if (method.canStillChange(input))
            assert.deepEqual([open.outcome, open.reason], ['undecided', 'open']);
          else assert.notEqual(open.reason, 'open');
        }),
        { numRuns: 100 },
      );
    });
  }
});
