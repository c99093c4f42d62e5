import type { MiddlewareHandler } from 'hono';
import { communeParams } from '../communes/communes.schemas.ts';
import type { CommunesService } from '../communes/communes.service.ts';
import type { Need } from '../communes/permit.ts';
import { communeAccess } from '../http/access.ts';
import { signedIn, viewerOf } from '../http/auth.ts';
import { declareRoute, jsonBody, jsonResponse, mount, openApiApp } from '../http/declare.ts';
import { respond, respondSerialized, sendError } from '../http/errors.ts';
import {
  commentsQuery,
  commentInputSchema,
  threadInputSchema,
  threadsQuery,
  MAX_COMMENTS_PAGE,
  DEFAULT_COMMENTS_PAGE,
} from './discussions.ts';
import {
  commentSchema,
  threadPageSchema,
  threadParams,
  threadSchema,
  threadWithCommentsSchema,
} from './discussions.schemas.ts';
import type { DiscussionsService, EnteredThread } from './discussions.service.ts';

declare module 'hono' {
  interface ContextVariableMap {
    /** The thread `{id}` names, once inThread() let the caller in. */
    thread: EnteredThread;
  }
}

const tag = 'discussions';

export const startThread = declareRoute({
  method: 'post',
  path: '/communes/{c}/threads',
  operationId: 'startThread',
  summary: 'Start a thread (members); the body is Markdown',
  tag,
  access: { commune: 'member' },
  request: { params: communeParams, body: jsonBody(threadInputSchema) },
  responses: { 201: jsonResponse(threadSchema, 'The thread') },
});

export const listThreads = declareRoute({
  method: 'get',
  path: '/communes/{c}/threads',
  operationId: 'listThreads',
  summary: "A commune's threads, newest first, without what the caller filtered",
  tag,
  access: { commune: 'visitor' },
  request: { params: communeParams, query: threadsQuery },
  responses: { 200: jsonResponse(threadPageSchema, 'A page of threads') },
});

export const getThread = declareRoute({
  method: 'get',
  path: '/threads/{id}',
  operationId: 'getThread',
  summary:
    `A thread and a page of its comments, oldest first: ?limit= (default ${DEFAULT_COMMENTS_PAGE}, ` +
    `at most ${MAX_COMMENTS_PAGE}) comments after the ?after= cursor, and never more than ` +
    'about 1 MiB of them (at least one)',
  tag,
  access: { commune: 'visitor', hiddenAs: 'thread_not_found' },
  request: { params: threadParams, query: commentsQuery },
  responses: { 200: jsonResponse(threadWithCommentsSchema, 'The thread and a page of comments') },
  // busy: too many long reads waiting (with Retry-After)
  errors: ['busy'],
});

export const addComment = declareRoute({
  method: 'post',
  path: '/threads/{id}/comments',
  operationId: 'addComment',
  summary: "Comment on a thread (members of the thread's commune)",
  tag,
  access: { commune: 'member', hiddenAs: 'thread_not_found' },
  request: { params: threadParams, body: jsonBody(commentInputSchema) },
  responses: { 201: jsonResponse(commentSchema, 'The comment') },
  errors: ['reply_target_invalid', 'thread_locked'],
});

export function discussionsRoutes(
  discussions: DiscussionsService,
  communes: Pick<CommunesService, 'permit'>,
  /** Which threads have comments a person has not seen (editing.service.ts). */
  unread?: (viewerId: string, threadIds: string[]) => Promise<Set<string>>,
) {
  const inCommune = communeAccess(communes);
  /** inCommune for routes naming a thread: the thread's commune, under the same rule. */
  const inThread =
    (need: Need): MiddlewareHandler =>
    async (c, next) => {
      const entered = await discussions.enterThread(
        c.req.param('id') ?? '',
        viewerOf(c)?.id ?? null,
        need,
      );
      if (!entered.ok) return sendError(c, entered.error);
      c.set('thread', entered.value);
      await next();
    };

  const app = openApiApp();
  mount(app, startThread, [inCommune('member')], async (c) =>
    c.json(await discussions.startThread(signedIn(c), c.get('commune'), c.req.valid('json')), 201),
  );
  mount(app, listThreads, [inCommune('visitor')], async (c) => {
    const page = await discussions.threadsOf(c.get('commune'), c.req.valid('query'));
    const viewerId = viewerOf(c)?.id;
    if (!unread || viewerId === undefined) return c.json(page);
    const fresh = await unread(
      viewerId,
      page.items.map((t) => t.id),
    );
    return c.json({ ...page, items: page.items.map((t) => ({ ...t, unread: fresh.has(t.id) })) });
  });
  // No access middleware: the page is served from a cache checked with one query, which
  // also reads who may see the thread (the same rule, applied in threadPage).
  mount(app, getThread, [], async (c) =>
    respondSerialized(
      c,
      await discussions.threadPage(
        viewerOf(c)?.id ?? null,
        c.req.valid('param').id,
        c.req.valid('query'),
      ),
    ),
  );
  mount(app, addComment, [inThread('member')], async (c) =>
    respond(
      c,
      await discussions.addComment(signedIn(c), c.get('thread'), c.req.valid('json')),
      201,
    ),
  );
  return app;
}
