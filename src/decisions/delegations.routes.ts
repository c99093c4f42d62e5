import { communeParams } from '../communes/communes.schemas.ts';
import { communeAccess } from '../http/access.ts';
import { signedIn } from '../http/auth.ts';
import { declareRoute, jsonBody, jsonResponse, mount, openApiApp } from '../http/declare.ts';
import { respond } from '../http/errors.ts';
import { delegationsQuery } from './delegation-limits.ts';
import type { DecisionsService } from './decisions.service.ts';
import {
  delegationChangeSchema,
  delegationPageSchema,
  governanceSchema,
} from './delegations.schemas.ts';
import { delegationSchema as delegationInput } from './proposals.ts';

const tag = 'decisions';

export const setDelegation = declareRoute({
  method: 'put',
  path: '/communes/{c}/delegation',
  operationId: 'setDelegation',
  summary:
    'Lend your vote to another member, for every topic (topic left out) or one topic; to: null revokes. Transitive; voting directly overrides it',
  tag,
  access: { commune: 'member' },
  request: { params: communeParams, body: jsonBody(delegationInput) },
  responses: { 200: jsonResponse(delegationChangeSchema, 'The delegation as it now stands') },
  errors: ['self_delegation', 'delegate_not_member', 'too_many_delegations'],
});

export const listDelegations = declareRoute({
  method: 'get',
  path: '/communes/{c}/delegations',
  operationId: 'listDelegations',
  summary: "Everyone's delegations (members), by delegator and topic; paged with ?after=&limit=",
  tag,
  access: { commune: 'member' },
  request: { params: communeParams, query: delegationsQuery },
  responses: { 200: jsonResponse(delegationPageSchema, 'A page of delegations') },
});

export const getGovernance = declareRoute({
  method: 'get',
  path: '/communes/{c}/governance',
  operationId: 'getGovernance',
  summary:
    'How the commune decides each action: method, threshold, thresholdBasis (cast|eligible), quorum, durationHours; and whether outsiders may read its books and named ballots (change_governance is the only way to change it)',
  tag,
  access: { commune: 'visitor' },
  request: { params: communeParams },
  responses: { 200: jsonResponse(governanceSchema, 'The rule for each action type') },
});

export function delegationsRoutes(decisions: DecisionsService) {
  const { delegations, governance, ports } = decisions;
  const app = openApiApp();
  const inCommune = communeAccess(ports.communes);
  mount(app, setDelegation, [inCommune('member')], async (c) =>
    respond(c, await delegations.set(c.get('commune'), signedIn(c), c.req.valid('json'))),
  );
  mount(app, listDelegations, [inCommune('member')], async (c) =>
    respond(c, await delegations.list(c.get('commune'), c.req.valid('query'))),
  );
  mount(app, getGovernance, [inCommune('visitor')], async (c) =>
    respond(c, await governance.view(c.get('commune'))),
  );
  return app;
}
