// fast-check generators of valid votes and weighted profiles, shared by the method tests.
import fc from 'fast-check';
import type { Ballot, TallyInput } from '../method-shapes.ts';
import { ALLOCATION_BUDGET } from './allocation.ts';
import type { MethodName } from '../method-shapes.ts';

export const optionNames = (n: number): string[] =>
  Array.from({ length: n }, (_, i) => String.fromCharCode(65 + i));

/** A valid vote of `method` among `options`. */
export function voteArb(
  method: MethodName,
  options: string[],
  budget = ALLOCATION_BUDGET,
): fc.Arbitrary<unknown> {
  switch (method) {
    case 'consent':
      return fc.constantFrom({ position: 'consent' }, { position: 'object', reason: 'not yet' });
    case 'consensus':
      return fc.constantFrom(
        { position: 'agree' },
        { position: 'abstain' },
        { position: 'disagree' },
        { position: 'block', reason: 'harm' },
      );
    case 'advice':
      return fc.constantFrom(
        { position: 'support', reason: 'good' },
        { position: 'concern', reason: 'risky' },
      );
    case 'majority':
      return fc.constantFrom(...options).map((choice) => ({ choice }));
    case 'ranked':
      return fc.shuffledSubarray(options, { minLength: 1 }).map((ranking) => ({ ranking }));
    case 'time':
      return fc.subarray(options).map((available) => ({ available }));
    case 'score':
      return fc
        .subarray(options)
        .chain((rated) =>
          fc
            .tuple(...rated.map(() => fc.integer({ min: 0, max: 5 })))
            .map((scores) => ({ scores: Object.fromEntries(rated.map((o, i) => [o, scores[i]])) })),
        );
    case 'allocation':
      return fc
        .array(fc.integer({ min: 0, max: budget }), {
          minLength: options.length,
          maxLength: options.length,
        })
        .map((raw) => {
          // Hand out in order until the budget runs out.
          let left = budget;
          const allocation: Record<string, number> = {};
          raw.forEach((points, i) => {
            const given = Math.min(points, left);
            left -= given;
            if (given > 0) allocation[options[i]!] = given;
          });
          return { allocation };
        });
  }
}

/** Weighted ballots from `prefix`0, `prefix`1, … whose weights add up to at most `maxWeight`. */
export function ballotsArb(
  method: MethodName,
  options: string[],
  maxWeight: number,
  prefix = 'v',
): fc.Arbitrary<Ballot<unknown>[]> {
  return fc
    .array(fc.tuple(fc.integer({ min: 1, max: 3 }), voteArb(method, options)), { maxLength: 12 })
    .map((pairs) => {
      const ballots: Ballot<unknown>[] = [];
      let total = 0;
      for (const [weight, vote] of pairs) {
        if (total + weight > maxWeight) break;
        total += weight;
        ballots.push({ voter: `${prefix}${ballots.length}`, weight, vote });
      }
      return ballots;
    });
}

const thresholdFor = (method: MethodName): fc.Arbitrary<number | null> =>
  method === 'consensus'
    ? fc.constantFrom(null, 0, 0.5, 2 / 3, 1)
    : method === 'majority'
      ? fc.constantFrom(null, 0.3, 0.5, 2 / 3)
      : fc.constant(null);

/** A profile: options, ballots, a number of eligible voters ≥ the weight cast, quorum, threshold. */
export function profileArb(method: MethodName, closed: boolean): fc.Arbitrary<TallyInput<unknown>> {
  const optionCount =
    method === 'consent' || method === 'consensus' || method === 'advice'
      ? fc.constant(0)
      : fc.integer({ min: 2, max: 5 });
  return optionCount.chain((n) => {
    const options = method === 'majority' && n === 2 ? ['yes', 'no'] : optionNames(n);
    return fc
      .record({
        options: fc.constant(options),
        ballots: ballotsArb(method, options, 30),
        spare: fc.integer({ min: 0, max: 6 }),
        quorum: fc.constantFrom(0, 0.25, 0.5, 1),
        threshold: thresholdFor(method),
        thresholdBasis:
          method === 'consensus' || method === 'majority'
            ? fc.constantFrom(null, 'cast' as const, 'eligible' as const)
            : fc.constant(null),
        authorDecision:
          method === 'advice'
            ? fc.constantFrom(null, 'passed' as const, 'rejected' as const)
            : fc.constant(null),
      })
      .map(({ spare, ballots, ...rest }) => ({
        ...rest,
        ballots,
        eligible: ballots.reduce((sum, b) => sum + b.weight, 0) + spare,
        closed,
      }));
  });
}
