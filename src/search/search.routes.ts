import { viewerOf } from '../http/auth.ts';
import { declareRoute, jsonResponse, mount, openApiApp } from '../http/declare.ts';
import { respond } from '../http/errors.ts';
import { searchPageSchema } from './search.schemas.ts';
import type { SearchService } from './search.service.ts';
import { searchQuery } from './search.ts';

export const search = declareRoute({
  method: 'get',
  path: '/search',
  operationId: 'search',
  summary:
    'Items, threads and comments the caller may see, best match first. q takes words (all ' +
    'must appear), "quoted phrases", -word to leave out and `or` between alternatives',
  tag: 'search',
  access: 'public',
  request: { query: searchQuery },
  responses: { 200: jsonResponse(searchPageSchema, 'A page of matches, with facets') },
  errors: ['query_too_long', 'invalid_cursor'],
});

export function searchRoutes(service: SearchService) {
  const app = openApiApp();
  mount(app, search, [], async (c) =>
    respond(c, await service.search(viewerOf(c)?.id ?? null, c.req.valid('query'))),
  );
  return app;
}
