import type { MiddlewareHandler } from 'hono';
import { communeParams } from '../communes/communes.schemas.ts';
import type { Need } from '../communes/permit.ts';
import { communeAccess } from '../http/access.ts';
import { signedIn, viewerOf } from '../http/auth.ts';
import { declareRoute, jsonBody, jsonResponse, mount, openApiApp } from '../http/declare.ts';
import type { ErrorCode } from '../http/error-catalog.ts';
import { respond, sendError } from '../http/errors.ts';
import type { DecisionsService } from './decisions.service.ts';
import { asMember, type Entered } from './proposals.service.ts';
import {
  ballotPageSchema,
  proposalPageSchema,
  proposalParams,
  proposalSchema,
  voteBodySchema,
  voteSchemas,
} from './proposals.schemas.ts';
import {
  decideSchema,
  outcomeSchema,
  proposalEditSchema,
  proposalInputSchema,
  proposalListQuery,
} from './proposals.ts';

declare module 'hono' {
  interface ContextVariableMap {
    /** The proposal `{id}` names, once inProposal() let the caller in. */
    proposal: Entered;
  }
}

const tag = 'decisions';
/** A proposal in a commune the caller may not see answers as a missing one. */
const hiddenAs = 'proposal_not_found';

/** What a proposal's settings and action may be refused for (settings.ts, methods/, actions/). */
const proposalErrors = [
  'method_required',
  'unknown_method',
  'options_missing',
  'options_not_allowed',
  'options_duplicated',
  'option_invalid',
  'too_many_options',
  'invalid_quorum',
  'invalid_threshold',
  'threshold_not_used',
  'invalid_budget',
  'budget_not_used',
  'closes_at_required',
  'closes_at_past',
  'closes_at_too_far',
  'opens_after_close',
  'governance_mismatch',
  'not_a_member',
  'application_not_found',
  'application_not_pending',
  'purse_to_purse',
  'limit_required',
  'self_alliance',
  'unknown_commune',
  'invalid_rate',
  'invalid_trade_limit',
  'mirrored_limit_out_of_range',
  'already_allied',
  'alliance_already_requested',
] as const satisfies readonly ErrorCode[];

export const createProposal = declareRoute({
  method: 'post',
  path: '/communes/{c}/proposals',
  operationId: 'createProposal',
  summary:
    'Put a question to the members. With an action, method, threshold, thresholdBasis and quorum come from governance and closesAt defaults to its duration (and may not be sooner). An action is { type, params } or flat { type, …params }; it is shown as { type, params }',
  tag,
  access: { commune: 'member' },
  request: { params: communeParams, body: jsonBody(proposalInputSchema) },
  responses: { 201: jsonResponse(proposalSchema, 'The proposal') },
  errors: proposalErrors,
});

export const listProposals = declareRoute({
  method: 'get',
  path: '/communes/{c}/proposals',
  operationId: 'listProposals',
  summary: 'The decision log: every proposal with its tally and executed action, newest first',
  tag,
  access: { commune: 'visitor' },
  request: { params: communeParams, query: proposalListQuery },
  responses: { 200: jsonResponse(proposalPageSchema, 'A page of proposals') },
});

export const getProposal = declareRoute({
  method: 'get',
  path: '/proposals/{id}',
  operationId: 'getProposal',
  summary: 'One proposal, with a live tally while open (where hideResults allows)',
  tag,
  access: { commune: 'visitor', hiddenAs },
  request: { params: proposalParams },
  responses: { 200: jsonResponse(proposalSchema, 'The proposal') },
});

export const castVote = declareRoute({
  method: 'post',
  path: '/proposals/{id}/votes',
  operationId: 'castVote',
  summary:
    'Vote. Voting again replaces the vote while open, except on anonymous proposals. Voting directly overrides your delegation. Closes the proposal once the result is settled and every eligible member has voted (anonymous ballots: once settled)',
  tag,
  access: { commune: 'member', hiddenAs },
  request: {
    params: proposalParams,
    body: jsonBody(voteBodySchema, 'The vote for the proposal’s method, and reason?'),
  },
  responses: { 201: jsonResponse(proposalSchema, 'The proposal, with the vote counted') },
  errors: ['voting_not_open', 'voting_ended', 'subject_cannot_vote', 'already_voted'],
});

export const listVotes = declareRoute({
  method: 'get',
  path: '/proposals/{id}/votes',
  operationId: 'listVotes',
  summary:
    'The ballots: voter, vote, reason (no voter on anonymous proposals), where the tally shows. Members only, unless the commune opened its ballots (openBallots)',
  tag,
  access: { commune: 'ballots', hiddenAs },
  request: { params: proposalParams },
  responses: { 200: jsonResponse(ballotPageSchema, 'Every ballot: one per member at most') },
  errors: ['results_hidden'],
});

