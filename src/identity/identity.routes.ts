import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import type { Deps } from '../deps.ts';
import { SESSION_COOKIE, requireViewer, signedIn } from '../http/auth.ts';
import { clientAddress } from '../http/client-address.ts';
import { declareRoute, jsonBody, jsonResponse, mount, openApiApp } from '../http/declare.ts';
import { respond, sendError } from '../http/errors.ts';
import { requireOwnOrigin } from '../http/origin.ts';
import { SESSION_DAYS, signInSchema, signUpSchema } from './identity.ts';
import { accountSchema, meSchema, sessionSchema } from './identity.schemas.ts';
import type { Client, IdentityService } from './identity.service.ts';

/** The address and browser a request came from. */
export const clientOf = (c: Context): Client => ({
  address: clientAddress(c),
  userAgent: c.req.header('user-agent'),
});

export type MembershipSummary = { handle: string; role: 'member' | 'steward' };

const tag = 'identity';

export const signUp = declareRoute({
  method: 'post',
  path: '/accounts',
  operationId: 'signUp',
  summary: 'Create an account (at most SIGN_UPS_PER_HOUR per address)',
  tag,
  access: 'public',
  request: { body: jsonBody(signUpSchema) },
  responses: { 201: jsonResponse(accountSchema, 'The account') },
  errors: ['handle_taken', 'too_many_sign_ups', 'server_busy'],
});

export const signIn = declareRoute({
  method: 'post',
  path: '/sessions',
  operationId: 'signIn',
  summary:
    'Sign in: a bearer token and a session cookie. Failures slow down per handle, with a ceiling per address',
  tag,
  access: 'public',
  request: { body: jsonBody(signInSchema) },
  responses: { 201: jsonResponse(sessionSchema, 'The token, its CSRF token and the account') },
  errors: ['invalid_credentials', 'bad_origin', 'too_many_attempts', 'server_busy'],
});

export const signOut = declareRoute({
  method: 'delete',
  path: '/sessions/current',
  operationId: 'signOut',
  summary: 'Sign out and revoke the token',
  tag,
  access: 'signed_in',
  responses: { 204: { description: 'Signed out' } },
});

export const getMe = declareRoute({
  method: 'get',
  path: '/me',
  operationId: 'getMe',
  summary: 'The caller and their communes',
  tag,
  access: 'signed_in',
  responses: { 200: jsonResponse(meSchema, 'The caller') },
});

export function identityRoutes(
  deps: Deps,
  identity: IdentityService,
  membershipsOf: (accountId: string) => Promise<MembershipSummary[]>,
) {
  const secure = deps.config.publicUrl.startsWith('https:');
  const app = openApiApp();
  mount(app, signUp, [], async (c) =>
    respond(c, await identity.signUp(c.req.valid('json'), clientOf(c)), 201),
  );
  mount(app, signIn, [requireOwnOrigin(deps.config.publicUrl)], async (c) => {
    const { handle, password } = c.req.valid('json');
    const result = await identity.signIn(handle, password, clientOf(c));
    if (!result.ok) return sendError(c, result.error);
    const { token, csrfToken, account } = result.value;
    setCookie(c, SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'Lax',
      secure,
      path: '/',
      maxAge: SESSION_DAYS * 86_400,
    });
    return c.json({ token, csrfToken, account }, 201);
  });
  mount(app, signOut, [requireViewer], async (c) => {
    await identity.signOut(signedIn(c));
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.body(null, 204);
  });
  mount(app, getMe, [requireViewer], async (c) => {
    const v = signedIn(c);
    return c.json({
      id: v.id,
      handle: v.handle,
      displayName: v.displayName,
      communes: await membershipsOf(v.id),
      csrfToken: v.csrfToken,
    });
  });
  return app;
}
