import { z } from 'zod';
import { CATEGORIES } from '../communes/communes.ts';
import { viewerOf } from '../http/auth.ts';
import { declareRoute, jsonResponse, mount, openApiApp } from '../http/declare.ts';
import { respond } from '../http/errors.ts';
import { ok } from '../shared/result.ts';
import { MAP_PAGE_MAX, networkQuery } from './map.ts';
import type { NetworkMapView } from './map.view.ts';

const networkNodeSchema = z
  .object({
    handle: z.string(),
    name: z.string(),
    category: z.enum(CATEGORIES),
    tags: z.array(z.string()),
  })
  .meta({ id: 'NetworkNode' });

const networkEdgeSchema = z
  .object({
    a: z.string().meta({ description: 'Handle of the commune that asked' }),
    b: z.string().meta({ description: 'Handle of the commune asked' }),
    since: z.string().meta({ description: 'When the alliance became active' }),
  })
  .meta({ id: 'NetworkEdge' });

export const networkMapSchema = z
  .object({
    nodes: z.array(networkNodeSchema),
    edges: z.array(networkEdgeSchema).meta({
      description:
        'Active alliances this page completes: both ends visible, the later end (by handle) ' +
        'among this page’s nodes; pages so far together hold every alliance among their nodes',
    }),
    next: z.string().nullable().meta({
      description: 'Pass as ?before= for the next page of nodes; null on the last page',
    }),
  })
  .meta({ id: 'NetworkMap' });

export const getNetwork = declareRoute({
  method: 'get',
  path: '/network',
  operationId: 'getNetwork',
  summary:
    'Communes the caller may see and the active alliances between them, by handle (never by size)',
  description:
    `Nodes come in pages of ?limit= communes (default and most ${MAP_PAGE_MAX}) in handle ` +
    'order; follow `next` with ?before= for the rest.',
  tag: 'network',
  access: 'public',
  request: { query: networkQuery },
  responses: { 200: jsonResponse(networkMapSchema, 'The map') },
});

export function networkMapRoutes(view: NetworkMapView) {
  const app = openApiApp();
  mount(app, getNetwork, [], async (c) =>
    respond(c, ok(await view.map(viewerOf(c)?.id ?? null, c.req.valid('query')))),
  );
  return app;
}
