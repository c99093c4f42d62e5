import { Hono, type Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import type { Deps } from '../deps.ts';
import { SESSION_COOKIE, requireViewer, signedIn } from '../http/auth.ts';
import { clientAddress } from '../http/client-address.ts';
import { respond, sendError } from '../http/errors.ts';
import type { Operation } from '../http/openapi.ts';
import { requireOwnOrigin } from '../http/origin.ts';
import { readJson } from '../http/validate.ts';
import { SESSION_DAYS, signInSchema, signUpSchema } from './identity.ts';
import type { Client, IdentityService } from './identity.service.ts';

/** The address and browser a request came from. */
export const clientOf = (c: Context): Client => ({
  address: clientAddress(c),
  userAgent: c.req.header('user-agent'),
});

export type MembershipSummary = { handle: string; role: 'member' | 'steward' };

export const identityOperations: Operation[] = [
  {
    method: 'post',
    path: '/api/v1/accounts',
    tag: 'identity',
    summary: 'Create an account',
    body: signUpSchema,
    responses: {
      201: 'The account',
      400: 'Invalid input',
      409: 'handle_taken',
      429: 'too_many_sign_ups (per address, SIGN_UPS_PER_HOUR) or server_busy; with Retry-After',
    },
  },
  {
    method: 'post',
    path: '/api/v1/sessions',
    tag: 'identity',
    summary: 'Sign in',
    body: signInSchema,
    responses: {
      201: '{ token, csrfToken } and a session cookie',
      401: 'invalid_credentials',
      403: 'bad_origin: an Origin header that is not this site',
      429: 'too_many_attempts (growing delays per handle, a ceiling per address) or server_busy; with Retry-After',
    },
  },
  {
    method: 'delete',
    path: '/api/v1/sessions/current',
    tag: 'identity',
    summary: 'Sign out and revoke the token',
    auth: true,
    responses: { 204: 'Signed out', 401: 'Not signed in' },
  },
  {
    method: 'get',
    path: '/api/v1/me',
    tag: 'identity',
    summary: 'The caller and their communes',
    auth: true,
    responses: { 200: '{ id, handle, displayName, communes, csrfToken }', 401: 'Not signed in' },
  },
];

export function identityRoutes(
  deps: Deps,
  identity: IdentityService,
  membershipsOf: (accountId: string) => Promise<MembershipSummary[]>,
) {
  const secure = deps.config.publicUrl.startsWith('https:');
  return new Hono()
    .post('/accounts', async (c) => {
      const input = await readJson(c, signUpSchema);
      if (!input.ok) return sendError(c, input.error);
      return respond(c, await identity.signUp(input.value, clientOf(c)), 201);
    })
    .post('/sessions', requireOwnOrigin(deps.config.publicUrl), async (c) => {
      const input = await readJson(c, signInSchema);
      if (!input.ok) return sendError(c, input.error);
      const result = await identity.signIn(input.value.handle, input.value.password, clientOf(c));
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
    })
    .delete('/sessions/current', requireViewer, async (c) => {
      await identity.signOut(signedIn(c));
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.body(null, 204);
    })
    .get('/me', requireViewer, async (c) => {
      const v = signedIn(c);
      return c.json({
        id: v.id,
        handle: v.handle,
        displayName: v.displayName,
        communes: await membershipsOf(v.id),
        csrfToken: v.csrfToken,
      });
    });
}
