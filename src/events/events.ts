// The domain events, no I/O. An event says what happened, by ids only (never copies of
// rows), so that it serialises as it is and stays true when the rows change later.
import { z } from 'zod';

const id = z.string().min(1).max(100);

export const domainEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('commune_created'), communeId: id, createdBy: id }),
  z.object({ type: z.literal('charter_amended'), communeId: id }),
  z.object({
    type: z.literal('member_joined'),
    communeId: id,
    accountId: id,
    role: z.enum(['member', 'steward']),
  }),
  z.object({ type: z.literal('member_left'), communeId: id, accountId: id }),
  z.object({
    type: z.literal('application_submitted'),
    communeId: id,
    applicationId: id,
    accountId: id,
  }),
  // `payee` (the kind of account paid) and `code` let background subscribers say at publish
  // time which transfers they need (ADR 0033); events written before them lack both.
  z.object({
    type: z.literal('transfer_posted'),
    communeId: id,
    transferId: id,
    payee: z.enum(['member', 'purse', 'clearing']).optional(),
    code: z.string().max(100).optional(),
  }),
  z.object({ type: z.literal('proposal_opened'), communeId: id, proposalId: id }),
  // A ballot was cast or changed: the tally moved. Never who voted (ballots may be anonymous).
  z.object({ type: z.literal('vote_cast'), communeId: id, proposalId: id }),
  z.object({
    type: z.literal('proposal_closed'),
    communeId: id,
    proposalId: id,
    status: z.enum(['passed', 'rejected', 'expired']),
  }),
  // A new item or a new version of one (search keeps its index in step with these).
  z.object({
    type: z.literal('item_saved'),
    communeId: id,
    itemId: id,
    version: z.number().int(),
  }),
  // An item became a tombstone; `files` are the sha256 of the files it carried, whose rows
  // went with it, so that blobs no other item uses can be removed.
  z.object({
    type: z.literal('item_deleted'),
    communeId: id,
    itemId: id,
    files: z.array(z.string().regex(/^[0-9a-f]{64}$/)),
  }),
  // A commune's passed form_alliance / end_alliance decision (its row in alliance_consents);
  // the network context pairs consents into alliances.
  z.object({
    type: z.literal('alliance_consented'),
    communeId: id,
    partnerId: id,
    consentId: id,
    kind: z.enum(['form', 'end']),
  }),
  // An alliance asked of `partnerId` (its decision opens), became active, or ended.
  z.object({ type: z.literal('alliance_requested'), communeId: id, partnerId: id, allianceId: id }),
  z.object({ type: z.literal('alliance_formed'), communeId: id, partnerId: id, allianceId: id }),
  z.object({ type: z.literal('alliance_ended'), communeId: id, partnerId: id, allianceId: id }),
  // A thread started or a comment posted; who is mentioned or answered is read from the rows.
  z.object({ type: z.literal('thread_created'), communeId: id, threadId: id }),
  z.object({ type: z.literal('comment_posted'), communeId: id, threadId: id, commentId: id }),
  // Everyday editing and moderation of discussions (ADR 0023): the new text stays in its row.
  z.object({ type: z.literal('thread_edited'), communeId: id, threadId: id }),
  z.object({ type: z.literal('thread_deleted'), communeId: id, threadId: id }),
  z.object({ type: z.literal('comment_edited'), communeId: id, threadId: id, commentId: id }),
  z.object({ type: z.literal('comment_deleted'), communeId: id, threadId: id, commentId: id }),
  // A steward's action; `entryId` is its row in the moderation log.
  z.object({
    type: z.literal('thread_moderated'),
    communeId: id,
    threadId: id,
    commentId: id.nullable(),
    action: z.enum(['lock', 'unlock', 'pin', 'unpin', 'hide', 'unhide']),
    entryId: id,
  }),
  z.object({ type: z.literal('proposal_edited'), communeId: id, proposalId: id }),
]);

export type DomainEvent = z.infer<typeof domainEventSchema>;
export type EventType = DomainEvent['type'];
export type EventOf<T extends EventType> = Extract<DomainEvent, { type: T }>;

/** An event as stored in the outbox and handed to subscribers. */
export type Envelope<E extends DomainEvent = DomainEvent> = {
  id: string;
  occurredAt: string;
  event: E;
};

/**
 * In-transaction subscribers run inside the publisher's transaction, in the order they
 * subscribed; an error Result refuses the change (the publisher rolls back), a throw aborts
 * it. Background subscribers run later through the job queue, the events one claim holds
 * for them together in one transaction; a throw has each delivery retried on its own with
 * backoff.
 */
export type SubscriberMode = 'in_transaction' | 'background';

/** The job kind that delivers events to one background subscriber; the job key is the event id. */
export const deliveryKind = (subscriber: string): string => `event:${subscriber}`;

/** A background subscriber's publish-time filter: pure, on the event alone; false queues nothing. */
export type Wants<E extends DomainEvent = DomainEvent> = (event: E) => boolean;

export const SUBSCRIBER_NAME = /^[a-z][a-z0-9_.-]{0,60}$/;
