import type { MiddlewareHandler } from 'hono';
import type { Need } from '../communes/permit.ts';
import { signedIn, viewerOf } from '../http/auth.ts';
import { declareRoute, jsonBody, jsonResponse, mount, openApiApp } from '../http/declare.ts';
import { respond, sendError } from '../http/errors.ts';
import type { DiscussionsService } from './discussions.service.ts';
import {
  commentEditSchema,
  commentInputSchema,
  commentsQuery,
  threadEditSchema,
} from './discussions.ts';
import { commentSchema, threadParams, threadSchema } from './discussions.schemas.ts';
import {
  commentParams,
  postEditPageSchema,
  proposalCommentsSchema,
  readInputSchema,
  readPositionSchema,
} from './editing.schemas.ts';
import type { EditingService, EnteredComment } from './editing.service.ts';
import type {
  EnteredProposal,
  ProposalCommentsService,
  ProposalPort,
} from './proposal-comments.service.ts';

// Editing and deleting one's own posts, their history, read positions, and the discussion
// beside a proposal (ADR 0023).

declare module 'hono' {
  interface ContextVariableMap {
    /** The comment `{id}` names, once inComment() let the caller in. */
    comment: EnteredComment;
    /** The proposal `{id}` names, for its discussion. */
    discussed: EnteredProposal;
  }
}

const tag = 'discussions';
const onThread = (need: Need) => ({ commune: need, hiddenAs: 'thread_not_found' as const });
const onComment = (need: Need) => ({ commune: need, hiddenAs: 'comment_not_found' as const });
const proposalParams = threadParams.extend({});

export const editThread = declareRoute({
  method: 'patch',
  path: '/threads/{id}',
  operationId: 'editThread',
  summary: 'Edit your thread’s title or body; the text it replaces is kept in its history',
  tag,
  access: onThread('signed_in'),
  request: { params: threadParams, body: jsonBody(threadEditSchema) },
  responses: { 200: jsonResponse(threadSchema, 'The edited thread') },
  errors: ['not_author', 'thread_locked', 'thread_in_use', 'too_many_edits'],
});

export const deleteThread = declareRoute({
  method: 'delete',
  path: '/threads/{id}',
  operationId: 'deleteThread',
  summary: 'Delete your thread, while nobody else has replied to it',
  tag,
  access: onThread('signed_in'),
  request: { params: threadParams },
  responses: { 204: { description: 'Deleted' } },
  errors: ['not_author', 'thread_in_use', 'thread_has_replies'],
});

export const threadEdits = declareRoute({
  method: 'get',
  path: '/threads/{id}/edits',
  operationId: 'threadEdits',
  summary: 'A thread’s earlier titles and bodies, the latest first',
  tag,
  access: onThread('visitor'),
  request: { params: threadParams },
  responses: { 200: jsonResponse(postEditPageSchema, 'The history') },
});

export const editComment = declareRoute({
  method: 'patch',
  path: '/comments/{id}',
  operationId: 'editComment',
  summary: 'Edit your comment; the text it replaces is kept in its history',
  tag,
  access: onComment('signed_in'),
  request: { params: commentParams, body: jsonBody(commentEditSchema) },
  responses: { 200: jsonResponse(commentSchema, 'The edited comment') },
  errors: ['not_author', 'post_deleted', 'post_hidden', 'thread_locked', 'too_many_edits'],
});

export const deleteComment = declareRoute({
  method: 'delete',
  path: '/comments/{id}',
  operationId: 'deleteComment',
  summary: 'Delete your comment: it stays in its place, empty, so pages do not shift',
  tag,
  access: onComment('signed_in'),
  request: { params: commentParams },
  responses: { 204: { description: 'Deleted' } },
  errors: ['not_author'],
});

export const commentEdits = declareRoute({
  method: 'get',
  path: '/comments/{id}/edits',
  operationId: 'commentEdits',
  summary: 'A comment’s earlier texts, the latest first (none once deleted or hidden)',
  tag,
  access: onComment('visitor'),
  request: { params: commentParams },
  responses: { 200: jsonResponse(postEditPageSchema, 'The history') },
});

export const getReadPosition = declareRoute({
  method: 'get',
  path: '/threads/{id}/read',
  operationId: 'getReadPosition',
  summary: 'Where the caller stopped reading: comments after lastSeen are new to them',
  tag,
  access: onThread('signed_in'),
  request: { params: threadParams },
  responses: { 200: jsonResponse(readPositionSchema, 'The read position') },
});

