import { deleteCookie } from 'hono/cookie';
import { SESSION_COOKIE, requireViewer, signedIn } from '../http/auth.ts';
import { declareRoute, jsonBody, jsonResponse, mount, openApiApp } from '../http/declare.ts';
import { respond, sendError } from '../http/errors.ts';
import { pageQuery } from '../shared/pagination.ts';
import { changePasswordSchema } from './identity.ts';
import { clientOf } from './identity.routes.ts';
import { sessionPageSchema, sessionParams } from './identity.schemas.ts';
import type { IdentityService } from './identity.service.ts';

const tag = 'identity';

export const listSessions = declareRoute({
  method: 'get',
  path: '/me/sessions',
  operationId: 'listSessions',
  summary: "The caller's live sessions, newest first",
  tag,
  access: 'signed_in',
  request: { query: pageQuery },
  responses: { 200: jsonResponse(sessionPageSchema, 'A page of sessions') },
  errors: ['invalid_cursor'],
});

export const endOtherSessions = declareRoute({
  method: 'delete',
  path: '/me/sessions',
  operationId: 'endOtherSessions',
  summary: 'Sign out everywhere else: ends every session but the current one',
  tag,
  access: 'signed_in',
  responses: { 204: { description: 'The other sessions ended' } },
});

export const endSession = declareRoute({
  method: 'delete',
  path: '/me/sessions/{id}',
  operationId: 'endSession',
  summary: 'End one session (the current one too, which signs out)',
  tag,
  access: 'signed_in',
  request: { params: sessionParams },
  responses: { 204: { description: 'Ended' } },
  errors: ['session_not_found'],
});

export const changePassword = declareRoute({
  method: 'put',
  path: '/me/password',
  operationId: 'changePassword',
  summary: 'Change the password (the current one is checked like a sign-in); other sessions end',
  tag,
  access: 'signed_in',
  request: { body: jsonBody(changePasswordSchema) },
  responses: { 204: { description: 'Changed' } },
  errors: ['wrong_password', 'too_many_attempts', 'server_busy'],
});

export function sessionsRoutes(identity: IdentityService) {
  const app = openApiApp();
  mount(app, listSessions, [requireViewer], async (c) =>
    respond(c, await identity.sessionsOf(signedIn(c), c.req.valid('query'))),
  );
  mount(app, endOtherSessions, [requireViewer], async (c) => {
    await identity.endOtherSessions(signedIn(c));
    return c.body(null, 204);
  });
  mount(app, endSession, [requireViewer], async (c) => {
    const ended = await identity.endSession(signedIn(c), c.req.valid('param').id);
    if (!ended.ok) return sendError(c, ended.error);
    if (ended.value.current) deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.body(null, 204);
  });
  mount(app, changePassword, [requireViewer], async (c) => {
    const changed = await identity.changePassword(signedIn(c), c.req.valid('json'), clientOf(c));
    return changed.ok ? c.body(null, 204) : sendError(c, changed.error);
  });
  return app;
}
