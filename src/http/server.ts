import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { ServerTimeouts } from '../config.ts';

/**
 * Node's HTTP server with our time-outs: a client that trickles its headers or body is cut
 * off (408) instead of holding a connection for minutes. Node checks the time-outs every
 * connectionsCheckingInterval, so that follows the shortest one.
 */
export function listen(
  fetch: (request: Request) => Response | Promise<Response>,
  o: { port: number; hostname: string; timeouts: ServerTimeouts },
  onListening?: (info: AddressInfo) => void,
): ServerType {
  const { requestMs, headersMs, keepAliveMs } = o.timeouts;
  return serve(
    {
      fetch,
      port: o.port,
      hostname: o.hostname,
      serverOptions: {
        requestTimeout: requestMs,
        headersTimeout: headersMs,
        keepAliveTimeout: keepAliveMs,
        connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(headersMs / 4))),
      },
    },
    onListening,
  );
}
