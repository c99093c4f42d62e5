import { z } from 'zod';
import { ACTION_TYPES } from './governance.ts';
import { METHODS, THRESHOLD_BASES } from './method-shapes.ts';
import { MAX_SCORE } from './methods/score.ts';
import { HIDE_RESULTS, STATUSES } from './proposals.ts';
import { tallySchema } from './tally.schemas.ts';

// What the proposal routes answer (proposal-view.ts, votes.service.ts), as the OpenAPI
// document and the web app see it.

export const proposalParams = z.object({ id: z.string() });

const time = z.string();

export const actionViewSchema = z
  .object({
    type: z.enum(ACTION_TYPES),
    params: z.record(z.string(), z.unknown()).meta({
      description: 'What the proposer named; { hidden: true } where the caller may not see it',
    }),
    executed: z.boolean(),
    result: z.record(z.string(), z.unknown()).nullable().meta({
      description: 'What the action did, or { error: { code, message } } when it could not run',
    }),
  })
  .meta({ id: 'ActionView' });

export const viewerVoteSchema = z
  .object({
    voted: z.boolean(),
    vote: z.record(z.string(), z.unknown()).nullable(),
    castAt: time.nullable(),
    delegatedTo: z.string().nullable(),
  })
  .meta({ id: 'ViewerVote' });

export const settlementSchema = z
  .object({
    settled: z.boolean(),
    notVoted: z.number().int(),
    delegated: z.number().int(),
    outcomeCanChange: z.boolean(),
    quorumCanChange: z.boolean(),
    awaitingAuthor: z.boolean(),
  })
  .meta({ id: 'Settlement' });

export const proposalSchema = z
  .object({
    id: z.string(),
    commune: z.string(),
    title: z.string(),
    body: z.string(),
    author: z.string().nullable(),
    status: z.enum(STATUSES),
    method: z.enum(METHODS),
    options: z.array(z.string()),
    closesAt: time,
    opensAt: time,
    quorum: z.number(),
    threshold: z.number().nullable(),
    thresholdBasis: z.enum(THRESHOLD_BASES).nullable().meta({
      description: 'cast: votes cast without abstentions; eligible: all eligible members',
    }),
    budget: z.number().int().nullable(),
    anonymous: z.boolean(),
    hideResults: z.enum(HIDE_RESULTS),
    topic: z.string().nullable(),
    /** Null while hideResults hides it. */
    tally: z.union([tallySchema, z.null()]),
    tallyHidden: z.boolean(),
    authorDecision: z.enum(['passed', 'rejected']).nullable(),
    outcome: z.string().nullable(),
    outcomeBy: z.string().nullable(),
    outcomeAt: time.nullable(),
    // A union, not .nullable(): the generator drops null beside a named schema.
    action: z.union([actionViewSchema, z.null()]),
    createdAt: time,
    closedAt: time.nullable(),
    /** Members only. */
    viewerVote: z.union([viewerVoteSchema, z.null()]),
    /** While open and the tally shows: what closing early waits for. */
    settlement: z.union([settlementSchema, z.null()]),
  })
  .meta({ id: 'Proposal' });

export const proposalPageSchema = z
  .object({ items: z.array(proposalSchema), next: z.string().nullable() })
  .meta({ id: 'ProposalPage' });

export const ballotSchema = z
  .object({
    voter: z.string().nullable().meta({ description: 'Null on anonymous proposals' }),
    vote: z.record(z.string(), z.unknown()),
    reason: z.string().nullable(),
    castAt: time.nullable(),
  })
  .meta({ id: 'Ballot' });

export const ballotPageSchema = z
  .object({
    items: z.array(ballotSchema),
    next: z.null().meta({ description: 'Always null: one ballot per member at most' }),
    anonymous: z.boolean(),
  })
  .meta({ id: 'BallotPage' });

const reason = z.string().max(2000).optional();

/** Each method's vote body, for the document only: the service checks a vote against its proposal. */
export const voteSchemas = {
  ConsentVote: z
    .object({ position: z.enum(['consent', 'object']), reason })
    .meta({ description: 'consent (object needs a reason)' }),
  ConsensusVote: z
    .object({ position: z.enum(['agree', 'abstain', 'disagree', 'block']), reason })
    .meta({ description: 'consensus (block needs a reason)' }),
  MajorityVote: z.object({ choice: z.string(), reason }).meta({ description: 'majority' }),
  RankedVote: z
    .object({ ranking: z.array(z.string()), reason })
    .meta({ description: 'ranked: best first, each option at most once' }),
  ScoreVote: z
    .object({ scores: z.record(z.string(), z.number().int().min(0).max(MAX_SCORE)), reason })
    .meta({ description: `score: 0–${MAX_SCORE} per option` }),
  AllocationVote: z
    .object({ allocation: z.record(z.string(), z.number().int().min(0)), reason })
    .meta({ description: "allocation: points within the proposal's budget" }),
  AdviceVote: z
    .object({ position: z.enum(['support', 'concern']), reason: z.string().min(1).max(2000) })
    .meta({ description: 'advice (a reason is required)' }),
  TimeVote: z
    .object({ available: z.array(z.string()), reason })
    .meta({ description: 'time: the slots you can attend' }),
} as const;

/**
 * A vote is read as any JSON object and checked against its proposal's method by the
 * service (so the error names the field the method cares about); the document says which
 * shapes those are.
 */
export const voteBodySchema = z.record(z.string(), z.unknown(), 'a vote is a JSON object').meta({
  id: 'Vote',
  anyOf: Object.keys(voteSchemas).map((name) => ({ $ref: `#/components/schemas/${name}` })),
} as Record<string, unknown>);
