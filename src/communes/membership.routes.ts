import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { communeAccess } from '../http/access.ts';
import { signedIn, viewerOf } from '../http/auth.ts';
import { declareRoute, jsonBody, jsonResponse, mount, openApiApp } from '../http/declare.ts';
import { respond, sendError } from '../http/errors.ts';
import { pageQuery } from '../shared/pagination.ts';
import { applicationSchema } from './communes.ts';
import {
  communeParams,
  inviteSchema,
  joinResultSchema,
  memberSchema,
  pendingApplicationPageSchema,
} from './communes.schemas.ts';
import type { CommunesService } from './communes.service.ts';

const tag = 'membership';

export const applyToCommune = declareRoute({
  method: 'post',
  path: '/communes/{c}/applications',
  operationId: 'applyToCommune',
  summary:
    'Join (open; invite-only with a code) or apply (application: a code lets one apply, even to a private commune)',
  tag,
  access: { commune: 'signed_in' },
  request: { params: communeParams, body: jsonBody(applicationSchema) },
  responses: { 201: jsonResponse(joinResultSchema, 'A member now, or an application pending') },
  errors: ['commune_full', 'already_member', 'application_pending', 'invite_invalid'],
});

export const listApplications = declareRoute({
  method: 'get',
  path: '/communes/{c}/applications',
  operationId: 'listApplications',
  summary: 'Pending applications, oldest first (members)',
  tag,
  access: { commune: 'member' },
  request: { params: communeParams, query: pageQuery },
  responses: { 200: jsonResponse(pendingApplicationPageSchema, 'A page of applications') },
  errors: ['invalid_cursor'],
});

export const createInvite = declareRoute({
  method: 'post',
  path: '/communes/{c}/invites',
  operationId: 'createInvite',
  summary: 'A single-use invite code (members)',
  tag,
  access: { commune: 'member' },
  request: { params: communeParams },
  responses: { 201: jsonResponse(inviteSchema, 'The code and when it expires') },
});

export const listMembers = declareRoute({
  method: 'get',
  path: '/communes/{c}/members',
  operationId: 'listMembers',
  summary: 'Members by the time they joined',
  tag,
  access: { commune: 'visitor' },
  request: { params: communeParams },
  responses: { 200: jsonResponse(z.array(memberSchema), 'The members') },
});

export const leaveCommune = declareRoute({
  method: 'delete',
  path: '/communes/{c}/members/me',
  operationId: 'leaveCommune',
  summary:
    'Leave the commune; if the last steward leaves, the longest-standing member becomes steward',
  tag,
  access: { commune: 'signed_in' },
  request: { params: communeParams },
  responses: { 204: { description: 'Left' } },
  errors: ['not_member', 'negative_balance'],
});

export function membershipRoutes(_deps: Deps, communes: CommunesService) {
  const app = openApiApp();
  const inCommune = communeAccess(communes);
  // No access middleware: a valid invite lets an outsider find a private commune, so the
  // service applies permit() with the invite in hand.
  mount(app, applyToCommune, [], async (c) =>
    respond(
      c,
      await communes.apply(c.req.valid('param').c, viewerOf(c)?.id ?? null, c.req.valid('json')),
      201,
    ),
  );
  mount(app, listApplications, [inCommune('member')], async (c) =>
    respond(c, await communes.pendingApplications(c.get('commune'), c.req.valid('query'))),
  );
  mount(app, createInvite, [inCommune('member')], async (c) =>
    respond(c, await communes.invite(c.get('commune'), signedIn(c).id), 201),
  );
  mount(app, listMembers, [inCommune('visitor')], async (c) =>
    respond(c, await communes.members(c.get('commune'))),
  );
  mount(app, leaveCommune, [inCommune('signed_in')], async (c) => {
    const left = await communes.leave(c.get('commune'), signedIn(c).id);
    return left.ok ? c.body(null, 204) : sendError(c, left.error);
  });
  return app;
}
