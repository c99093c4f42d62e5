import { z } from 'zod';
import { commentSchema } from './discussions.schemas.ts';

// What the editing, moderation and read-position routes answer (ADR 0023).

export const commentParams = z.object({
  id: z.string().meta({ description: 'The comment’s id (a UUID)' }),
});

export const postEditSchema = z
  .object({
    title: z.string().nullable().meta({ description: 'A thread’s title then; null for comments' }),
    body: z.string().meta({ description: 'Markdown, as it was' }),
    html: z.string(),
    replacedAt: z.string().meta({ description: 'When an edit replaced this text' }),
  })
  .meta({ id: 'PostEdit' });

export const postEditPageSchema = z
  .object({
    items: z.array(postEditSchema).meta({ description: 'Earlier texts, the latest first' }),
    next: z.null(),
  })
  .meta({ id: 'PostEditPage' });

export const moderationEntrySchema = z
  .object({
    id: z.string(),
    action: z.enum(['lock', 'unlock', 'pin', 'unpin', 'hide', 'unhide']),
    thread: z.object({ id: z.string(), title: z.string().nullable() }),
    comment: z.string().nullable(),
    steward: z.object({ handle: z.string(), displayName: z.string() }),
    reason: z.string(),
    createdAt: z.string(),
  })
  .meta({ id: 'ModerationEntry' });

export const moderationLogSchema = z
  .object({ items: z.array(moderationEntrySchema), next: z.string().nullable() })
  .meta({ id: 'ModerationLog' });

export const readPositionSchema = z
  .object({
    lastSeen: z
      .string()
      .nullable()
      .meta({ description: 'The newest comment the caller has seen; null if none' }),
    readAt: z.string().nullable().meta({ description: 'When they last read it; null if never' }),
  })
  .meta({ id: 'ReadPosition' });

export const readInputSchema = z.object({
  lastSeen: z
    .string()
    .max(100)
    .nullable()
    .meta({ description: 'A comment of the thread; the position never moves back' }),
});
export type ReadInput = z.infer<typeof readInputSchema>;

export const proposalCommentsSchema = z
  .object({
    thread: z
      .string()
      .nullable()
      .meta({ description: 'The discussion’s thread, once someone has commented' }),
    locked: z.boolean(),
    comments: z.array(commentSchema).meta({ description: 'Oldest first' }),
    next: z.string().nullable(),
  })
  .meta({ id: 'ProposalComments' });
