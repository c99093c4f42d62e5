// Notifications' words and rules, no I/O: the kinds, which of them are important, how a
// person's settings and filters decide whether one is made, and how mentions are found.
import { z } from 'zod';
import { isFilteredOut, type FilterSet } from '../discussions/filters.ts';

export const NOTIFICATION_KINDS = [
  'application', // someone applied to a commune you decide admissions in
  'proposal', // a new proposal in your commune
  'closing_soon', // a proposal closing within 24 h that you have not voted on
  'outcome', // a proposal closed (to its members; an admission's also to the applicant)
  'payment', // money reached your account
  'thanks', // someone thanked an item of yours
  'mention', // @you in a thread or comment
  'reply', // a comment answering yours, or on your thread
  'alliance_request', // another commune asks yours to ally
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** What "important only" keeps: what asks something of you or is addressed to you alone. */
const IMPORTANT: ReadonlySet<NotificationKind> = new Set([
  'application',
  'closing_soon',
  'payment',
  'mention',
  'reply',
  'alliance_request',
]);
export const isImportant = (kind: NotificationKind, personal = false): boolean =>
  personal || IMPORTANT.has(kind);

export const LEVELS = ['all', 'important', 'none'] as const;
export type Level = (typeof LEVELS)[number];
export const EMAIL_MODES = ['immediate', 'daily', 'none'] as const;
export type EmailMode = (typeof EMAIL_MODES)[number];

/** Quiet by default: everything in the app, one email a day at most. */
export const DEFAULT_LEVEL: Level = 'all';
export const DEFAULT_EMAIL: EmailMode = 'daily';

/** One notification to make for one recipient of an event. */
export type Draft = {
  recipientId: string;
  kind: NotificationKind;
  /** Addressed to this person alone (an applicant's outcome): kept under "important only". */
  personal?: boolean;
  communeId: string | null;
  communeHandle: string | null;
  subjectId: string;
  actorHandle: string | null;
  summary: string;
  link: string;
  /** What a filter may match: the thread it is in, and the words it shows. */
  threadId?: string;
};

/** Whether a level lets a draft through. */
export function levelAllows(level: Level, d: Pick<Draft, 'kind' | 'personal'>): boolean {
  if (level === 'none') return false;
  return level === 'all' || isImportant(d.kind, d.personal);
}

/** A person's own filters apply to notifications as to lists: a filtered one is not made. */
export function filteredOut(filters: FilterSet, d: Draft): boolean {
  return isFilteredOut(filters, {
    authorHandle: d.actorHandle ?? '',
    body: d.summary,
    ...(d.threadId !== undefined ? { threadId: d.threadId } : {}),
    ...(d.communeHandle !== null ? { communeHandle: d.communeHandle } : {}),
  });
}

/** The first words of a text, for a notification's line. */
export function excerpt(text: string, max = 140): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

// --- HTTP shapes -------------------------------------------------------------------------

export type Notification = {
  id: string;
  kind: NotificationKind;
  important: boolean;
  subject: { id: string; summary: string; link: string; actor: string | null };
  commune: string | null;
  createdAt: string;
  readAt: string | null;
};

export const settingsInputSchema = z
  .object({
    level: z.enum(LEVELS).optional(),
    email: z.enum(EMAIL_MODES).optional(),
    /** Where email goes; null removes it (no email then). */
    address: z
      .string()
      .trim()
      .max(254)
      .regex(/^[^\s@<>",;]{1,64}@[a-zA-Z0-9-]+(\.[a-zA-Z0-9-]+)+$/, 'must be an email address')
      .nullable()
      .optional(),
    communes: z
      .record(
        z
          .string()
          .max(30)
          .regex(/^[a-z0-9_]{2,30}$/, 'must be a commune handle'),
        z.enum(LEVELS),
      )
      .refine((r) => Object.keys(r).length <= 200, 'at most 200 communes')
      .optional(),
  })
  .strict();
export type SettingsInput = z.infer<typeof settingsInputSchema>;

export type Settings = {
  level: Level;
  email: EmailMode;
  address: string | null;
  /** Only a verified address receives notification email (ADR 0034). */
  addressVerified: boolean;
  /** When the link now waiting to be followed went out; null when none is. */
  verificationSentAt: string | null;
  communes: Record<string, Level>;
};
