import type { Deps } from '../deps.ts';
import { jobsRepository } from '../jobs/jobs.repository.ts';
import type { Job } from '../jobs/jobs.ts';
import type { JobRegistry } from '../jobs/registry.ts';
import { newId } from '../shared/ids.ts';
import { ok, type Result } from '../shared/result.ts';
import {
  SUBSCRIBER_NAME,
  deliveryKind,
  type DomainEvent,
  type Envelope,
  type EventOf,
  type EventType,
  type Wants,
} from './events.ts';
import { eventsRepository } from './events.repository.ts';
import type { Executor } from '../db/transaction.ts';

type InTransaction<T extends EventType> = (
  tx: Executor,
  e: Envelope<EventOf<T>>,
) => Promise<Result<void> | void>;
type Background<T extends EventType> = (tx: Executor, e: Envelope<EventOf<T>>) => Promise<void>;
/** What a background subscriber may add to its handler (ADR 0033). */
export type BackgroundOptions<T extends EventType> = {
  /** Asked at publish time: an event it refuses is never queued for the subscriber. */
  wants?: Wants<EventOf<T>>;
  /** The handler's work for several events at once, in order, in fewer statements. */
  many?: (tx: Executor, events: Envelope<EventOf<T>>[]) => Promise<void>;
};

type Subscription = {
  name: string;
  types: ReadonlySet<EventType>;
  mode: 'in_transaction' | 'background';
  handle: (tx: Executor, e: Envelope) => Promise<Result<void> | void>;
  wants?: Wants;
  many?: (tx: Executor, events: Envelope[]) => Promise<void>;
};

/** What a context needs to publish; services take this, not the whole bus. */
export type EventPublisher = Pick<EventBus, 'publish'>;

/**
 * The domain event bus. publish() appends events to the outbox inside the caller's
 * transaction, runs the in-transaction subscribers there, and queues one delivery job per
 * background subscriber in that same transaction: a rollback leaves no event and no job.
 *
 * Background delivery rides the job queue: each (subscriber, event) is its own job, so a
 * failing delivery is retried with the queue's backoff while the others go on; claiming
 * hands each job to one process. The events of one claim reach a subscriber together, in
 * one transaction with their delivery records and the jobs' completion (ADR 0033); the
 * delivery record turns a second run of a job (a process died after committing) into a
 * no-op. A subscriber's publish-time filter keeps events it does not need off the queue.
 */
export function eventBus(deps: Deps, jobs?: JobRegistry) {
  const subscriptions: Subscription[] = [];
  const now = () => deps.clock.now().toISOString();

  function add(s: Subscription): void {
    if (!SUBSCRIBER_NAME.test(s.name)) throw new Error(`bad subscriber name ${s.name}`);
    if (subscriptions.some((o) => o.name === s.name))
      throw new Error(`subscriber ${s.name} is registered already`);
    subscriptions.push(s);
  }

  /** Runs a background subscriber on claimed events in `tx`, once per subscriber and event. */
  async function deliver(s: Subscription, tx: Executor, jobs: Job[]): Promise<void> {
    const repo = eventsRepository(tx);
    const envelopes = await repo.findMany(jobs.map((j) => j.key));
    if (envelopes.length < new Set(jobs.map((j) => j.key)).size) {
      const found = new Set(envelopes.map((e) => e.id));
      throw new Error(`event ${jobs.find((j) => !found.has(j.key))!.key} is not in the outbox`);
    }
    envelopes.sort((a, b) =>
      a.occurredAt === b.occurredAt ? (a.id < b.id ? -1 : 1) : a.occurredAt < b.occurredAt ? -1 : 1,
    );
    const fresh = await repo.recordDeliveries(
      s.name,
      envelopes.map((e) => e.id),
      now(),
    );
    const todo = envelopes.filter((e) => fresh.has(e.id));
    if (s.many && todo.length > 1) await s.many(tx, todo);
    else for (const e of todo) await s.handle(tx, e);
  }

  return {
    /**
     * Subscribes inside the publisher's transaction. Keep these for work that must commit
     * or fail with the change (an application opens its admission proposal); an error
     * Result refuses the change.
     */
    inTransaction<T extends EventType>(name: string, types: T[], handle: InTransaction<T>): void {
      add({
        name,
        types: new Set(types),
        mode: 'in_transaction',
        handle: handle as Subscription['handle'],
      });
    },

    /**
     * Subscribes in the background: at least once, after the change committed, through the
     * job queue. The handler runs in a transaction that also records the delivery and may
     * hold other events for it (never share state across calls that the rollback would not
     * undo); throw to have it retried later. See BackgroundOptions for `wants` and `many`.
     */
    background<T extends EventType>(
      name: string,
      types: T[],
      handle: Background<T>,
      o: BackgroundOptions<T> = {},
    ): void {
      if (!jobs) throw new Error('background subscribers need the job registry');
      const s: Subscription = {
        name,
        types: new Set(types),
        mode: 'background',
        handle: handle as Subscription['handle'],
        ...(o.wants ? { wants: o.wants as Wants } : {}),
        ...(o.many ? { many: o.many as Subscription['many'] } : {}),
      };
      add(s);
      jobs.handle(
        deliveryKind(name),
        (job) => deps.db.transaction().execute((tx) => deliver(s, tx, [job])),
        (tx, claimed) => deliver(s, tx, claimed),
      );
    },

    /** Records events in the caller's transaction and hands them to the subscribers. */
    async publish(tx: Executor, events: DomainEvent | DomainEvent[]): Promise<Result<void>> {
      const list = Array.isArray(events) ? events : [events];
      if (list.length === 0) return ok(undefined);
      const at = now();
      const envelopes: Envelope[] = list.map((event) => ({ id: newId(), occurredAt: at, event }));
      await eventsRepository(tx, deps.dialect).append(envelopes);
      for (const e of envelopes)
        for (const s of subscriptions) {
          if (s.mode !== 'in_transaction' || !s.types.has(e.event.type)) continue;
          const r = await s.handle(tx, e);
          if (r && !r.ok) return r;
        }
      const deliveries = envelopes.flatMap((e) =>
        subscriptions
          .filter(
            (s) =>
              s.mode === 'background' &&
              s.types.has(e.event.type) &&
              (s.wants === undefined || s.wants(e.event)),
          )
          .map((s) => ({ kind: deliveryKind(s.name), key: e.id, runAt: at })),
      );
      await jobsRepository(tx, deps.dialect).enqueueAll(deliveries, at);
      return ok(undefined);
    },

    /** The outbox, read back (tests, audits). */
    recorded: (o: { communeId?: string; limit?: number } = {}) =>
      eventsRepository(deps.db).list({ ...o, limit: o.limit ?? 1000 }),
  };
}
export type EventBus = ReturnType<typeof eventBus>;
