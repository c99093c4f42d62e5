import assert from 'node:assert/strict';
import { connect, type AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { randomUUID } from 'node:crypto';
import { found, join } from '../communes/communes.fixtures.ts';
import { listen } from '../http/server.ts';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { isEvent, sseReader } from '../../test/support/sse.ts';
import { waitFor } from '../../test/support/wait.ts';

// An SSE client that never reads: its backlog is bounded (LIVE_BUFFER_BYTES), then it is
// dropped, while a reading client on the same thread goes on hearing every comment.

describe('a live stream whose client never reads', () => {
  let t: TestApp;
  let server: ReturnType<typeof listen>;
  let port: number;
  before(async () => {
    t = await startTestApp('sqlite', { env: { LIVE_BUFFER_BYTES: '16384' } });
    server = listen(t.app.fetch, {
      port: 0,
      hostname: '127.0.0.1',
      timeouts: t.deps.config.timeouts,
    });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    await t.contexts.live.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await t.close();
  });

  it('is dropped once its backlog passes the bound, and the others carry on', async () => {
    const ada = await t.person('slow_ada');
    const bo = await t.person('slow_bo');
    await found(t, ada, 'slow_pub');
    assert.equal((await join(t, bo, 'slow_pub')).status, 201);

    // A raw socket that sends its request and then never reads a byte.
    const raw = connect({ host: '127.0.0.1', port });
    raw.pause();
    raw.on('error', () => undefined);
    raw.write(
      `GET /api/v1/events?commune=slow_pub HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${bo}\r\n\r\n`,
    );
    await waitFor(() => t.contexts.live.stats().connections === 1, { message: 'the raw stream' });

    const res = await fetch(`http://127.0.0.1:${port}/api/v1/events?commune=slow_pub`, {
      headers: { authorization: `Bearer ${ada}` },
    });
    const reader = sseReader(res.body!);
    await reader.next(isEvent('ready'));

    // Payments back and forth, 40 to a batch (one event each), until the server gives up on
    // the raw client; the kernel's socket buffers take a few megabytes first.
    let paid = 0;
    let payer = ada;
    let size = 20;
    await waitFor(
      async () => {
        const to = payer === ada ? 'slow_bo' : 'slow_ada';
        const transfers = Array.from({ length: size }, () => ({ id: randomUUID(), to, amount: 1 }));
        const r = await t.post('/api/v1/communes/slow_pub/transfers/batch', { transfers }, payer);
        assert.equal(r.status, 201, JSON.stringify(r.body));
        paid += size;
        payer = payer === ada ? bo : ada;
        size = 40;
        return t.contexts.live.stats().dropped === 1;
      },
      { timeoutMs: 180_000, intervalMs: 1, message: 'the never-reading client to be dropped' },
    );
    assert.equal(t.contexts.live.stats().connections, 1, 'only the reading client is left');
    const heard = () => reader.messages.filter(isEvent('transfer_posted')).length;
    await waitFor(() => heard() === paid, { message: 'the reader to hear every payment' });
    await reader.close();
    raw.destroy();
  });
});
