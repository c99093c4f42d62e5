import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { OpenAPIHono } from '@hono/zod-openapi';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';
import { z } from 'zod';
import { declareRoute, jsonResponse, mount, openApiApp } from '../../src/http/declare.ts';
import { startTestApp, type TestApp } from '../support/app.ts';

type Document = { paths: Record<string, Record<string, Record<string, unknown>>> };

// Hono's `:param` and OpenAPI's `{param}` name the same path; names may differ between them.
const shape = (path: string) => path.replace(/\{\w+\}|:\w+/g, '{}');

describe('the OpenAPI document', () => {
  let t: TestApp;
  let doc: Document;
  before(async () => {
    t = await startTestApp('sqlite');
    doc = (await t.get('/api/openapi.json')).body as Document;
  });
  after(() => t.close());

  it('lists every route the app serves', () => {
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${shape(path)}`),
      ),
    );
    const served = (t.app as OpenAPIHono).routes
      .filter((r) => r.method !== 'ALL' && !r.path.endsWith('*'))
      .map((r) => `${r.method} ${shape(r.path)}`);
    const missing = [...new Set(served)].filter((r) => !documented.has(r));
    assert.deepEqual(missing, [], 'routes served but not in /api/openapi.json');
  });

  it('gives every operation an operationId (unique), a summary, a tag and security', () => {
    const ids = new Set<string>();
    for (const [path, ops] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(ops)) {
        const where = `${method} ${path}`;
        assert.equal(typeof op.operationId, 'string', where);
        assert.ok(!ids.has(op.operationId as string), `${where}: operationId repeats`);
        ids.add(op.operationId as string);
        assert.equal(typeof op.summary, 'string', where);
        assert.ok(Array.isArray(op.tags), where);
        assert.ok(Array.isArray(op.security), where);
      }
  });

  it('is what web/src/api/schema.gen.ts was generated from (npm run gen:api)', async () => {
    const generated = `${COMMENT_HEADER}${astToString(await openapiTS(JSON.parse(JSON.stringify(doc)), { silent: true, enumValues: true }))}`;
    const committed = await readFile(
      new URL('../../web/src/api/schema.gen.ts', import.meta.url),
      'utf8',
    );
    assert.ok(generated === committed, 'web/src/api/schema.gen.ts is stale: run npm run gen:api');
  });
});

describe('the contract check', () => {
  const route = declareRoute({
    method: 'get',
    path: '/thing',
    operationId: 'getThing',
    summary: 'A thing',
    tag: 'test',
    access: 'public',
    responses: { 200: jsonResponse(z.object({ name: z.string() }), 'The thing') },
  });
  const appAnswering = (body: unknown, status: 200 | 404 | 418) => {
    const app = openApiApp();
    app.use(async (c, next) => {
      c.set('checkContract', true);
      await next();
    });
    mount(app, route, [], (c) => c.json(body as object, status));
    return app;
  };

  it('lets a documented answer through', async () => {
    const r = await appAnswering({ name: 'x' }, 200).request('/thing');
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), { name: 'x' });
  });

  it('turns a body that breaks the schema into a 500 contract_violation', async () => {
    const r = await appAnswering({ name: 3 }, 200).request('/thing');
    assert.equal(r.status, 500);
    assert.equal(
      ((await r.json()) as { error: { code: string } }).error.code,
      'contract_violation',
    );
  });

  it('refuses an undocumented status and an undocumented error code', async () => {
    assert.equal((await appAnswering({}, 418).request('/thing')).status, 500);
    const wrongCode = { error: { code: 'members_only', message: 'no' } };
    assert.equal((await appAnswering(wrongCode, 404).request('/thing')).status, 500);
  });
});