export const closeProposal = declareRoute({
  method: 'post',
  path: '/proposals/{id}/close',
  operationId: 'closeProposal',
  summary:
    'Close before closesAt (author or steward), only once the result is settled: no vote still possible could change the outcome or quorum (a passed action then runs). An advisory poll (no action) its author may close at any time; its tally then says closedEarly: true. not_settled carries details { notVoted, delegated, awaitingAuthor, outcomeCanChange?, quorumCanChange?, closesAt }',
  tag,
  access: { commune: 'member', hiddenAs },
  request: { params: proposalParams },
  responses: { 200: jsonResponse(proposalSchema, 'The closed proposal') },
  errors: [
    'subject_cannot_close',
    'author_or_steward',
    'proposal_closed',
    'author_decides',
    'not_settled',
  ],
});

export const decideProposal = declareRoute({
  method: 'post',
  path: '/proposals/{id}/decide',
  operationId: 'decideProposal',
  summary:
    "advice: the author decides after hearing the advice (a steward when the author is gone). Before closesAt, a proposal with an action needs every member's advice first",
  tag,
  access: { commune: 'member', hiddenAs },
  request: { params: proposalParams, body: jsonBody(decideSchema) },
  responses: { 200: jsonResponse(proposalSchema, 'The decided proposal') },
  errors: ['not_advice', 'subject_cannot_close', 'author_only', 'proposal_closed', 'not_settled'],
});

export const recordOutcome = declareRoute({
  method: 'post',
  path: '/proposals/{id}/outcome',
  operationId: 'recordOutcome',
  summary: 'State what came of a closed proposal (author or steward)',
  tag,
  access: { commune: 'member', hiddenAs },
  request: { params: proposalParams, body: jsonBody(outcomeSchema) },
  responses: { 200: jsonResponse(proposalSchema, 'The proposal with its outcome') },
  errors: ['author_or_steward', 'still_open'],
});

export const editProposal = declareRoute({
  method: 'patch',
  path: '/proposals/{id}',
  operationId: 'editProposal',
  summary:
    'Reword your proposal’s title or body, until the first vote (then 409 proposal_has_votes)',
  tag,
  access: { commune: 'member', hiddenAs },
  request: { params: proposalParams, body: jsonBody(proposalEditSchema) },
  responses: { 200: jsonResponse(proposalSchema, 'The edited proposal') },
  errors: ['author_only', 'proposal_closed', 'proposal_has_votes'],
});

export function proposalsRoutes(decisions: DecisionsService) {
  const { proposals, votes, ports } = decisions;
  const inCommune = communeAccess(ports.communes);
  /** inCommune for routes naming a proposal: its commune, under the same rule. */
  const inProposal =
    (need: Need): MiddlewareHandler =>
    async (c, next) => {
      const entered = await proposals.enter(c.req.param('id') ?? '', viewerOf(c)?.id ?? null, need);
      if (!entered.ok) return sendError(c, entered.error);
      c.set('proposal', entered.value);
      await next();
    };

  const app = openApiApp();
  for (const [name, schema] of Object.entries(voteSchemas))
    app.openAPIRegistry.register(name, schema);

  mount(app, createProposal, [inCommune('member')], async (c) =>
    respond(c, await proposals.create(c.get('commune'), signedIn(c).id, c.req.valid('json')), 201),
  );
  mount(app, listProposals, [inCommune('visitor')], async (c) =>
    c.json(await proposals.list(c.get('commune'), c.req.valid('query'))),
  );
  mount(app, getProposal, [inProposal('visitor')], async (c) =>
    c.json(await proposals.view(c.get('proposal'))),
  );
  mount(app, castVote, [inProposal('member')], async (c) =>
    respond(c, await votes.cast(asMember(c.get('proposal')), c.req.valid('json')), 201),
  );
  mount(app, listVotes, [inProposal('ballots')], async (c) =>
    respond(c, await votes.ballots(c.get('proposal'))),
  );
  mount(app, closeProposal, [inProposal('member')], async (c) =>
    respond(c, await proposals.close(asMember(c.get('proposal')))),
  );
  mount(app, decideProposal, [inProposal('member')], async (c) =>
    respond(c, await proposals.decide(asMember(c.get('proposal')), c.req.valid('json').decision)),
  );
  mount(app, editProposal, [inProposal('member')], async (c) =>
    respond(c, await proposals.edit(asMember(c.get('proposal')), c.req.valid('json'))),
  );
  mount(app, recordOutcome, [inProposal('member')], async (c) =>
    respond(
      c,
      await proposals.setOutcome(asMember(c.get('proposal')), c.req.valid('json').outcome),
    ),
  );
  return app;
}
