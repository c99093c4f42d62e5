import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { IdentityService } from '../identity/identity.service.ts';
import type { Viewer } from '../identity/identity.ts';
import { sendError } from './errors.ts';
import { httpFail } from './http.errors.ts';

export const SESSION_COOKIE = 'commune_session';

declare module 'hono' {
  interface ContextVariableMap {
    viewer: Viewer | null;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Resolves the caller from a bearer token or the session cookie; cookie writes need the CSRF header. */
export function resolveViewer(identity: IdentityService): MiddlewareHandler {
  return async function viewerMiddleware(c, next) {
    const header = c.req.header('authorization');
    const bearer = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
    const cookie = bearer ? undefined : getCookie(c, SESSION_COOKIE);
    const viewer = bearer
      ? await identity.viewerFor(bearer, 'bearer')
      : cookie
        ? await identity.viewerFor(cookie, 'cookie')
        : null;
    if (header && !viewer) {
      return sendError(
        c,
        httpFail('invalid_token', 'The bearer token is unknown, expired or revoked').error,
      );
    }
    if (
      viewer?.via === 'cookie' &&
      !SAFE_METHODS.has(c.req.method) &&
      c.req.header('x-csrf-token') !== viewer.csrfToken
    ) {
      return sendError(
        c,
        httpFail(
          'csrf_token_invalid',
          'Requests signed in by cookie must send the X-CSRF-Token header',
        ).error,
      );
    }
    c.set('viewer', viewer);
    await next();
  };
}

/** The signed-in caller, or null after a 401 has been decided by the caller of this helper. */
export const viewerOf = (c: Context): Viewer | null => c.get('viewer') ?? null;

export const requireViewer: MiddlewareHandler = async function requireViewer(c, next) {
  if (!c.get('viewer')) return sendError(c, httpFail('not_signed_in', 'Sign in first').error);
  await next();
};

/** Inside a route behind requireViewer. */
export const signedIn = (c: Context): Viewer => c.get('viewer') as Viewer;
