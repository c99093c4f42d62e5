import { CompiledQuery } from 'kysely';
import { preparedStatement, type Dialect } from '../db/database.ts';
import { domainEventSchema, type DomainEvent, type Envelope } from './events.ts';
import type { Executor } from '../db/transaction.ts';

// Rows per INSERT: five parameters each stays well under SQLite's 32,766 (a batch of 8,190 transfers).
const APPEND_CHUNK = 2000;

const communeOf = (e: DomainEvent): string | null => ('communeId' in e ? e.communeId : null);

// PostgreSQL: one fixed text for any number of events (arrays, not a list of rows), so each
// connection parses and plans it once; every ledger group commit runs it.
const APPEND_PG = preparedStatement(
  `insert into domain_events (id, type, commune_id, payload, occurred_at)
  select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])`,
);

/** The outbox and the delivery records. */
export function eventsRepository(db: Executor, dialect: Dialect = 'sqlite') {
  return {
    /** Appends events in large INSERTs (one prepared statement on PostgreSQL), inside the caller's transaction. */
    async append(envelopes: Envelope[]): Promise<void> {
      if (dialect === 'postgres') {
        await db.executeQuery(
          CompiledQuery.raw(APPEND_PG, [
            envelopes.map((e) => e.id),
            envelopes.map((e) => e.event.type),
            envelopes.map((e) => communeOf(e.event)),
            envelopes.map((e) => JSON.stringify(e.event)),
            envelopes.map((e) => e.occurredAt),
          ]),
        );
        return;
      }
      for (let i = 0; i < envelopes.length; i += APPEND_CHUNK)
        await db
          .insertInto('domain_events')
          .values(
            envelopes.slice(i, i + APPEND_CHUNK).map((e) => ({
              id: e.id,
              type: e.event.type,
              commune_id: communeOf(e.event),
              payload: JSON.stringify(e.event),
              occurred_at: e.occurredAt,
            })),
          )
          .execute();
    },

    /** An event by id, parsed back through its schema: a row that no longer parses is a bug. */
    async find(id: string): Promise<Envelope | undefined> {
      const r = await db
        .selectFrom('domain_events')
        .select(['id', 'payload', 'occurred_at'])
        .where('id', '=', id)
        .executeTakeFirst();
      return r && { id: r.id, occurredAt: r.occurred_at, event: parsed(r.payload) };
    },

    /** Events by id (unknown ids are left out), oldest first: what live updates read back. */
    async findMany(ids: readonly string[]): Promise<Envelope[]> {
      const out: Envelope[] = [];
      for (let i = 0; i < ids.length; i += APPEND_CHUNK) {
        const rows = await db
          .selectFrom('domain_events')
          .select(['id', 'payload', 'occurred_at'])
          .where('id', 'in', ids.slice(i, i + APPEND_CHUNK))
          .orderBy('id')
          .execute();
        for (const r of rows)
          out.push({ id: r.id, occurredAt: r.occurred_at, event: parsed(r.payload) });
      }
      return out;
    },

    /** A commune's events after one event, oldest first (live updates' Last-Event-ID). */
    async after(o: { communeIds: string[]; id: string; limit: number }): Promise<Envelope[]> {
      if (o.communeIds.length === 0) return [];
      const rows = await db
        .selectFrom('domain_events')
        .select(['id', 'payload', 'occurred_at'])
        .where('commune_id', 'in', o.communeIds)
        .where('id', '>', o.id)
        .where('occurred_at', '>=', (eb) =>
          eb.selectFrom('domain_events').select('occurred_at').where('id', '=', o.id),
        )
        .orderBy('id')
        .limit(o.limit)
        .execute();
      return rows.map((r) => ({ id: r.id, occurredAt: r.occurred_at, event: parsed(r.payload) }));
    },

    /** Events in the order they were written, oldest first (tests and the audit trail). */
    async list(o: { communeId?: string; limit: number }): Promise<Envelope[]> {
      let q = db
        .selectFrom('domain_events')
        .select(['id', 'payload', 'occurred_at'])
        .orderBy('occurred_at')
        .orderBy('id')
        .limit(o.limit);
      if (o.communeId !== undefined) q = q.where('commune_id', '=', o.communeId);
      return (await q.execute()).map((r) => ({
        id: r.id,
        occurredAt: r.occurred_at,
        event: parsed(r.payload),
      }));
    },

    /**
     * Records that `subscriber` handled the event; false when it already had. Called in the
     * subscriber's own transaction, so the record commits with its work or not at all.
     */
    async recordDelivery(subscriber: string, eventId: string, at: string): Promise<boolean> {
      const r = await db
        .insertInto('event_deliveries')
        .values({ subscriber, event_id: eventId, delivered_at: at })
        .onConflict((oc) => oc.columns(['subscriber', 'event_id']).doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
    },

    /**
     * Records that `subscriber` handled these events, in one statement per chunk; returns
     * the ids it had not handled before (the others a previous run committed).
     */
    async recordDeliveries(
      subscriber: string,
      eventIds: string[],
      at: string,
    ): Promise<Set<string>> {
      const fresh = new Set<string>();
      for (let i = 0; i < eventIds.length; i += APPEND_CHUNK) {
        const rows = await db
          .insertInto('event_deliveries')
          .values(
            eventIds
              .slice(i, i + APPEND_CHUNK)
              .map((id) => ({ subscriber, event_id: id, delivered_at: at })),
          )
          .onConflict((oc) => oc.columns(['subscriber', 'event_id']).doNothing())
          .returning('event_id')
          .execute();
        for (const r of rows) fresh.add(r.event_id);
      }
      return fresh;
    },

    async deliveries(subscriber: string): Promise<string[]> {
      const rows = await db
        .selectFrom('event_deliveries')
        .select('event_id')
        .where('subscriber', '=', subscriber)
        .execute();
      return rows.map((r) => r.event_id);
    },
  };
}

function parsed(payload: string): DomainEvent {
  return domainEventSchema.parse(JSON.parse(payload));
}
