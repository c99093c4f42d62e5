import { z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Registry } from 'prom-client';
import { declareRoute, jsonResponse, mount } from './declare.ts';

// The service's own routes, outside /api/v1: they read no session and change nothing.

const tag = 'service';

export const healthz = declareRoute({
  method: 'get',
  path: '/healthz',
  operationId: 'getHealth',
  summary: 'Liveness',
  tag,
  access: 'public',
  readsSession: false,
  responses: {
    200: jsonResponse(z.object({ status: z.literal('ok') }).meta({ id: 'Health' }), 'Alive'),
  },
});

export const metricsRoute = declareRoute({
  method: 'get',
  path: '/metrics',
  operationId: 'getMetrics',
  summary: 'Prometheus metrics: requests and latency by route, and the process',
  tag,
  access: 'public',
  readsSession: false,
  responses: {
    200: {
      description: 'The Prometheus text exposition format',
      content: { 'text/plain': { schema: z.string() } },
    },
  },
});

/** The document's outline; its full shape is OpenAPI 3.1's own. */
const openApiDocumentSchema = z
  .looseObject({
    openapi: z.literal('3.1.0'),
    info: z.looseObject({ title: z.string(), version: z.string() }),
    paths: z.record(z.string(), z.record(z.string(), z.unknown())),
  })
  .meta({ id: 'OpenApiDocument', description: 'An OpenAPI 3.1 document' });

export const openApiRoute = declareRoute({
  method: 'get',
  path: '/api/openapi.json',
  operationId: 'getOpenApiDocument',
  summary: 'This document',
  tag,
  access: 'public',
  readsSession: false,
  responses: { 200: jsonResponse(openApiDocumentSchema, 'The OpenAPI 3.1 document') },
});

/** Mounts the service routes on the root app; `document` builds the OpenAPI document on demand. */
export function serviceRoutes(app: OpenAPIHono, metrics: Registry, document: () => object): void {
  mount(app, healthz, [], (c) => c.json({ status: 'ok' as const }));
  mount(app, metricsRoute, [], async (c) =>
    c.text(await metrics.metrics(), 200, { 'content-type': metrics.contentType }),
  );
  mount(app, openApiRoute, [], (c) => c.json(document()));
}
