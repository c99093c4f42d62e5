import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/app.ts';

describe('service endpoints', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp('sqlite');
  });
  after(() => t.close());

  it('GET /healthz', async () => {
    const r = await t.get('/healthz');
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { status: 'ok' });
  });

  it('counts requests and latency in /metrics', async () => {
    await t.get('/healthz');
    const r = await t.app.request('/metrics');
    const text = await r.text();
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /text\/plain/);
    assert.match(text, /http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/);
    assert.match(
      text,
      /http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/healthz"\}/,
    );
  });

  it('serves an OpenAPI 3.1 document listing the contract', async () => {
    const r = await t.get('/api/openapi.json');
    assert.equal(r.status, 200);
    assert.equal(r.body.openapi, '3.1.0');
    for (const [path, method] of [
      ['/api/v1/accounts', 'post'],
      ['/api/v1/sessions', 'post'],
      ['/api/v1/sessions/current', 'delete'],
      ['/api/v1/me', 'get'],
      ['/api/v1/communes', 'post'],
      ['/api/v1/communes/{c}', 'get'],
      ['/api/v1/communes', 'get'],
      ['/api/v1/communes/{c}/applications', 'post'],
      ['/api/v1/communes/{c}/members', 'get'],
      ['/api/v1/communes/{c}/invites', 'post'],
      ['/api/v1/communes/{c}/members/me', 'delete'],
      ['/api/v1/communes/{c}/threads', 'post'],
      ['/api/v1/threads/{id}', 'get'],
      ['/api/v1/threads/{id}/comments', 'post'],
      ['/api/v1/me/filters', 'post'],
    ] as const) {
      assert.ok(r.body.paths[path]?.[method], `${method.toUpperCase()} ${path} is documented`);
    }
    assert.equal(
      r.body.paths['/api/v1/accounts'].post.requestBody.content['application/json'].schema
        .properties.handle.pattern,
      '^[a-z0-9_]{2,30}$',
    );
  });

  it('sends security headers with a strict CSP', async () => {
    const r = await t.app.request('/healthz');
    const csp = r.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(r.headers.get('x-frame-options'), 'SAMEORIGIN');
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const r = await t.get('/api/v1/nothing-here');
    assert.equal(r.status, 404);
    assert.equal(r.body.error.code, 'route_not_found');
  });
});
