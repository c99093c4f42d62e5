import { Hono } from 'hono';
import type { Deps } from '../deps.ts';
import { requireViewer, signedIn, viewerOf } from '../http/auth.ts';
import { respond, sendError } from '../http/errors.ts';
import type { Operation } from '../http/openapi.ts';
import { readJson, readQuery } from '../http/validate.ts';
import { charterSchema, communeListQuery } from './communes.ts';
import type { CommunesService } from './communes.service.ts';
import { membershipOperations, membershipRoutes } from './membership.routes.ts';

const tag = 'communes';

export const communesOperations: Operation[] = [
  {
    method: 'post',
    path: '/api/v1/communes',
    tag,
    summary: 'Found a commune; the founder becomes a steward',
    body: charterSchema,
    auth: true,
    responses: {
      201: 'The commune',
      400: 'Invalid input',
      401: 'Not signed in',
      409: 'handle_taken',
    },
  },
  {
    method: 'get',
    path: '/api/v1/communes',
    tag,
    summary: 'Public communes and the caller’s own, by name',
    query: communeListQuery,
    responses: { 200: '{ items: [commune], next }', 400: 'Invalid input' },
  },
  {
    method: 'get',
    path: '/api/v1/communes/{c}',
    tag,
    summary: 'A commune’s charter, size and the caller’s role',
    responses: {
      200: '{ id, handle, name, vision, category, tags, joinPolicy, visibility, maxMembers, memberCount, agreements, createdAt, viewerRole }',
      404: 'Unknown, or private and the caller is outside',
    },
  },
  ...membershipOperations,
];

export function communesRoutes(deps: Deps, communes: CommunesService) {
  const viewerId = (c: Parameters<typeof viewerOf>[0]) => viewerOf(c)?.id ?? null;
  return new Hono()
    .post('/communes', requireViewer, async (c) => {
      const input = await readJson(c, charterSchema);
      if (!input.ok) return sendError(c, input.error);
      return respond(c, await communes.create(input.value, signedIn(c).id), 201);
    })
    .get('/communes', async (c) => {
      const query = readQuery(c, communeListQuery);
      if (!query.ok) return sendError(c, query.error);
      return respond(c, await communes.list(query.value, viewerId(c)));
    })
    .get('/communes/:handle', async (c) =>
      respond(c, await communes.get(c.req.param('handle'), viewerId(c))),
    )
    .route('/', membershipRoutes(deps, communes));
}
