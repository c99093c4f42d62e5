import type { IncomingMessage } from 'node:http';
import { declareRoute, mount, openApiApp } from '../http/declare.ts';
import { sendError } from '../http/errors.ts';
import type { LiveService } from './live.service.ts';
import { eventsQuery, liveEventSchema, topicOf } from './live.ts';

export const followEvents = declareRoute({
  method: 'get',
  path: '/events',
  operationId: 'followEvents',
  summary:
    'Server-Sent Events: what changes in one thread, proposal or commune (`?thread=`, `?proposal=`, `?commune=`), or, signed in with none, in your communes and your own applications. Each event carries its type and ids only (fetch the thing to see it) and only reaches callers who may see it; `refresh` asks to reload; a comment line every 25 s keeps the stream open. Send `Last-Event-ID` to get what was missed',
  tag: 'live',
  // Anyone may follow what they may read; the topic's own rule decides (404 when hidden).
  access: 'public',
  request: { query: eventsQuery },
  responses: {
    200: {
      description:
        'An event stream: `event:` the domain event type (comment_posted, vote_cast, proposal_closed, transfer_posted …), `ready` first, `refresh` to reload; `data:` `{ type, commune, thread?, comment?, proposal?, transfer?, status? }`',
      content: { 'text/event-stream': { schema: liveEventSchema } },
    },
  },
  errors: [
    'thread_not_found',
    'proposal_not_found',
    'not_found',
    'topic_required',
    'too_many_streams',
  ],
});

export function liveRoutes(live: LiveService) {
  const app = openApiApp();
  mount(app, followEvents, [], async (c) => {
    const viewer = c.get('viewer');
    const opened = await live.open(
      viewer?.id ?? null,
      topicOf(c.req.valid('query')),
      c.req.header('last-event-id'),
    );
    if (!opened.ok) return sendError(c, opened.error);
    // On the Node server, a client that stopped reading is cut off at its socket.
    const socket = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket;
    if (socket) opened.value.onDrop = () => socket.destroy();
    return new Response(opened.value.stream, {
      headers: {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        // Proxies (nginx) pass events on at once instead of buffering them.
        'x-accel-buffering': 'no',
      },
    });
  });
  return app;
}
