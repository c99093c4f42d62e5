import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { ServerType } from '@hono/node-server';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { found } from '../communes/communes.fixtures.ts';
import { listen } from '../http/server.ts';
import { HTML, PNG, item } from './files.fixtures.ts';

// Through a listening Node server, as in production: the download's own headers win over
// the app-wide security headers (which go straight onto Node's response there), and a body
// sent in chunks is cut off at the route's allowance while it is read.

const MAX_BYTES = 1000;

describe('item files through a listening server', () => {
  let t: TestApp;
  let server: ServerType;
  let base: string;
  let token: string;
  let itemId: string;
  before(async () => {
    t = await startTestApp('sqlite', { files: { maxBytes: MAX_BYTES } });
    server = listen(t.app.fetch, {
      port: 0,
      hostname: '127.0.0.1',
      timeouts: { requestMs: 30_000, headersMs: 10_000, keepAliveMs: 1_000 },
    });
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    token = await t.person('alice');
    await found(t, token, 'garden');
    itemId = await item(t, token, 'garden');
  });
  after(async () => {
    if ('closeAllConnections' in server) server.closeAllConnections();
    server.close();
    await t.close();
  });

  const post = (body: BodyInit, headers: Record<string, string> = {}) =>
    fetch(`${base}/api/v1/items/${itemId}/files`, {
      method: 'POST',
      body,
      headers: { authorization: `Bearer ${token}`, ...headers },
      duplex: 'half',
    } as RequestInit);

  it('serves a file with its own sandboxing headers', async () => {
    const form = new FormData();
    form.append('file', new File([PNG], 'pixel.png', { type: 'text/html' }));
    const up = await post(form);
    assert.equal(up.status, 201);
    const { url } = (await up.json()) as { url: string };
    const d = await fetch(base + url, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(d.status, 200);
    assert.deepEqual(Buffer.from(await d.arrayBuffer()), PNG);
    assert.equal(d.headers.get('content-type'), 'image/png');
    assert.equal(d.headers.get('content-security-policy'), "default-src 'none'; sandbox");
    assert.equal(d.headers.get('x-content-type-options'), 'nosniff');
    assert.match(d.headers.get('content-disposition')!, /^attachment; filename="pixel\.png"/);
  });

  it('stops reading a chunked body past the allowance with 413', async () => {
    let sent = 0;
    const chunk = new Uint8Array(16 * 1024).fill(0x61);
    const endless = new ReadableStream<Uint8Array>({
      pull(c) {
        // Far more than the allowance; the server must answer without reading it all.
        if (sent > 50 * 1024 * 1024) return c.close();
        sent += chunk.length;
        c.enqueue(chunk);
      },
    });
    const r = await post(endless, { 'content-type': 'multipart/form-data; boundary=x' });
    assert.equal(r.status, 413);
    assert.equal(((await r.json()) as { error: { code: string } }).error.code, 'body_too_large');
    assert.ok(sent < 50 * 1024 * 1024, `the server read ${sent} bytes`);
  });

  // Over the file limit, within the multipart envelope's room: the file's own limit answers.
  it('refuses a file over the limit but within the envelope with file_too_large', async () => {
    const form = new FormData();
    form.append('file', new File([new Uint8Array(MAX_BYTES + 1).fill(0x61)], 'a.txt'));
    const r = await post(form);
    assert.equal(r.status, 413);
    assert.equal(((await r.json()) as { error: { code: string } }).error.code, 'file_too_large');
  });

  it('refuses HTML named as an image', async () => {
    const form = new FormData();
    form.append('file', new File([HTML], 'cat.png', { type: 'image/png' }));
    const r = await post(form);
    assert.equal(r.status, 415);
  });
});
