// Live updates, the pure part (docs/adr/0028-live-updates.md): what a caller may follow,
// which followers a domain event reaches and under which need of the one access rule, and
// the Server-Sent Events wire format. No I/O.
import { z } from 'zod';
import type { Need, Standing } from '../communes/permit.ts';
import { permit } from '../communes/permit.ts';
import type { DomainEvent, Envelope, EventType } from '../events/events.ts';

const ref = z.string().min(1).max(100);

/** `?thread=`, `?proposal=` or `?commune=`; none: what concerns the signed-in caller. */
export const eventsQuery = z
  .object({
    thread: ref.optional().describe('Follow one thread: its comments, edits and moderation'),
    proposal: ref
      .optional()
      .describe('Follow one proposal: its votes (tally), outcome, edits and its discussion'),
    commune: ref
      .optional()
      .describe(
        'Follow one commune: everything in it the caller may see (the ledger only when allowed)',
      ),
    notifications: z
      .enum(['true'])
      .optional()
      .describe("Signed in: follow only your own new notifications (the header's unread count)"),
  })
  .strict()
  .refine(
    (q) =>
      [q.thread, q.proposal, q.commune, q.notifications].filter((v) => v !== undefined).length <= 1,
    { message: 'Follow one of thread, proposal, commune or notifications at a time' },
  );
export type EventsQuery = z.infer<typeof eventsQuery>;

export type Topic =
  | { kind: 'thread'; id: string }
  | { kind: 'proposal'; id: string }
  | { kind: 'commune'; handle: string }
  | { kind: 'notifications' }
  | { kind: 'home' };

export const topicOf = (q: EventsQuery): Topic =>
  q.thread !== undefined
    ? { kind: 'thread', id: q.thread }
    : q.proposal !== undefined
      ? { kind: 'proposal', id: q.proposal }
      : q.commune !== undefined
        ? { kind: 'commune', handle: q.commune }
        : q.notifications !== undefined
          ? { kind: 'notifications' }
          : { kind: 'home' };

/**
 * Index keys: a thread, a proposal, a commune, an account (an applicant's own news), and a
 * person's own notifications (ADR 0034).
 */
export const key = {
  thread: (id: string) => `t:${id}`,
  proposal: (id: string) => `p:${id}`,
  commune: (id: string) => `c:${id}`,
  account: (id: string) => `a:${id}`,
  notifications: (id: string) => `n:${id}`,
};

/** A new notification, as the outbox of notifications announces it (`n:<id>`). */
export type NotificationNews = {
  id: string;
  recipientId: string;
  kind: string;
  communeId: string | null;
};

/** What a `notification` event carries: which one, its kind and commune; never its text. */
export const notificationData = (n: NotificationNews, communeHandle: string | null) => ({
  type: 'notification',
  id: n.id,
  kind: n.kind,
  commune: communeHandle,
});

/** Announcements of notifications are `n:<id>`; of domain events, the bare id. */
export const NOTIFICATION_PREFIX = 'n:';

/**
 * Who an event reaches: followers of any of `keys`, if they meet `need` in the event's
 * commune (their standing there, fixed when they connected, through permit()). `subject`
 * keys (an applicant's own admission, their own account) reach their one follower as such.
 */
export type Route = {
  keys: string[];
  need: Need;
  /**
   * An alliance's other commune: its followers hear the event too, under their standing there,
   * and as news of their own commune (ADR 0034).
   */
  partner?: string;
};

/** The event types live updates carry; others (items, search) are not followed. */
export const LIVE_TYPES = [
  'thread_created',
  'thread_edited',
  'thread_deleted',
  'thread_moderated',
  'comment_posted',
  'comment_edited',
  'comment_deleted',
  'proposal_opened',
  'proposal_edited',
  'proposal_closed',
  'vote_cast',
  'transfer_posted',
  'application_submitted',
  'member_joined',
  'member_left',
  'charter_amended',
  'alliance_requested',
  'alliance_formed',
  'alliance_ended',
] as const satisfies readonly EventType[];
const LIVE = new Set<EventType>(LIVE_TYPES);

/**
 * Every `event:` a stream sends: the live domain events, a person's `notification`, `ready`
 * first and `refresh` to reload. Declared in the OpenAPI document (LiveEventType), from which
 * the web app takes the list it listens to.
 */
export const STREAM_EVENTS = [...LIVE_TYPES, 'notification', 'ready', 'refresh'] as const;

