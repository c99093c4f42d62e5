import { viewerOf } from '../http/auth.ts';
import { declareRoute, jsonResponse, mount, openApiApp } from '../http/declare.ts';
import { respond } from '../http/errors.ts';
import { pageQuery } from '../shared/pagination.ts';
import {
  diffQuery,
  diffSchema,
  itemParams,
  versionPageSchema,
  versionParams,
  versionSchema,
} from './inventory.schemas.ts';
import { SEEN_ERRORS } from './items.routes.ts';
import { clarify } from './items.ts';
import type { VersionsService } from './versions.service.ts';

const tag = 'inventory';

export const listVersions = declareRoute({
  method: 'get',
  path: '/items/{id}/versions',
  operationId: 'listItemVersions',
  summary: 'Every version of an item: who and when, newest first',
  tag,
  access: 'public',
  request: { params: itemParams, query: pageQuery },
  responses: { 200: jsonResponse(versionPageSchema, 'A page of versions') },
  errors: [...SEEN_ERRORS, 'invalid_cursor'],
});

export const getVersion = declareRoute({
  method: 'get',
  path: '/items/{id}/versions/{n}',
  operationId: 'getItemVersion',
  summary: 'One version of an item',
  tag,
  access: 'public',
  request: { params: versionParams },
  responses: { 200: jsonResponse(versionSchema, 'The version') },
  errors: [...SEEN_ERRORS, 'invalid_version', 'version_not_found'],
});

export const diffVersions = declareRoute({
  method: 'get',
  path: '/items/{id}/diff',
  operationId: 'diffItemVersions',
  summary: 'The changes between two versions of an item',
  tag,
  access: 'public',
  request: { params: itemParams, query: diffQuery },
  responses: { 200: jsonResponse(diffSchema, 'The changes') },
  errors: [...SEEN_ERRORS, 'invalid_version', 'version_not_found'],
});

/** The append-only history of items. */
export function versionsRoutes(versions: VersionsService) {
  const app = openApiApp();
  const viewer = (c: Parameters<typeof viewerOf>[0]) => viewerOf(c)?.id ?? null;
  mount(
    app,
    listVersions,
    [],
    async (c) =>
      respond(c, await versions.list(c.req.valid('param').id, viewer(c), c.req.valid('query'))),
    { clarify },
  );
  mount(
    app,
    getVersion,
    [],
    async (c) => {
      const { id, n } = c.req.valid('param');
      return respond(c, await versions.one(id, viewer(c), n));
    },
    { clarify },
  );
  mount(
    app,
    diffVersions,
    [],
    async (c) => {
      const { from, to } = c.req.valid('query');
      return respond(c, await versions.diff(c.req.valid('param').id, viewer(c), from, to));
    },
    { clarify },
  );
  return app;
}
