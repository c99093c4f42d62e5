import type { OpenAPIHono } from '@hono/zod-openapi';

const INFO = {
  title: 'Commune API',
  version: '1.0.0',
  description: 'Self-hosted, federated software for small intentional communities',
};

type Paths = Record<string, Record<string, unknown>>;

/** The served document: every route's declaration, from the app's registry. */
export function openApiDocument(app: OpenAPIHono, serverUrl: string) {
  const declared = app.getOpenAPI31Document({ openapi: '3.1.0', info: INFO });
  const paths = (declared.paths ?? {}) as Paths;
  return {
    openapi: '3.1.0',
    info: INFO,
    servers: [{ url: serverUrl }],
    tags: TAGS,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        cookie: { type: 'apiKey', in: 'cookie', name: 'commune_session' },
      },
      schemas: declared.components?.schemas ?? {},
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
  { name: 'notifications', description: 'What needs the caller, notifications and their settings' },
];
