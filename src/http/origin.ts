import type { MiddlewareHandler } from 'hono';
import { sendError } from './errors.ts';
import { httpFail } from './http.errors.ts';

/**
 * Refuses a request whose Origin header names another site (login CSRF: a cross-site form
 * signing the victim into the attacker's account). Browsers send Origin on every cross-site
 * POST; requests without one (curl, other servers) pass. The app's own origin is PUBLIC_URL's,
 * or the one the request was addressed to (a dev proxy, an address other than PUBLIC_URL).
 */
export function requireOwnOrigin(publicUrl: string): MiddlewareHandler {
  const own = new URL(publicUrl).origin;
  return async function ownOrigin(c, next) {
    const origin = c.req.header('origin');
    if (origin !== undefined && origin !== own && origin !== new URL(c.req.url).origin)
      return sendError(
        c,
        httpFail('bad_origin', `Requests from ${origin.slice(0, 100)} may not sign in here`).error,
      );
    await next();
  };
}
