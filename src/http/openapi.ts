import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';

/**
 * One operation documented apart from its route: the form routes not yet declared with
 * declareRoute (src/http/declare.ts) still use. openApiDocument merges both.
 */
export type Operation = {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  summary: string;
  tag: string;
  body?: z.ZodType;
  query?: z.ZodObject;
  responses: Record<number, string>;
  auth?: boolean;
};

const jsonSchema = (s: z.ZodType) =>
  z.toJSONSchema(s, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' });

// getCommune-style ids for the legacy entries: method, then the path's words.
const legacyOperationId = (op: Operation): string =>
  op.method +
  op.path
    .replace(/^\/api\/v1/, '')
    .split(/[/{}._-]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');

export function buildOpenApi(operations: Operation[], serverUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const params = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const query = op.query
      ? Object.entries(op.query.shape).map(([name, s]) => ({
          name,
          in: 'query',
          required: false,
          schema: jsonSchema(s as z.ZodType),
        }))
      : [];
    const responses = Object.fromEntries(
      Object.entries(op.responses).map(([code, description]) => [code, { description }]),
    );
    (paths[op.path] ??= {})[op.method] = {
      summary: op.summary,
      tags: [op.tag],
      ...(params.length + query.length > 0 ? { parameters: [...params, ...query] } : {}),
      ...(op.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: jsonSchema(op.body) } },
            },
          }
        : {}),
      operationId: legacyOperationId(op),
      security: op.auth ? [{ bearer: [] }, { cookie: [] }] : [{}, { bearer: [] }, { cookie: [] }],
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Commune API',
      version: '1.0.0',
      description: 'Self-hosted, federated software for small intentional communities',
    },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        cookie: { type: 'apiKey', in: 'cookie', name: 'commune_session' },
      },
      schemas: {},
    },
    paths,
  };
}

type Document = ReturnType<typeof buildOpenApi>;
type Paths = Record<string, Record<string, unknown>>;

/**
 * The served document: the declared routes (from the app's registry) and the legacy entries
 * for routes not declared yet; a declared operation wins over a legacy one.
 */
export function openApiDocument(app: OpenAPIHono, legacy: Operation[], serverUrl: string) {
  const base: Document = buildOpenApi(legacy, serverUrl);
  const declared = app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: base.info,
  });
  const paths: Paths = { ...(base.paths as Paths) };
  for (const [path, ops] of Object.entries((declared.paths ?? {}) as Paths))
    paths[path] = { ...paths[path], ...ops };
  return {
    ...base,
    tags: TAGS,
    components: {
      ...base.components,
      schemas: { ...base.components.schemas, ...(declared.components?.schemas ?? {}) },
    },
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
  };
}

const TAGS = [
  { name: 'service', description: 'Health, metrics and this document' },
  { name: 'identity', description: 'Accounts and sessions' },
  { name: 'communes', description: 'Charters' },
  { name: 'membership', description: 'Joining, applications, invites and leaving' },
  { name: 'discussions', description: 'Threads and comments' },
  { name: 'filters', description: 'A person’s own filters' },
  { name: 'ledger', description: 'Social currency and the common purse' },
  { name: 'decisions', description: 'Proposals, votes, delegation and governance' },
];
