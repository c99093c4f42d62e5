import type { CommunesService } from '../communes/communes.service.ts';
import { communeParams } from '../communes/communes.schemas.ts';
import { communeAccess } from '../http/access.ts';
import { requireViewer, signedIn, viewerOf } from '../http/auth.ts';
import { declareRoute, jsonBody, jsonResponse, mount, openApiApp } from '../http/declare.ts';
import { respond, sendError } from '../http/errors.ts';
import { itemListQuery, itemPageSchema, itemParams, itemSchema } from './inventory.schemas.ts';
import { clarify, itemEditSchema, itemInputSchema } from './items.ts';
import type { ItemsService } from './items.service.ts';

const tag = 'inventory';
/** Refusals of the visibility rule on a route that names an item (items.access.ts). */
export const SEEN_ERRORS = ['item_not_found', 'not_signed_in', 'members_only'] as const;
const inputErrors = [
  'invalid_kind',
  'invalid_title',
  'invalid_body',
  'invalid_tags',
  'invalid_visibility',
  'invalid_license',
  'invalid_url',
  'invalid_estimate',
  'public_in_private_commune',
] as const;

export const createItem = declareRoute({
  method: 'post',
  path: '/communes/{c}/items',
  operationId: 'createItem',
  summary: 'Write an item in the knowledge inventory (members)',
  tag,
  access: { commune: 'member' },
  request: { params: communeParams, body: jsonBody(itemInputSchema) },
  responses: { 201: jsonResponse(itemSchema, 'The item, at version 1') },
  errors: inputErrors,
});

export const listItems = declareRoute({
  method: 'get',
  path: '/communes/{c}/items',
  operationId: 'listItems',
  summary: 'The commune’s items the caller may see, newest first',
  tag,
  access: { commune: 'visitor' },
  request: { params: communeParams, query: itemListQuery },
  responses: { 200: jsonResponse(itemPageSchema, 'A page of items') },
  errors: ['invalid_cursor', 'invalid_kind', 'invalid_tags'],
});

export const getItem = declareRoute({
  method: 'get',
  path: '/items/{id}',
  operationId: 'getItem',
  summary: 'An item at its latest version (a tombstone once deleted)',
  tag,
  access: 'public',
  request: { params: itemParams },
  responses: { 200: jsonResponse(itemSchema, 'The item') },
  errors: SEEN_ERRORS,
});

export const editItem = declareRoute({
  method: 'put',
  path: '/items/{id}',
  operationId: 'editItem',
  summary: 'Make a new version (its author or a steward); a stale baseVersion is 409',
  tag,
  access: 'signed_in',
  request: { params: itemParams, body: jsonBody(itemEditSchema) },
  responses: { 200: jsonResponse(itemSchema, 'The item at its new version') },
  errors: [
    ...SEEN_ERRORS,
    ...inputErrors,
    'invalid_version',
    'not_item_editor',
    'edit_conflict',
    'item_deleted',
  ],
});

export const deleteItem = declareRoute({
  method: 'delete',
  path: '/items/{id}',
  operationId: 'deleteItem',
  summary: 'Delete an item (its author or a steward): a tombstone keeps title and attribution',
  tag,
  access: 'signed_in',
  request: { params: itemParams },
  responses: { 204: { description: 'Deleted' } },
  errors: [...SEEN_ERRORS, 'not_item_editor'],
});

/** Items of the knowledge inventory; every read goes through the one visibility rule. */
export function itemsRoutes(items: ItemsService, communes: Pick<CommunesService, 'permit'>) {
  const inCommune = communeAccess(communes);
  const app = openApiApp();
  mount(
    app,
    createItem,
    [inCommune('member')],
    async (c) =>
      respond(c, await items.create(c.get('commune'), signedIn(c).id, c.req.valid('json')), 201),
    { clarify },
  );
  mount(
    app,
    listItems,
    [inCommune('visitor')],
    async (c) =>
      respond(c, await items.list(c.get('commune'), viewerOf(c)?.id ?? null, c.req.valid('query'))),
    { clarify },
  );
  mount(app, getItem, [], async (c) =>
    respond(c, await items.get(c.req.valid('param').id, viewerOf(c)?.id ?? null)),
  );
  mount(
    app,
    editItem,
    [requireViewer],
    async (c) =>
      respond(c, await items.edit(c.req.valid('param').id, signedIn(c).id, c.req.valid('json'))),
    { clarify },
  );
  mount(app, deleteItem, [requireViewer], async (c) => {
    const r = await items.remove(c.req.valid('param').id, signedIn(c).id);
    return r.ok ? c.body(null, 204) : sendError(c, r.error);
  });
  return app;
}
