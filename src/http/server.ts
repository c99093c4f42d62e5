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

/**
 * Counts the requests being answered. A client that hangs up ends its connection at once,
 * so server.close() may call back while handlers still run: a stopping process waits for
 * settled() too before it closes the database under them.
 */
export function trackRequests<A extends unknown[]>(
  fetch: (request: Request, ...rest: A) => Response | Promise<Response>,
) {
  const running = new Set<Promise<unknown>>();
  return {
    fetch(request: Request, ...rest: A): Promise<Response> {
      const answer = Promise.resolve().then(() => fetch(request, ...rest));
      const done: Promise<unknown> = answer.then(
        () => running.delete(done),
        () => running.delete(done),
      );
      running.add(done);
      return answer;
    },
    async settled(): Promise<void> {
      while (running.size > 0) await Promise.all(running);
    },
  };
}