export const markRead = declareRoute({
  method: 'put',
  path: '/threads/{id}/read',
  operationId: 'markRead',
  summary: 'Move the caller’s read position forward to a comment (it never moves back)',
  tag,
  access: onThread('signed_in'),
  request: { params: threadParams, body: jsonBody(readInputSchema) },
  responses: { 200: jsonResponse(readPositionSchema, 'The read position') },
  errors: ['read_target_invalid'],
});

export const listProposalComments = declareRoute({
  method: 'get',
  path: '/proposals/{id}/comments',
  operationId: 'listProposalComments',
  summary: 'The discussion beside a proposal, oldest first, paged like a thread (?after=&limit=)',
  tag,
  access: { commune: 'visitor', hiddenAs: 'proposal_not_found' },
  request: { params: proposalParams, query: commentsQuery },
  responses: { 200: jsonResponse(proposalCommentsSchema, 'A page of the discussion') },
});

export const addProposalComment = declareRoute({
  method: 'post',
  path: '/proposals/{id}/comments',
  operationId: 'addProposalComment',
  summary: 'Comment on a proposal (members); the first comment opens its discussion',
  tag,
  access: { commune: 'member', hiddenAs: 'proposal_not_found' },
  request: { params: proposalParams, body: jsonBody(commentInputSchema) },
  responses: { 201: jsonResponse(commentSchema, 'The comment') },
  errors: ['reply_target_invalid', 'thread_locked'],
});

export function editingRoutes(
  discussions: Pick<DiscussionsService, 'enterThread'>,
  editing: EditingService,
  proposalComments: ProposalCommentsService,
  proposals: ProposalPort,
) {
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
  const inComment =
    (need: Need): MiddlewareHandler =>
    async (c, next) => {
      const entered = await editing.enterComment(
        c.req.param('id') ?? '',
        viewerOf(c)?.id ?? null,
        need,
      );
      if (!entered.ok) return sendError(c, entered.error);
      c.set('comment', entered.value);
      await next();
    };
  const inProposal =
    (need: Need): MiddlewareHandler =>
    async (c, next) => {
      const entered = await proposals.enter(c.req.param('id') ?? '', viewerOf(c)?.id ?? null, need);
      if (!entered.ok) return sendError(c, entered.error);
      c.set('discussed', entered.value);
      await next();
    };

  const app = openApiApp();
  mount(app, editThread, [inThread('signed_in')], async (c) =>
    respond(c, await editing.editThread(signedIn(c), c.get('thread'), c.req.valid('json'))),
  );
  mount(app, deleteThread, [inThread('signed_in')], async (c) => {
    const r = await editing.deleteThread(signedIn(c), c.get('thread'));
    return r.ok ? c.body(null, 204) : sendError(c, r.error);
  });
  mount(app, threadEdits, [inThread('visitor')], async (c) =>
    c.json(await editing.history(c.get('thread').threadId)),
  );
  mount(app, editComment, [inComment('signed_in')], async (c) =>
    respond(c, await editing.editComment(signedIn(c), c.get('comment'), c.req.valid('json'))),
  );
  mount(app, deleteComment, [inComment('signed_in')], async (c) => {
    const r = await editing.deleteComment(signedIn(c), c.get('comment'));
    return r.ok ? c.body(null, 204) : sendError(c, r.error);
  });
  mount(app, commentEdits, [inComment('visitor')], async (c) => {
    const { comment } = c.get('comment');
    return c.json(await editing.history(comment.id, comment.deleted || comment.hidden));
  });
  mount(app, getReadPosition, [inThread('signed_in')], async (c) =>
    c.json(await editing.readPosition(signedIn(c).id, c.get('thread').threadId)),
  );
  mount(app, markRead, [inThread('signed_in')], async (c) =>
    respond(
      c,
      await editing.markRead(signedIn(c).id, c.get('thread').threadId, c.req.valid('json')),
    ),
  );
  mount(app, listProposalComments, [inProposal('visitor')], async (c) =>
    respond(c, await proposalComments.list(c.get('discussed'), c.req.valid('query'))),
  );
  mount(app, addProposalComment, [inProposal('member')], async (c) =>
    respond(
      c,
      await proposalComments.add(signedIn(c), c.get('discussed'), c.req.valid('json')),
      201,
    ),
  );
  return app;
}
