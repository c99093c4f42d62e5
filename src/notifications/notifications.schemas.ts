import { z } from 'zod';
import { EMAIL_MODES, LEVELS, NOTIFICATION_KINDS } from './notifications.ts';

// What the notifications routes answer, as the OpenAPI document and the web app see it.

export const notificationSchema = z
  .object({
    id: z.string(),
    kind: z.enum(NOTIFICATION_KINDS),
    important: z.boolean(),
    subject: z.object({
      id: z.string(),
      summary: z.string().meta({ description: 'Plain text, never HTML' }),
      link: z.string().meta({ description: 'A path of the web app' }),
      actor: z.string().nullable().meta({ description: 'Who did it (a handle), if anyone' }),
    }),
    commune: z.string().nullable(),
    createdAt: z.string(),
    readAt: z.string().nullable(),
  })
  .meta({ id: 'Notification' });

export const notificationPageSchema = z.object({
  items: z.array(notificationSchema),
  next: z.string().nullable(),
  unread: z
    .number()
    .int()
    .meta({ description: 'How many of the caller’s notifications are unread' }),
});

export const notificationsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.string().max(100).optional(),
  unread: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
});

export const markReadSchema = z
  .object({
    ids: z.array(z.string().max(100)).min(1).max(500).optional(),
  })
  .strict();

export const settingsSchema = z
  .object({
    level: z.enum(LEVELS),
    email: z.enum(EMAIL_MODES),
    address: z.string().nullable(),
    addressVerified: z.boolean().meta({
      description: 'Only a verified address receives notification email',
    }),
    verificationSentAt: z.string().nullable().meta({
      description: 'When the verification link now waiting to be followed went out; null: none',
    }),
    communes: z.record(z.string(), z.enum(LEVELS)),
  })
  .meta({ id: 'NotificationSettings' });

export const unsubscribeQuery = z.object({ token: z.string().max(200) });

export const verifyEmailSchema = z
  .object({ token: z.string().min(1).max(200).meta({ description: 'From the emailed link' }) })
  .strict();

export const verifiedSchema = z.object({ address: z.string() });

export const verificationSentSchema = z.object({ sentAt: z.string(), expiresAt: z.string() });

const proposalProgress = z.object({
  id: z.string(),
  status: z.string(),
  closesAt: z.string(),
  votes: z.number().int(),
});

export const inboxSchema = z
  .object({
    applications: z.array(
      z.object({
        id: z.string(),
        commune: z.string(),
        applicant: z.object({ handle: z.string(), displayName: z.string() }),
        createdAt: z.string(),
        proposal: proposalProgress.nullable(),
      }),
    ),
    proposals: z.array(
      z.object({ id: z.string(), title: z.string(), commune: z.string(), closesAt: z.string() }),
    ),
    mentions: z.array(notificationSchema),
    replies: z.array(notificationSchema),
    payments: z.array(notificationSchema),
    alliances: z.array(
      z.object({
        id: z.string(),
        from: z.object({ handle: z.string(), name: z.string() }),
        to: z.string(),
        requestedAt: z.string(),
      }),
    ),
    unread: z.number().int(),
  })
  .meta({ id: 'Inbox' });

export const ownApplicationsSchema = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      commune: z.object({ handle: z.string(), name: z.string() }),
      status: z.enum(['pending', 'approved', 'rejected']),
      createdAt: z.string(),
      decidedAt: z.string().nullable(),
      proposal: proposalProgress
        .extend({ eligible: z.number().int().meta({ description: 'Members who may vote' }) })
        .nullable(),
    }),
  ),
});
