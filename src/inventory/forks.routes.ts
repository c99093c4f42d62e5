import { requireViewer, signedIn, viewerOf } from '../http/auth.ts';
import { declareRoute, jsonBody, jsonResponse, mount, openApiApp } from '../http/declare.ts';
import { respond } from '../http/errors.ts';
import { pageQuery } from '../shared/pagination.ts';
import { forkInputSchema, itemPageSchema, itemParams, itemSchema } from './inventory.schemas.ts';
import { SEEN_ERRORS } from './items.routes.ts';
import { clarify } from './items.ts';
import type { ForksService } from './forks.service.ts';

const tag = 'inventory';

export const forkItem = declareRoute({
  method: 'post',
  path: '/items/{id}/forks',
  operationId: 'forkItem',
  summary: 'Copy an item into another commune you belong to; the copy keeps forkedFrom',
  tag,
  access: 'signed_in',
  request: { params: itemParams, body: jsonBody(forkInputSchema) },
  responses: { 201: jsonResponse(itemSchema, 'The fork, at version 1') },
  errors: [...SEEN_ERRORS, 'not_found', 'item_deleted', 'fork_into_same_commune'],
});

export const listForks = declareRoute({
  method: 'get',
  path: '/items/{id}/forks',
  operationId: 'listItemForks',
  summary: 'Forks of an item that the caller may see, newest first',
  tag,
  access: 'public',
  request: { params: itemParams, query: pageQuery },
  responses: { 200: jsonResponse(itemPageSchema, 'A page of forks') },
  errors: [...SEEN_ERRORS, 'invalid_cursor'],
});

/** Forks: copies across communes that keep their attribution. */
export function forksRoutes(forks: ForksService) {
  const app = openApiApp();
  mount(
    app,
    forkItem,
    [requireViewer],
    async (c) =>
      respond(
        c,
        await forks.fork(c.req.valid('param').id, signedIn(c).id, c.req.valid('json').commune),
        201,
      ),
    { clarify },
  );
  mount(
    app,
    listForks,
    [],
    async (c) =>
      respond(
        c,
        await forks.list(c.req.valid('param').id, viewerOf(c)?.id ?? null, c.req.valid('query')),
      ),
    { clarify },
  );
  return app;
}
