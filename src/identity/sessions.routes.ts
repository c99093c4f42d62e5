import { Hono } from 'hono';
import { deleteCookie } from 'hono/cookie';
import { SESSION_COOKIE, requireViewer, signedIn } from '../http/auth.ts';
import { respond, sendError } from '../http/errors.ts';
import type { Operation } from '../http/openapi.ts';
import { readJson, readQuery } from '../http/validate.ts';
import { pageQuery } from '../shared/pagination.ts';
import { changePasswordSchema } from './identity.ts';
import { clientOf } from './identity.routes.ts';
import type { IdentityService } from './identity.service.ts';

export const sessionsOperations: Operation[] = [
  {
    method: 'get',
    path: '/api/v1/me/sessions',
    tag: 'identity',
    summary: "The caller's live sessions, newest first",
    auth: true,
    query: pageQuery,
    responses: {
      200: '{ items: [{ id, createdAt, lastUsedAt, expiresAt, userAgent, current }], next }',
      401: 'Not signed in',
    },
  },
  {
    method: 'delete',
    path: '/api/v1/me/sessions',
    tag: 'identity',
    summary: 'Sign out everywhere else: ends every session but the current one',
    auth: true,
    responses: { 204: 'The other sessions ended', 401: 'Not signed in' },
  },
  {
    method: 'delete',
    path: '/api/v1/me/sessions/{id}',
    tag: 'identity',
    summary: 'End one session (the current one too, which signs out)',
    auth: true,
    responses: { 204: 'Ended', 401: 'Not signed in', 404: 'session_not_found' },
  },
  {
    method: 'put',
    path: '/api/v1/me/password',
    tag: 'identity',
    summary: 'Change the password; every other session ends',
    auth: true,
    body: changePasswordSchema,
    responses: {
      204: 'Changed',
      400: 'Invalid input',
      401: 'Not signed in',
      403: 'wrong_password',
      429: 'too_many_attempts or server_busy; with Retry-After',
    },
  },
];

export function sessionsRoutes(identity: IdentityService) {
  return new Hono()
    .get('/me/sessions', requireViewer, async (c) => {
      const q = readQuery(c, pageQuery);
      if (!q.ok) return sendError(c, q.error);
      return respond(c, await identity.sessionsOf(signedIn(c), q.value));
    })
    .delete('/me/sessions', requireViewer, async (c) => {
      await identity.endOtherSessions(signedIn(c));
      return c.body(null, 204);
    })
    .delete('/me/sessions/:id', requireViewer, async (c) => {
      const id = c.req.param('id');
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(id))
        return sendError(c, {
          type: 'not_found',
          code: 'session_not_found',
          message: 'No such live session of yours',
        });
      const ended = await identity.endSession(signedIn(c), id);
      if (!ended.ok) return sendError(c, ended.error);
      if (ended.value.current) deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.body(null, 204);
    })
    .put('/me/password', requireViewer, async (c) => {
      const input = await readJson(c, changePasswordSchema);
      if (!input.ok) return sendError(c, input.error);
      const changed = await identity.changePassword(signedIn(c), input.value, clientOf(c));
      if (!changed.ok) return sendError(c, changed.error);
      return c.body(null, 204);
    });
}
