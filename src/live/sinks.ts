import type { ServerResponse } from 'node:http';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Sink } from './hub.ts';

export const STREAM_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  // Proxies (nginx) pass events on at once instead of buffering them.
  'x-accel-buffering': 'no',
};

/**
 * What the route answers once it wrote the stream's head itself. Like @hono/node-server's
 * RESPONSE_ALREADY_SENT, made at import, before serve() replaces the global Response (whose
 * bodiless answers take a path that would write a head again); with the stream's type, which
 * the contract check in tests looks at.
 */
export const STREAM_SENT = new Response(null, {
  headers: {
    ...Object.fromEntries(RESPONSE_ALREADY_SENT.headers),
    'content-type': STREAM_HEADERS['content-type'],
  },
});

/**
 * Under the Node server the stream is written to the response's socket itself (ADR 0036),
 * without chunked encoding: the body runs until the connection closes, as EventSource
 * expects, and a write is one buffer on the socket, with none of the response's per-write
 * work. `writableLength` counts what the socket has not taken.
 */
export function responseSink(res: ServerResponse, onGone: () => void): Sink {
  res.removeHeader('transfer-encoding');
  res.writeHead(200, { ...STREAM_HEADERS, connection: 'close' });
  res.flushHeaders();
  res.once('close', onGone);
  const socket = res.socket;
  return {
    write: (chunk) => {
      if (socket && !socket.destroyed) socket.write(chunk);
    },
    buffered: () => res.writableLength,
    end: () => void res.end(),
    destroy: () => void res.destroy(),
  };
}

/**
 * Elsewhere (app.request in tests) a web stream that queues nothing ahead of its reader:
 * desiredSize is minus the bytes waiting.
 */
export function webStreamSink(onGone: () => void): { sink: Sink; stream: ReadableStream } {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const stream = new ReadableStream<Uint8Array>(
    {
      start: (c) => {
        controller = c;
      },
      cancel: onGone,
    },
    new ByteLengthQueuingStrategy({ highWaterMark: 0 }),
  );
  return {
    stream,
    sink: {
      write: (chunk) => controller.enqueue(chunk),
      buffered: () => -(controller.desiredSize ?? 0),
      end: () => controller.close(),
      destroy: () => controller.error(new Error('live updates: client does not read')),
    },
  };
}
