import { Hono, type Context } from 'hono';
import type { Deps } from '../deps.ts';
import { viewerOf } from '../http/auth.ts';
import { respond, sendError } from '../http/errors.ts';
import type { Operation } from '../http/openapi.ts';
import { readJson, readQuery } from '../http/validate.ts';
import { pageQuery } from '../shared/pagination.ts';
import { applicationSchema } from './communes.ts';
import type { CommunesService } from './communes.service.ts';

const tag = 'membership';
const hidden = 'Unknown, or private and the caller is outside';

export const membershipOperations: Operation[] = [
  {
    method: 'post',
    path: '/api/v1/communes/{c}/applications',
    tag,
    summary:
      'Join (open; invite-only with a code) or apply (application: a code lets one apply, even to a private commune)',
    body: applicationSchema,
    auth: true,
    responses: {
      201: '{ id, status: "member" | "pending" }',
      400: 'Invalid input',
      401: 'Not signed in',
      404: hidden,
      409: 'commune_full, already_member, application_pending',
      422: 'invite_invalid',
    },
  },
  {
    method: 'get',
    path: '/api/v1/communes/{c}/applications',
    tag,
    summary: 'Pending applications, oldest first (members)',
    query: pageQuery,
    auth: true,
    responses: {
      200: '{ items: [{ id, handle, displayName, message, createdAt }], next }',
      401: 'Not signed in',
      403: 'members_only',
      404: hidden,
    },
  },
  {
    method: 'post',
    path: '/api/v1/communes/{c}/invites',
    tag,
    summary: 'A single-use invite code (members)',
    auth: true,
    responses: {
      201: '{ code, expiresAt }',
      401: 'Not signed in',
      403: 'members_only',
      404: hidden,
    },
  },
  {
    method: 'get',
    path: '/api/v1/communes/{c}/members',
    tag,
    summary: 'Members by the time they joined',
    responses: { 200: '[{ handle, displayName, role, joinedAt }]', 404: hidden },
  },
  {
    method: 'delete',
    path: '/api/v1/communes/{c}/members/me',
    tag,
    summary:
      'Leave the commune; if the last steward leaves, the longest-standing member becomes steward',
    auth: true,
    responses: {
      204: 'Left',
      401: 'Not signed in',
      404: 'Not found or not a member',
      422: 'negative_balance (the ledger: pay back first)',
    },
  },
];

const viewerId = (c: Context) => viewerOf(c)?.id ?? null;

// No requireViewer here: a private commune must answer 404 to the anonymous too, so the
// service decides between 404 and 401.
export function membershipRoutes(_deps: Deps, communes: CommunesService) {
  return new Hono()
    .post('/communes/:handle/applications', async (c) => {
      const input = await readJson(c, applicationSchema);
      if (!input.ok) return sendError(c, input.error);
      return respond(c, await communes.apply(c.req.param('handle'), viewerId(c), input.value), 201);
    })
    .get('/communes/:handle/applications', async (c) => {
      const page = readQuery(c, pageQuery);
      if (!page.ok) return sendError(c, page.error);
      return respond(
        c,
        await communes.pendingApplications(c.req.param('handle'), viewerId(c), page.value),
      );
    })
    .post('/communes/:handle/invites', async (c) =>
      respond(c, await communes.invite(c.req.param('handle'), viewerId(c)), 201),
    )
    .get('/communes/:handle/members', async (c) =>
      respond(c, await communes.members(c.req.param('handle'), viewerId(c))),
    )
    .delete('/communes/:handle/members/me', async (c) => {
      const left = await communes.leave(c.req.param('handle'), viewerId(c));
      return left.ok ? c.body(null, 204) : sendError(c, left.error);
    });
}
