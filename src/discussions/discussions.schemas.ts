import { z } from 'zod';
import { FILTER_KINDS } from './filters.ts';

// What the discussions routes answer, as the OpenAPI document and the web app see it.
// No counts of any kind on purpose: no popularity signals.

export const threadParams = z.object({
  id: z.string().meta({ description: 'The thread’s id (a UUID)' }),
});

export const filterParams = z.object({
  id: z.string().meta({ description: 'The filter’s id (a UUID)' }),
});

const authorSchema = z
  .object({
    handle: z.string().meta({ description: 'A local handle, or user@host from the fediverse' }),
    displayName: z.string(),
  })
  .meta({ id: 'Author' });

export const threadSchema = z
  .object({
    id: z.string(),
    commune: z.string().meta({ description: 'The commune’s handle' }),
    title: z.string(),
    body: z.string().meta({ description: 'Markdown, as written' }),
    html: z.string().meta({ description: 'The body rendered and sanitised' }),
    author: authorSchema,
    createdAt: z.string(),
    editedAt: z.string().nullable().meta({ description: 'When it was last edited; null if never' }),
    locked: z.boolean().meta({ description: 'Locked by a steward: no new comments' }),
    pinned: z.boolean().meta({ description: 'Pinned by a steward: listed first' }),
    proposal: z
      .string()
      .nullable()
      .meta({ description: 'The proposal this thread is the discussion of' }),
    unread: z
      .boolean()
      .optional()
      .meta({ description: 'In lists, for a signed-in caller: comments they have not seen' }),
  })
  .meta({ id: 'Thread' });

export const commentSchema = z
  .object({
    id: z.string(),
    threadId: z.string(),
    body: z.string().meta({ description: 'Markdown, as written' }),
    html: z.string().meta({ description: 'The body rendered and sanitised' }),
    author: authorSchema,
    inReplyTo: z.string().nullable().meta({ description: 'The comment this one answers' }),
    source: z.enum(['local', 'fediverse']),
    createdAt: z.string(),
    editedAt: z.string().nullable().meta({ description: 'When it was last edited; null if never' }),
    deleted: z.boolean().meta({ description: 'Deleted by its author: it keeps its place, empty' }),
    hidden: z
      .object({ reason: z.string(), at: z.string() })
      .nullable()
      .meta({ description: 'Hidden by a steward, with the reason; the body is then empty' }),
  })
  .meta({ id: 'Comment' });

export const threadPageSchema = z
  .object({
    items: z.array(threadSchema),
    next: z.string().nullable(),
    hidden: z
      .number()
      .int()
      .min(0)
      .meta({
        description:
          'How many threads the caller’s own filters left out of this page’s span; summed over ' +
          'the pages, how many the whole list hides',
      }),
  })
  .meta({ id: 'ThreadPage' });

export const threadWithCommentsSchema = z
  .object({
    thread: threadSchema,
    comments: z.array(commentSchema).meta({ description: 'Oldest first' }),
    next: z
      .string()
      .nullable()
      .meta({ description: 'The ?after= cursor for the following comments; null at the end' }),
    hidden: z
      .number()
      .int()
      .min(0)
      .meta({
        description:
          'How many comments the caller’s own filters left out of this page’s span; summed ' +
          'over the pages, how many the thread hides',
      }),
  })
  .meta({ id: 'ThreadWithComments' });

export const filterSchema = z
  .object({
    id: z.string(),
    kind: z.enum(FILTER_KINDS),
    value: z.string(),
    createdAt: z.string(),
  })
  .meta({ id: 'Filter' });

export const filterPageSchema = z
  .object({
    items: z.array(filterSchema),
    next: z.string().nullable().meta({ description: 'Always null: the cap keeps one page' }),
  })
  .meta({ id: 'FilterPage' });
