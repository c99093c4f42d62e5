import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, type AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { ServerType } from '@hono/node-server';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { listen } from './server.ts';

const TIMEOUTS = { requestMs: 600, headersMs: 300, keepAliveMs: 200 };
// Far below Node's defaults (300 s for a request, 60 s for headers): a pass means ours apply.
const CUT_OFF_WITHIN_MS = 10_000;
// A socket the server never closes must not keep this file's process alive past its timeout.
const GIVE_UP_MS = 15_000;

describe('a listening server cuts off slow clients', { timeout: 60_000 }, () => {
  let t: TestApp;
  let server: ServerType;
  let port: number;
  before(async () => {
    t = await startTestApp('sqlite');
    server = listen(t.app.fetch, { port: 0, hostname: '127.0.0.1', timeouts: TIMEOUTS });
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    if ('closeAllConnections' in server) server.closeAllConnections();
    server.close();
    await t.close();
  });

  /** Sends `head`, then one byte of `drip` at a time until the server closes; what it said. */
  async function trickle(head: string, drip: string) {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => {}); // writing after the server hung up; the close still comes
    let answer = '';
    socket.on('data', (d) => (answer += d.toString()));
    await once(socket, 'connect');
    const started = Date.now();
    socket.write(head);
    let i = 0;
    const pump = setInterval(() => socket.writable && socket.write(drip[i++ % drip.length]!), 50);
    // Not events.once: it rejects on the socket's 'error' (a reset while we write), and a
    // reset is one of the ways the server may hang up.
    const gaveUp = setTimeout(() => socket.destroy(), GIVE_UP_MS);
    await new Promise<void>((resolve) => socket.once('close', () => resolve()));
    clearTimeout(gaveUp);
    clearInterval(pump);
    return { answer, ms: Date.now() - started };
  }

  it('closes a connection whose body is trickled', async () => {
    const { answer, ms } = await trickle(
      'POST /api/v1/accounts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
        'Content-Length: 100000\r\n\r\n',
      '{"handle":',
    );
    assert.ok(ms < CUT_OFF_WITHIN_MS, `held for ${ms} ms`);
    assert.ok(answer === '' || answer.startsWith('HTTP/1.1 408'), answer);
  });

  it('closes a connection whose headers are trickled', async () => {
    const { answer, ms } = await trickle('GET /healthz HTTP/1.1\r\nHost: x\r\n', 'X-Slow: 1\r\n');
    assert.ok(ms < CUT_OFF_WITHIN_MS, `held for ${ms} ms`);
    assert.ok(answer === '' || answer.startsWith('HTTP/1.1 408'), answer);
  });

  it('answers a prompt request, then closes the idle keep-alive connection', async () => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (d) => (answer += d.toString()));
    await once(socket, 'connect');
    const started = Date.now();
    socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');
    try {
      await once(socket, 'close', { signal: AbortSignal.timeout(GIVE_UP_MS) });
    } finally {
      socket.destroy();
    }
    assert.match(answer, /^HTTP\/1\.1 200/);
    assert.match(answer, /"status":"ok"/);
    assert.ok(Date.now() - started < CUT_OFF_WITHIN_MS);
  });
});
