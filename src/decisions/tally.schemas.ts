import { z } from 'zod';
import { THRESHOLD_BASES } from './method-shapes.ts';

// What a tally looks like on the wire (methods/*.ts make them), one schema per method, so
// the document and the web app can narrow on `method`.

const outcome = z.enum(['passed', 'rejected', 'undecided']);
const reason = z.enum([
  'open',
  'quorum_not_met',
  'objected',
  'blocked',
  'threshold_not_met',
  'tied',
  'no_votes',
  'awaiting_author',
  'author_decided',
]);

export const optionWeightSchema = z
  .object({ option: z.string(), weight: z.number() })
  .meta({ id: 'OptionWeight' });

const common = {
  outcome,
  reason: reason.nullable(),
  closed: z.boolean(),
  eligible: z.number().int(),
  castWeight: z.number().int().meta({ description: 'Votes cast, delegated ones included' }),
  ballotCount: z.number().int(),
  quorum: z.number(),
  quorumMet: z.boolean(),
  threshold: z.number().nullable(),
  thresholdBasis: z.enum(THRESHOLD_BASES).nullable(),
  carried: z
    .array(z.object({ voter: z.string().nullable(), weight: z.number().int() }))
    .meta({ description: 'Votes each ballot carried (1 + delegated); voter null when anonymous' }),
  closedEarly: z
    .literal(true)
    .optional()
    .meta({ description: 'An advisory poll its author closed before the result was settled' }),
};
const choice = { winners: z.array(z.string()), winner: z.string().nullable() };

export const irvRoundSchema = z
  .object({
    counts: z.array(optionWeightSchema),
    exhausted: z.number(),
    eliminated: z.string().nullable(),
  })
  .meta({ id: 'IrvRound' });

const positions = <const P extends readonly [string, ...string[]]>(p: P) =>
  z.object(Object.fromEntries(p.map((k) => [k, z.number()])) as Record<P[number], z.ZodNumber>);

export const tallySchema = z
  .discriminatedUnion('method', [
    z
      .object({
        method: z.literal('consent'),
        ...common,
        counts: positions(['consent', 'object']),
      })
      .meta({ id: 'ConsentTally' }),
    z
      .object({
        method: z.literal('consensus'),
        ...common,
        counts: positions(['agree', 'abstain', 'disagree', 'block']),
        agreeShare: z.number(),
      })
      .meta({ id: 'ConsensusTally' }),
    z
      .object({
        method: z.literal('majority'),
        ...common,
        ...choice,
        counts: z.array(optionWeightSchema),
        motion: z.boolean().meta({ description: 'yes/no options: only "yes" passes it' }),
      })
      .meta({ id: 'MajorityTally' }),
    z
      .object({
        method: z.literal('ranked'),
        ...common,
        ...choice,
        options: z.array(z.string()),
        pairwise: z.array(z.array(z.number())),
        strongestPaths: z.array(z.array(z.number())),
        order: z.array(z.string()),
        tiers: z.array(z.array(z.string())).meta({ description: 'Schulze tiers; a tier is a tie' }),
        instantRunoff: z.object({
          winner: z.string().nullable(),
          tied: z.array(z.string()),
          rounds: z.array(irvRoundSchema),
        }),
      })
      .meta({ id: 'RankedTally' }),
    z
      .object({
        method: z.literal('score'),
        ...common,
        ...choice,
        counts: z.array(z.object({ option: z.string(), weight: z.number(), average: z.number() })),
      })
      .meta({ id: 'ScoreTally' }),
    z
      .object({
        method: z.literal('allocation'),
        ...common,
        ...choice,
        budget: z.number().int(),
        counts: z.array(optionWeightSchema),
      })
      .meta({ id: 'AllocationTally' }),
    z
      .object({
        method: z.literal('advice'),
        ...common,
        counts: positions(['support', 'concern']),
      })
      .meta({ id: 'AdviceTally' }),
    z
      .object({
        method: z.literal('time'),
        ...common,
        ...choice,
        counts: z.array(optionWeightSchema),
      })
      .meta({ id: 'TimeTally' }),
  ])
  .meta({ id: 'Tally' });
