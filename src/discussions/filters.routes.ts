import { Hono } from 'hono';
import type { Deps } from '../deps.ts';
import { requireViewer, signedIn } from '../http/auth.ts';
import { respond, sendError } from '../http/errors.ts';
import type { Operation } from '../http/openapi.ts';
import { readJson } from '../http/validate.ts';
import type { DiscussionsService } from './discussions.service.ts';
import { filterInputSchema } from './filters.ts';

const tag = 'filters';

export const filtersOperations: Operation[] = [
  {
    method: 'post',
    path: '/api/v1/me/filters',
    tag,
    auth: true,
    summary:
      'Add a filter: a word (matched case-insensitively in titles and bodies), a person, a thread id or a commune handle',
    body: filterInputSchema,
    responses: {
      201: '{ id, kind, value, createdAt }',
      400: 'Invalid input',
      401: 'Not signed in',
      409: 'filter_exists',
      422: 'too_many_filters',
    },
  },
  {
    method: 'get',
    path: '/api/v1/me/filters',
    tag,
    auth: true,
    summary: "The caller's filters, oldest first",
    responses: { 200: '{ items: filter[], next: null }', 401: 'Not signed in' },
  },
  {
    method: 'delete',
    path: '/api/v1/me/filters/{id}',
    tag,
    auth: true,
    summary: "Remove one of the caller's filters",
    responses: { 204: 'Removed', 401: 'Not signed in', 404: 'filter_not_found' },
  },
];

type FilterOps = Pick<DiscussionsService, 'addFilter' | 'listFilters' | 'removeFilter'>;

export function filtersRoutes(_deps: Deps, filters: FilterOps) {
  return new Hono()
    .post('/me/filters', requireViewer, async (c) => {
      const input = await readJson(c, filterInputSchema);
      if (!input.ok) return sendError(c, input.error);
      return respond(c, await filters.addFilter(signedIn(c).id, input.value), 201);
    })
    .get('/me/filters', requireViewer, async (c) =>
      c.json(await filters.listFilters(signedIn(c).id)),
    )
    .delete('/me/filters/:id', requireViewer, async (c) => {
      const removed = await filters.removeFilter(signedIn(c).id, c.req.param('id'));
      return removed.ok ? c.body(null, 204) : sendError(c, removed.error);
    });
}
