// Notifications are made here and only here: background subscribers of domain events (ADR
// 0011), each event with its delivery record in the delivery's transaction, so an event is handled
// once per subscriber even with several processes; the unique (recipient, event, kind) makes
// sure of it should a delivery ever run twice. The closing-soon reminder is a job the
// proposal_opened delivery queues, keyed by that event, so it too notifies once.
import type { Deps } from '../deps.ts';
import type { Executor } from '../db/transaction.ts';
import type { EventBus } from '../events/events.service.ts';
import type { Envelope, EventType } from '../events/events.ts';
import type { JobRegistry } from '../jobs/registry.ts';
import { jobQueue } from '../jobs/runner.ts';
import { closingSoon, draftsFor, mayNotify } from './drafts.ts';
import { DAILY_DIGEST, EMAIL_NOW, type EmailService } from './email.service.ts';
import type { Made, NotificationsService } from './notifications.service.ts';
import { recipientsView } from './recipients.view.ts';

export const CLOSING_SOON = 'notifications.closing_soon';
const DAY_MS = 86_400_000;
/** How often the queue looks for people whose daily digest is due. */
export const DIGEST_SWEEP_MS = 15 * 60_000;

const NOTIFIED: EventType[] = [
  'application_submitted',
  'proposal_opened',
  'proposal_closed',
  'transfer_posted',
  'thread_created',
  'comment_posted',
  'alliance_requested',
];

export function subscribeNotifications(
  deps: Deps,
  events: Pick<EventBus, 'background'>,
  jobs: JobRegistry,
  notifications: Pick<NotificationsService, 'record' | 'recordMany'>,
  email: EmailService,
): void {
  const queue = jobQueue(deps);
  const emailing = deps.config.smtp !== null;

  async function queueEmails(tx: Executor, made: Made[], at: string): Promise<void> {
    if (!emailing) return;
    for (const m of made)
      if (m.immediate) await queue.enqueue(tx, { kind: EMAIL_NOW, key: m.id, runAt: at });
  }

  /** The reminder a day before closing, for a proposal open longer than a day. */
  async function remind(tx: Executor, e: Envelope): Promise<void> {
    if (e.event.type !== 'proposal_opened') return;
    const p = await recipientsView(tx).proposal(e.event.proposalId);
    if (!p) return;
    const remindAt = new Date(new Date(p.closes_at).getTime() - DAY_MS);
    if (remindAt.getTime() <= new Date(e.occurredAt).getTime()) return;
    await queue.enqueue(tx, {
      kind: CLOSING_SOON,
      key: `${e.id}/${p.id}`,
      runAt: remindAt.toISOString(),
    });
  }

  /** A delivery batch's events: drafted one by one through one view, recorded together. */
  async function notifyAll(tx: Executor, list: Envelope[]): Promise<void> {
    const view = recipientsView(tx);
    const drafted = [];
    for (const e of list) drafted.push({ eventId: e.id, drafts: await draftsFor(view, e) });
    const made = await notifications.recordMany(tx, drafted);
    for (const [i, e] of list.entries()) {
      await queueEmails(tx, made[i]!, e.occurredAt);
      await remind(tx, e);
    }
  }

  events.background('notifications.notify', NOTIFIED, (tx, e) => notifyAll(tx, [e]), {
    wants: mayNotify,
    many: notifyAll,
  });

  jobs.handle(CLOSING_SOON, async (job) => {
    const [eventId, proposalId] = job.key.split('/');
    if (!eventId || !proposalId) throw new Error(`bad ${CLOSING_SOON} key ${job.key}`);
    await deps.db.transaction().execute(async (tx) => {
      const made = await notifications.record(
        tx,
        eventId,
        await closingSoon(recipientsView(tx), proposalId),
      );
      await queueEmails(tx, made, deps.clock.now().toISOString());
    });
  });

  jobs.handle(EMAIL_NOW, (job) => email.sendNow(job.key));
  if (!emailing) return;
  jobs.every({
    kind: DAILY_DIGEST,
    everyMs: DIGEST_SWEEP_MS,
    run: async () => void (await email.sendDigests()),
  });
}
