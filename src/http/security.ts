import type { HttpBindings } from '@hono/node-server';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { sendError } from './errors.ts';

export const MAX_BODY_BYTES = 1024 * 1024;

/** The body allowance of the route a request is for: MAX_BODY_BYTES unless it declares its own. */
export type BodyLimitFor = (method: string, path: string) => number;

const tooLarge = (c: Context, maxSize: number) =>
  sendError(c, {
    type: 'too_large',
    code: 'body_too_large',
    message: `The request body is over ${maxSize / 1024 / 1024} MB`,
  });

const limiter = (maxSize: number) => bodyLimit({ maxSize, onError: (c) => tooLarge(c, maxSize) });

/**
 * Hono's bodyLimit, skipped for GET and HEAD: they carry no body, and asking for one builds a
 * whole fetch Request. The allowance comes from the route's declaration (declareRoute's
 * bodyLimit, see declaredBodyLimits), never from matching paths here.
 */
export function limitBody(limitFor: BodyLimitFor = () => MAX_BODY_BYTES): MiddlewareHandler {
  const limiters = new Map<number, MiddlewareHandler>();
  return async function limitRequestBody(c, next) {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const max = limitFor(c.req.method, c.req.path);
    // With a declared length and no chunking, Node's parser already stops the body at that
    // length, so the header alone decides; streaming the body through bodyLimit costs ~35 µs.
    const declared = c.req.header('content-length');
    if (
      declared !== undefined &&
      c.req.header('transfer-encoding') === undefined &&
      /^\d+$/.test(declared)
    ) {
      if (Number(declared) > max) return tooLarge(c, max);
      return next();
    }
    let limit = limiters.get(max);
    if (!limit) limiters.set(max, (limit = limiter(max)));
    return limit(c, next);
  };
}

/**
 * The options our headers follow, in hono/secure-headers' terms; security.test.ts checks that
 * SECURITY_HEADERS is exactly what secureHeaders(SECURE_HEADERS_OPTIONS) sends.
 * The web app is a static bundle with no inline script, so the CSP can stay strict.
 */
export const SECURE_HEADERS_OPTIONS: {
  contentSecurityPolicy: Record<string, string[]>;
  referrerPolicy: string;
  crossOriginEmbedderPolicy: false;
} = {
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    fontSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
  referrerPolicy: 'same-origin',
  crossOriginEmbedderPolicy: false,
};

const csp = Object.entries(SECURE_HEADERS_OPTIONS.contentSecurityPolicy)
  .map(
    ([directive, sources]) =>
      `${directive.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`)} ${sources.join(' ')}`,
  )
  .join('; ');

/** Every response's security headers, computed once. */
export const SECURITY_HEADERS: readonly (readonly [string, string])[] = [
  ['content-security-policy', csp],
  ['cross-origin-opener-policy', 'same-origin'],
  ['cross-origin-resource-policy', 'same-origin'],
  ['origin-agent-cluster', '?1'],
  ['referrer-policy', SECURE_HEADERS_OPTIONS.referrerPolicy],
  ['strict-transport-security', 'max-age=15552000; includeSubDomains'],
  ['x-content-type-options', 'nosniff'],
  ['x-dns-prefetch-control', 'off'],
  ['x-download-options', 'noopen'],
  ['x-frame-options', 'SAMEORIGIN'],
  ['x-permitted-cross-domain-policies', 'none'],
  ['x-xss-protection', '0'],
];

/**
 * Sends SECURITY_HEADERS with every response. Under @hono/node-server they go straight onto
 * Node's response, which merges them into the head it writes: no fetch Headers object is
 * built and validated per request. Elsewhere (app.request in tests) they are set on c.res.
 * A route that sets one of these headers itself keeps its own value.
 */
export function securityHeaders(): MiddlewareHandler {
  return async function sendSecurityHeaders(c, next) {
    const outgoing = (c.env as Partial<HttpBindings> | undefined)?.outgoing;
    if (outgoing && typeof outgoing.setHeader === 'function' && !outgoing.headersSent) {
      for (const [name, value] of SECURITY_HEADERS) outgoing.setHeader(name, value);
      await next();
      return;
    }
    await next();
    const headers = c.res.headers;
    for (const [name, value] of SECURITY_HEADERS) if (!headers.has(name)) headers.set(name, value);
  };
}
