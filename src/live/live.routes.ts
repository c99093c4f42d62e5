import type { HttpBindings } from '@hono/node-server';
import { declareRoute, mount, openApiApp } from '../http/declare.ts';
import { sendError } from '../http/errors.ts';
import type { LiveService } from './live.service.ts';
import { eventsQuery, liveEventSchema, topicOf } from './live.ts';
import { STREAM_HEADERS, STREAM_SENT, responseSink, webStreamSink } from './sinks.ts';

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
    const stream = opened.value;
    const outgoing = (c.env as Partial<HttpBindings> | undefined)?.outgoing;
    if (outgoing && typeof outgoing.writeHead === 'function') {
      // Written by the hub itself; Hono is told the answer is sent.
      stream.attach(responseSink(outgoing, () => stream.gone()));
      return STREAM_SENT;
    }
    const web = webStreamSink(() => stream.gone());
    stream.attach(web.sink);
    return new Response(web.stream, { headers: STREAM_HEADERS });
  });
  return app;
}
