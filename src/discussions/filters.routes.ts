import { requireViewer, signedIn } from '../http/auth.ts';
import { declareRoute, jsonBody, jsonResponse, mount, openApiApp } from '../http/declare.ts';
import { respond, sendError } from '../http/errors.ts';
import { filterPageSchema, filterParams, filterSchema } from './discussions.schemas.ts';
import type { DiscussionsService } from './discussions.service.ts';
import { filterInputSchema } from './filters.ts';

const tag = 'filters';

export const addFilter = declareRoute({
  method: 'post',
  path: '/me/filters',
  operationId: 'addFilter',
  summary:
    'Add a filter: a word (matched case-insensitively in titles and bodies), a person, a thread id or a commune handle',
  tag,
  access: 'signed_in',
  request: { body: jsonBody(filterInputSchema) },
  responses: { 201: jsonResponse(filterSchema, 'The filter') },
  errors: ['filter_exists', 'too_many_filters'],
});

export const listFilters = declareRoute({
  method: 'get',
  path: '/me/filters',
  operationId: 'listFilters',
  summary: "The caller's filters, oldest first",
  tag,
  access: 'signed_in',
  responses: { 200: jsonResponse(filterPageSchema, 'Every filter, in one page') },
});

export const removeFilter = declareRoute({
  method: 'delete',
  path: '/me/filters/{id}',
  operationId: 'removeFilter',
  summary: "Remove one of the caller's filters",
  tag,
  access: 'signed_in',
  request: { params: filterParams },
  responses: { 204: { description: 'Removed' } },
  errors: ['filter_not_found'],
});

type FilterOps = Pick<DiscussionsService, 'addFilter' | 'listFilters' | 'removeFilter'>;

export function filtersRoutes(filters: FilterOps) {
  const app = openApiApp();
  mount(app, addFilter, [requireViewer], async (c) =>
    respond(c, await filters.addFilter(signedIn(c).id, c.req.valid('json')), 201),
  );
  mount(app, listFilters, [requireViewer], async (c) =>
    c.json(await filters.listFilters(signedIn(c).id)),
  );
  mount(app, removeFilter, [requireViewer], async (c) => {
    const removed = await filters.removeFilter(signedIn(c).id, c.req.valid('param').id);
    return removed.ok ? c.body(null, 204) : sendError(c, removed.error);
  });
  return app;
}
