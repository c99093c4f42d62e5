import type { MiddlewareHandler } from 'hono';
import { communeParams } from '../communes/communes.schemas.ts';
import type { CommunesService } from '../communes/communes.service.ts';
import { communeAccess } from '../http/access.ts';
import { signedIn, viewerOf } from '../http/auth.ts';
import { declareRoute, jsonBody, jsonResponse, mount, openApiApp } from '../http/declare.ts';
import { respond, sendError } from '../http/errors.ts';
import { pageQuery } from '../shared/pagination.ts';
import type { DiscussionsService } from './discussions.service.ts';
import { moderationSchema } from './discussions.ts';
import { commentSchema, threadParams, threadSchema } from './discussions.schemas.ts';
import { commentParams, moderationLogSchema } from './editing.schemas.ts';
import type { EditingService } from './editing.service.ts';
import type { ModerationService, ThreadAction } from './moderation.service.ts';

// Stewards lock, pin and hide with a reason; members read the log (ADR 0023).

const tag = 'discussions';
const reasonBody = jsonBody(moderationSchema, 'Why: shown to members in the moderation log');

const threadActions: Record<ThreadAction, string> = {
  lock: 'Lock a thread: no new comments (stewards; logged with the reason)',
  unlock: 'Unlock a thread (stewards; logged with the reason)',
  pin: 'Pin a thread: listed first (stewards; logged with the reason; at most 5)',
  unpin: 'Unpin a thread (stewards; logged with the reason)',
};

const threadRoute = (action: ThreadAction) =>
  declareRoute({
    method: 'post',
    path: `/threads/{id}/${action}`,
    operationId: `${action}Thread`,
    summary: threadActions[action],
    tag,
    access: { commune: 'steward', hiddenAs: 'thread_not_found' },
    request: { params: threadParams, body: reasonBody },
    responses: { 200: jsonResponse(threadSchema, 'The thread') },
    errors: ['no_change', 'too_many_pinned'],
  });

const commentRoute = (action: 'hide' | 'unhide') =>
  declareRoute({
    method: 'post',
    path: `/comments/{id}/${action}`,
    operationId: `${action}Comment`,
    summary:
      action === 'hide'
        ? 'Hide a comment: it keeps its place, showing the reason instead (stewards; logged)'
        : 'Show a hidden comment again (stewards; logged with the reason)',
    tag,
    access: { commune: 'steward', hiddenAs: 'comment_not_found' },
    request: { params: commentParams, body: reasonBody },
    responses: { 200: jsonResponse(commentSchema, 'The comment') },
    errors: ['no_change', 'post_deleted'],
  });

export const moderationLog = declareRoute({
  method: 'get',
  path: '/communes/{c}/moderation',
  operationId: 'moderationLog',
  summary: "The stewards' moderation log, newest first (members)",
  tag,
  access: { commune: 'member' },
  request: { params: communeParams, query: pageQuery },
  responses: { 200: jsonResponse(moderationLogSchema, 'A page of the log') },
});

export function moderationRoutes(
  discussions: Pick<DiscussionsService, 'enterThread'>,
  editing: Pick<EditingService, 'enterComment'>,
  moderation: ModerationService,
  communes: Pick<CommunesService, 'permit'>,
) {
  const inCommune = communeAccess(communes);
  const asStewardOfThread: MiddlewareHandler = async (c, next) => {
    const entered = await discussions.enterThread(
      c.req.param('id') ?? '',
      viewerOf(c)?.id ?? null,
      'steward',
    );
    if (!entered.ok) return sendError(c, entered.error);
    c.set('thread', entered.value);
    await next();
  };
  const asStewardOfComment: MiddlewareHandler = async (c, next) => {
    const entered = await editing.enterComment(
      c.req.param('id') ?? '',
      viewerOf(c)?.id ?? null,
      'steward',
    );
    if (!entered.ok) return sendError(c, entered.error);
    c.set('comment', entered.value);
    await next();
  };

  const app = openApiApp();
  for (const action of ['lock', 'unlock', 'pin', 'unpin'] as const)
    mount(app, threadRoute(action), [asStewardOfThread], async (c) =>
      respond(
        c,
        await moderation.moderateThread(signedIn(c), c.get('thread'), action, c.req.valid('json')),
      ),
    );
  for (const action of ['hide', 'unhide'] as const)
    mount(app, commentRoute(action), [asStewardOfComment], async (c) =>
      respond(
        c,
        await moderation.moderateComment(
          signedIn(c),
          c.get('comment'),
          action,
          c.req.valid('json'),
        ),
      ),
    );
  mount(app, moderationLog, [inCommune('member')], async (c) =>
    c.json(await moderation.logOf(c.get('commune'), c.req.valid('query'))),
  );
  return app;
}
