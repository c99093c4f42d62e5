import { Hono } from 'hono';
import type { Deps } from '../deps.ts';
import { requireViewer, signedIn, viewerOf } from '../http/auth.ts';
import { respond, respondSerialized, sendError } from '../http/errors.ts';
import type { Operation } from '../http/openapi.ts';
import { readJson, readQuery } from '../http/validate.ts';
import {
  commentInputSchema,
  commentsQuery,
  threadInputSchema,
  threadsQuery,
} from './discussions.ts';
import type { DiscussionsService } from './discussions.service.ts';

const tag = 'discussions';

export const discussionsOperations: Operation[] = [
  {
    method: 'post',
    path: '/api/v1/communes/{c}/threads',
    tag,
    auth: true,
    summary: 'Start a thread (members only); body is Markdown',
    body: threadInputSchema,
    responses: {
      201: 'thread { id, commune, title, body, html, author, createdAt }',
      400: 'Invalid input',
      401: 'Not signed in',
      403: 'members_only',
      404: 'No such commune (or a private one)',
    },
  },
  {
    method: 'get',
    path: '/api/v1/communes/{c}/threads',
    tag,
    summary: "A commune's threads, newest first, without what the caller filtered",
    query: threadsQuery,
    responses: { 200: '{ items: thread[], next }', 404: 'No such commune (or a private one)' },
  },
  {
    method: 'get',
    path: '/api/v1/threads/{id}',
    tag,
    summary:
      'A thread and a page of its comments, oldest first: ?limit= (default 50, at most 200) ' +
      'comments after the ?after= cursor, and never more than about 1 MiB of them (at least one)',
    query: commentsQuery,
    responses: {
      200: '{ thread, comments: [{ id, body, html, author, inReplyTo, source, createdAt }], next }',
      400: 'invalid_input (limit or after)',
      404: 'thread_not_found',
      429: 'busy: too many long reads waiting (Retry-After)',
    },
  },
  {
    method: 'post',
    path: '/api/v1/threads/{id}/comments',
    tag,
    auth: true,
    summary: 'Comment on a thread (members only)',
    body: commentInputSchema,
    responses: {
      201: 'comment',
      400: 'Invalid input',
      401: 'Not signed in',
      403: 'members_only',
      404: 'thread_not_found',
      422: 'reply_target_invalid',
    },
  },
];

export function discussionsRoutes(_deps: Deps, discussions: DiscussionsService) {
  return new Hono()
    .post('/communes/:c/threads', requireViewer, async (c) => {
      const input = await readJson(c, threadInputSchema);
      if (!input.ok) return sendError(c, input.error);
      return respond(
        c,
        await discussions.startThread(signedIn(c), c.req.param('c'), input.value),
        201,
      );
    })
    .get('/communes/:c/threads', async (c) => {
      const page = readQuery(c, threadsQuery);
      if (!page.ok) return sendError(c, page.error);
      return respond(
        c,
        await discussions.threadsOf(viewerOf(c)?.id ?? null, c.req.param('c'), page.value),
      );
    })
    .get('/threads/:id', async (c) => {
      const page = readQuery(c, commentsQuery);
      if (!page.ok) return sendError(c, page.error);
      const sent = await discussions.threadPage(
        viewerOf(c)?.id ?? null,
        c.req.param('id'),
        page.value,
      );
      if (!sent.ok && sent.error.code === 'busy') c.header('Retry-After', '1');
      return respondSerialized(c, sent);
    })
    .post('/threads/:id/comments', requireViewer, async (c) => {
      const input = await readJson(c, commentInputSchema);
      if (!input.ok) return sendError(c, input.error);
      return respond(
        c,
        await discussions.addComment(signedIn(c), c.req.param('id'), input.value),
        201,
      );
    });
}
