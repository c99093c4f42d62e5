import type { Deps } from '../deps.ts';
import { communeAccess } from '../http/access.ts';
import { requireViewer, signedIn, viewerOf } from '../http/auth.ts';
import { declareRoute, jsonBody, jsonResponse, mount, openApiApp } from '../http/declare.ts';
import { respond } from '../http/errors.ts';
import { withCharterHtml } from './charter-html.ts';
import { charterSchema, communeListQuery } from './communes.ts';
import { communePageSchema, communeParams, communeSchema } from './communes.schemas.ts';
import type { CommunesService } from './communes.service.ts';
import { membershipRoutes } from './membership.routes.ts';

const tag = 'communes';

export const createCommune = declareRoute({
  method: 'post',
  path: '/communes',
  operationId: 'createCommune',
  summary: 'Found a commune; the founder becomes a steward',
  tag,
  access: 'signed_in',
  request: { body: jsonBody(charterSchema) },
  responses: { 201: jsonResponse(communeSchema, 'The commune') },
  errors: ['handle_taken'],
});

export const listCommunes = declareRoute({
  method: 'get',
  path: '/communes',
  operationId: 'listCommunes',
  summary: 'Public communes and the caller’s own, by name or by affinity (never by size)',
  tag,
  access: 'public',
  request: { query: communeListQuery },
  responses: { 200: jsonResponse(communePageSchema, 'A page of communes') },
  errors: ['invalid_cursor', 'not_found', 'not_signed_in'],
});

export const getCommune = declareRoute({
  method: 'get',
  path: '/communes/{c}',
  operationId: 'getCommune',
  summary: 'A commune’s charter, size and the caller’s role',
  tag,
  access: { commune: 'visitor' },
  request: { params: communeParams },
  responses: { 200: jsonResponse(communeSchema, 'The commune') },
});

export function communesRoutes(deps: Deps, communes: CommunesService) {
  const app = openApiApp();
  const inCommune = communeAccess(communes);
  mount(app, createCommune, [requireViewer], async (c) =>
    respond(c, await communes.create(c.req.valid('json'), signedIn(c).id), 201, withCharterHtml),
  );
  mount(app, listCommunes, [], async (c) =>
    respond(c, await communes.list(c.req.valid('query'), viewerOf(c)?.id ?? null), 200, (page) => ({
      ...page,
      items: page.items.map(withCharterHtml),
    })),
  );
  mount(app, getCommune, [inCommune('visitor')], async (c) =>
    respond(c, await communes.get(c.get('commune')), 200, withCharterHtml),
  );
  app.route('/', membershipRoutes(deps, communes));
  return app;
}
