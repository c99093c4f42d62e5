import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { SECURE_HEADERS_OPTIONS, SECURITY_HEADERS, limitBody } from './security.ts';

const headersOf = (res: Response, names: readonly string[]) =>
  Object.fromEntries(names.map((n) => [n, res.headers.get(n)]));
const names = SECURITY_HEADERS.map(([name]) => name);

describe('security headers', () => {
  it("are exactly what hono's secureHeaders sends for our options", async () => {
    const reference = new Hono()
      .use(secureHeaders(SECURE_HEADERS_OPTIONS))
      .get('/', (c) => c.text('x'));
    const res = await reference.request('/');
    const theirs = [...res.headers].filter(([n]) => n !== 'content-type');
    assert.deepEqual(
      theirs,
      SECURITY_HEADERS.map(([n, v]) => [n, v]),
    );
  });

  describe('through a real @hono/node-server listener', () => {
    let t: TestApp;
    let server: ServerType;
    let base: string;
    before(async () => {
      t = await startTestApp('sqlite');
      await new Promise<void>((resolve) => {
        server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve());
      });
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(async () => {
      await new Promise((resolve) => server.close(resolve));
      await t.close();
    });

    it('sends every security header on API answers, errors and the health check', async () => {
      const expected = Object.fromEntries(SECURITY_HEADERS);
      for (const path of [
        '/healthz',
        '/api/v1/communes/nowhere',
        '/api/v1/threads/0190f5c4-6b1e-7c3d-8a2b-123456789abc',
        '/api/v1/nothing-here',
      ]) {
        const res = await fetch(base + path);
        await res.arrayBuffer();
        assert.deepEqual(headersOf(res, names), expected, path);
        assert.match(res.headers.get('content-type') ?? '', /^application\/json/, path);
      }
    });

    it('still answers 413 to a body over the limit, and reads GET without a body check', async () => {
      const big = await fetch(`${base}/api/v1/accounts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: 'x'.repeat(1024 * 1024 + 1),
      });
      assert.equal(big.status, 413);
      assert.equal(
        ((await big.json()) as { error: { code: string } }).error.code,
        'body_too_large',
      );
      assert.equal(big.headers.get('x-frame-options'), 'SAMEORIGIN');
    });
  });

  it('leaves GET and HEAD alone and limits other methods', async () => {
    const app = new Hono().use(limitBody()).all('/', (c) => c.text('ok'));
    assert.equal((await app.request('/', { method: 'GET' })).status, 200);
    assert.equal(
      (await app.request('/', { method: 'POST', body: 'x'.repeat(1024 * 1024 + 1) })).status,
      413,
    );
    assert.equal((await app.request('/', { method: 'PUT', body: 'small' })).status, 200);
  });
});