export const liveEventSchema = z
  .object({
    type: z.enum(STREAM_EVENTS).meta({ id: 'LiveEventType' }),
    commune: z
      .string()
      .nullable()
      .optional()
      .meta({ description: 'The handle of the commune it happened in (null: any)' }),
    thread: z.string().optional(),
    comment: z.string().optional(),
    proposal: z.string().optional(),
    transfer: z.string().optional(),
    alliance: z.string().optional(),
    status: z.string().optional().meta({ description: "proposal_closed: the proposal's status" }),
    action: z.string().optional().meta({ description: "thread_moderated: the steward's action" }),
    id: z.string().optional().meta({ description: "notification: the notification's id" }),
    kind: z.string().optional().meta({ description: "notification: the notification's kind" }),
  })
  .meta({
    id: 'LiveEvent',
    description: 'The `data:` of one message; its `event:` is the same `type`',
  });

/**
 * The route of one event. `proposalOfThread` is the proposal a comment's thread discusses
 * (read by the caller), so a proposal's followers see its discussion too.
 */
export function routeOf(e: DomainEvent, proposalOfThread: string | null): Route | null {
  if (!LIVE.has(e.type)) return null;
  const c = key.commune(e.communeId);
  switch (e.type) {
    case 'thread_created':
    case 'charter_amended':
      return { keys: [c], need: 'visitor' };
    case 'thread_edited':
    case 'thread_deleted':
    case 'thread_moderated':
    case 'comment_posted':
    case 'comment_edited':
    case 'comment_deleted': {
      const keys = [key.thread(e.threadId), c];
      if (proposalOfThread) keys.push(key.proposal(proposalOfThread));
      return { keys, need: 'visitor' };
    }
    case 'proposal_opened':
    case 'proposal_edited':
    case 'proposal_closed':
    case 'vote_cast':
      return { keys: [key.proposal(e.proposalId), c], need: 'visitor' };
    case 'transfer_posted':
      return { keys: [c], need: 'books' };
    case 'application_submitted':
      return { keys: [c], need: 'member' };
    case 'member_joined':
    case 'member_left':
      return { keys: [c, key.account(e.accountId)], need: 'visitor' };
    // Whoever may see a commune's alliances (its page lists them) hears them change, in both.
    case 'alliance_requested':
    case 'alliance_formed':
    case 'alliance_ended':
      return { keys: [c], need: 'visitor', partner: e.partnerId };
    default:
      return null;
  }
}

/** What a follower holds: a standing per commune, or a subject key that needs none. */
export type Grant = {
  viewerId: string | null;
  /** By commune id: where the follower stands, and the commune's handle for the wire. */
  standings: Map<string, Standing & { handle: string }>;
  keys: { key: string; subject: boolean }[];
};

/** Standings that permit() answers alike share a key: a delivery asks once per key. */
export const standingKey = (s: Standing): string =>
  `${s.visibility}|${s.role}|${s.signedIn}|${s.holdsInvite === true}|${JSON.stringify(s.open ?? {})}`;

/** Whether an event on `route` in `communeId` reaches a follower who holds `held` under it. */
export function reaches(
  grant: Grant,
  held: { subject: boolean },
  communeId: string,
  need: Need,
): boolean {
  if (held.subject) return true;
  const standing = grant.standings.get(communeId);
  return standing !== undefined && permit(need, standing) === null;
}

/**
 * What goes on the wire: the event's type and ids (handles for communes), never content.
 * `communeHandle` is the commune the follower hears it as (an alliance's either side).
 */
export function wireData(e: DomainEvent, communeHandle: string): Record<string, string> {
  const out: Record<string, string> = { type: e.type, commune: communeHandle };
  if ('threadId' in e) out.thread = e.threadId;
  if ('commentId' in e && e.commentId !== null) out.comment = e.commentId;
  if ('proposalId' in e) out.proposal = e.proposalId;
  if ('transferId' in e) out.transfer = e.transferId;
  // Never the partner's handle: a private commune asking is hidden from the asked (ADR 0017).
  if ('allianceId' in e) out.alliance = e.allianceId;
  if (e.type === 'proposal_closed') out.status = e.status;
  if (e.type === 'thread_moderated') out.action = e.action;
  return out;
}

/** One Server-Sent Events message; `id` lets EventSource resume with Last-Event-ID. */
export function frame(event: string, data: unknown, id?: string): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export const HEARTBEAT = ': ping\n\n';

/**
 * More events than this for one commune in one delivery (a batch of transfers) are sent as
 * one `refresh`: pages reload once instead of a thousand times.
 */
export const COALESCE_OVER = 50;

/** Splits a delivery's events into those sent one by one and the communes told to refresh. */
export function coalesce(envelopes: Envelope[]): { single: Envelope[]; refresh: Set<string> } {
  const perCommune = new Map<string, number>();
  for (const e of envelopes)
    perCommune.set(e.event.communeId, (perCommune.get(e.event.communeId) ?? 0) + 1);
  const refresh = new Set([...perCommune].filter(([, n]) => n > COALESCE_OVER).map(([c]) => c));
  return { single: envelopes.filter((e) => !refresh.has(e.event.communeId)), refresh };
}
