import { Hono } from 'hono';
import { viewerOf } from '../http/auth.ts';
import { respond, sendError } from '../http/errors.ts';
import type { Operation } from '../http/openapi.ts';
import { readJson, readQuery } from '../http/validate.ts';
import { delegationsQuery } from './delegation-limits.ts';
import type { DecisionsService } from './decisions.service.ts';
import { delegationSchema } from './proposals.ts';

const tag = 'decisions';
const hidden = 'Unknown, or private and the caller is outside';

export const delegationsOperations: Operation[] = [
  {
    method: 'put',
    path: '/api/v1/communes/{c}/delegation',
    tag,
    auth: true,
    body: delegationSchema,
    summary:
      'Lend your vote to another member, for every topic (topic left out) or one topic; to: null revokes. Transitive; voting directly overrides it',
    responses: {
      200: '{ from, to, topic }',
      400: 'Invalid input',
      401: 'Not signed in',
      403: 'members_only',
      404: hidden,
      422: 'self_delegation, delegate_not_member, too_many_delegations (at most 50 topics per member)',
    },
  },
  {
    method: 'get',
    path: '/api/v1/communes/{c}/delegations',
    tag,
    auth: true,
    query: delegationsQuery,
    summary: "Everyone's delegations (members), by delegator and topic; paged with ?after=&limit=",
    responses: {
      200: '{ items: [{ from, to, topic, createdAt }], next } (next: the cursor for ?after=, or null)',
      400: 'Invalid input (a cursor this list did not give out)',
      401: 'Not signed in',
      403: 'members_only',
      404: hidden,
    },
  },
  {
    method: 'get',
    path: '/api/v1/communes/{c}/governance',
    tag,
    summary:
      'How the commune decides each action: method, threshold, thresholdBasis (cast|eligible), quorum, durationHours (change_governance is the only way to change it)',
    responses: {
      200: '{ rules: { <action>: { method, threshold, thresholdBasis, quorum, durationHours, proposal, updatedAt } } }',
      404: hidden,
    },
  },
];

export function delegationsRoutes(decisions: DecisionsService) {
  const { delegations, governance, ports } = decisions;
  return new Hono()
    .put('/communes/:c/delegation', async (c) => {
      const body = await readJson(c, delegationSchema);
      if (!body.ok) return sendError(c, body.error);
      return respond(c, await delegations.set(c.req.param('c'), viewerOf(c), body.value));
    })
    .get('/communes/:c/delegations', async (c) => {
      const q = readQuery(c, delegationsQuery);
      return q.ok
        ? respond(c, await delegations.list(c.req.param('c'), viewerOf(c), q.value))
        : sendError(c, q.error);
    })
    .get('/communes/:c/governance', async (c) => {
      const access = await ports.communes.access(c.req.param('c'), viewerOf(c)?.id ?? null);
      return access.ok
        ? respond(c, await governance.view(access.value.communeId))
        : sendError(c, access.error);
    });
}
