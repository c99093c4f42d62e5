import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { viewerOf } from '../http/auth.ts';
import { respond, sendError } from '../http/errors.ts';
import type { Operation } from '../http/openapi.ts';
import { readJson, readQuery } from '../http/validate.ts';
import type { DecisionsService } from './decisions.service.ts';
import {
  decideSchema,
  outcomeSchema,
  proposalInputSchema,
  proposalListQuery,
} from './proposals.ts';

const tag = 'decisions';
const hidden = 'Unknown, or in a private commune the caller is outside of';
const proposal =
  '{ id, commune, title, body, author, status: open|passed|rejected|expired, method, options, closesAt, opensAt, quorum, threshold, thresholdBasis: cast|eligible|null, budget, anonymous, hideResults, topic, tally (null while hidden), tallyHidden, authorDecision, outcome, outcomeBy, outcomeAt, action: { type, params, executed, result } | null, createdAt, closedAt, viewerVote: { voted, vote, castAt, delegatedTo } | null, settlement: { settled, notVoted, delegated, outcomeCanChange, quorumCanChange, awaitingAuthor } | null }';

const reason = z.string().max(2000).optional();
/** For the document only: the service checks each vote against its proposal's method and options. */
const voteBody = z.union([
  z
    .object({ position: z.enum(['consent', 'object']), reason })
    .describe('consent (object needs a reason)'),
  z
    .object({ position: z.enum(['agree', 'abstain', 'disagree', 'block']), reason })
    .describe('consensus (block needs a reason)'),
  z.object({ choice: z.string(), reason }).describe('majority'),
  z
    .object({ ranking: z.array(z.string()), reason })
    .describe('ranked: best first, each option at most once'),
  z
    .object({ scores: z.record(z.string(), z.number().int().min(0).max(5)), reason })
    .describe('score: 0–5 per option'),
  z
    .object({ allocation: z.record(z.string(), z.number().int().min(0)), reason })
    .describe("allocation: points within the proposal's budget"),
  z
    .object({ position: z.enum(['support', 'concern']), reason: z.string().min(1).max(2000) })
    .describe('advice (a reason is required)'),
  z.object({ available: z.array(z.string()), reason }).describe('time: the slots you can attend'),
]);

export const proposalsOperations: Operation[] = [
  {
    method: 'post',
    path: '/api/v1/communes/{c}/proposals',
    tag,
    auth: true,
    body: proposalInputSchema,
    summary:
      'Put a question to the members (members). With an action, method, threshold, thresholdBasis (cast: votes cast without abstentions; eligible: all eligible members) and quorum come from governance and closesAt defaults to its duration (and may not be sooner). An action is { type, params } or flat { type, …params }; it is shown as { type, params }',
    responses: {
      201: proposal,
      400: 'Invalid input: unknown_method, method_required, closes_at_past, closes_at_required, options_missing, options_duplicated, options_not_allowed, invalid_threshold, …',
      401: 'Not signed in',
      403: 'members_only',
      404: hidden,
      409: 'application_not_pending',
      422: 'governance_mismatch, not_a_member, limit_required, self_alliance, …',
    },
  },
  {
    method: 'get',
    path: '/api/v1/communes/{c}/proposals',
    tag,
    query: proposalListQuery,
    summary: 'The decision log: every proposal with its tally and executed action, newest first',
    responses: { 200: '{ items: [proposal], next }', 400: 'Invalid input', 404: hidden },
  },
  {
    method: 'get',
    path: '/api/v1/proposals/{id}',
    tag,
    summary: 'One proposal, with a live tally while open (where hideResults allows)',
    responses: {
      200: proposal,
      404: 'proposal_not_found (also in communes the caller may not see)',
    },
  },
  {
    method: 'post',
    path: '/api/v1/proposals/{id}/votes',
    tag,
    auth: true,
    body: voteBody,
    summary:
      'Vote (members). Voting again replaces the vote while open, except on anonymous proposals. Voting directly overrides your delegation. Closes the proposal once the result is settled and every eligible member has voted (anonymous ballots: once settled)',
    responses: {
      201: proposal,
      400: 'The vote does not fit the method or options (field names it)',
      401: 'Not signed in',
      403: 'members_only',
      404: 'proposal_not_found',
      409: 'already_voted (anonymous)',
      422: 'voting_ended, voting_not_open, subject_cannot_vote',
    },
  },
  {
    method: 'get',
    path: '/api/v1/proposals/{id}/votes',
    tag,
    summary: 'The ballots: voter, vote, reason (no voter on anonymous proposals)',
    responses: {
      200: '{ items: [{ voter, vote, reason, castAt }], next: null, anonymous } (all of them: one per member at most)',
      403: 'results_hidden',
      404: 'proposal_not_found',
    },
  },
  {
    method: 'post',
    path: '/api/v1/proposals/{id}/close',
    tag,
    auth: true,
    summary:
      'Close before closesAt (author or steward), only once the result is settled: no vote still possible could change the outcome or quorum (a passed action then runs). An advisory poll (no action) its author may close at any time; its tally then says closedEarly: true',
    responses: {
      200: proposal,
      401: 'Not signed in',
      403: 'members_only, author_or_steward, subject_cannot_close (the member a removal is about)',
      404: 'proposal_not_found',
      409: 'proposal_closed',
      422: 'not_settled (error.details: { notVoted, delegated, awaitingAuthor, outcomeCanChange?, quorumCanChange?, closesAt }), author_decides (advice)',
    },
  },
  {
    method: 'post',
    path: '/api/v1/proposals/{id}/decide',
    tag,
    auth: true,
    body: decideSchema,
    summary:
      "advice: the author decides after hearing the advice (a steward when the author is gone). Before closesAt, a proposal with an action needs every member's advice first",
    responses: {
      200: proposal,
      401: 'Not signed in',
      403: 'author_only, subject_cannot_close',
      404: 'proposal_not_found',
      409: 'proposal_closed',
      422: 'not_advice, not_settled',
    },
  },
  {
    method: 'post',
    path: '/api/v1/proposals/{id}/outcome',
    tag,
    auth: true,
    body: outcomeSchema,
    summary: 'State what came of a closed proposal (author or steward)',
    responses: {
      200: proposal,
      401: 'Not signed in',
      403: 'author_or_steward',
      404: 'proposal_not_found',
      422: 'still_open',
    },
  },
];

const viewer = (c: Context) => viewerOf(c);

export function proposalsRoutes(decisions: DecisionsService) {
  const { proposals, votes } = decisions;
  return new Hono()
    .post('/communes/:c/proposals', async (c) => {
      const input = await readJson(c, proposalInputSchema);
      if (!input.ok) return sendError(c, input.error);
      return respond(c, await proposals.create(c.req.param('c'), viewer(c), input.value), 201);
    })
    .get('/communes/:c/proposals', async (c) => {
      const q = readQuery(c, proposalListQuery);
      return q.ok
        ? respond(c, await proposals.list(c.req.param('c'), viewer(c)?.id ?? null, q.value))
        : sendError(c, q.error);
    })
    .get('/proposals/:id', async (c) =>
      respond(c, await proposals.get(c.req.param('id'), viewer(c)?.id ?? null)),
    )
    .post('/proposals/:id/votes', async (c) => {
      const body = await readJson(c, z.record(z.string(), z.unknown(), 'a vote is a JSON object'));
      if (!body.ok) return sendError(c, body.error);
      return respond(c, await votes.cast(c.req.param('id'), viewer(c), body.value), 201);
    })
    .get('/proposals/:id/votes', async (c) =>
      respond(c, await votes.ballots(c.req.param('id'), viewer(c))),
    )
    .post('/proposals/:id/close', async (c) =>
      respond(c, await proposals.close(c.req.param('id'), viewer(c))),
    )
    .post('/proposals/:id/decide', async (c) => {
      const body = await readJson(c, decideSchema);
      if (!body.ok) return sendError(c, body.error);
      return respond(c, await proposals.decide(c.req.param('id'), viewer(c), body.value.decision));
    })
    .post('/proposals/:id/outcome', async (c) => {
      const body = await readJson(c, outcomeSchema);
      if (!body.ok) return sendError(c, body.error);
      return respond(
        c,
        await proposals.setOutcome(c.req.param('id'), viewer(c), body.value.outcome),
      );
    });
}
