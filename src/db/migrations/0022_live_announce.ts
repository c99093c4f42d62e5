import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Live updates (docs/adr/0028-live-updates.md). On PostgreSQL every process learns of new
// domain events through LISTEN/NOTIFY: this statement-level trigger announces the ids of the
// events an INSERT into the outbox wrote, in the writing transaction itself, so PostgreSQL
// delivers them at commit and drops them on rollback, with no extra round trip for the
// writer. Ids only (the listener reads the events back), at most 200 to a notification to
// stay under NOTIFY's 8,000-byte payload. The channel names the schema, so that databases
// sharing one server (test schemas) do not hear each other. SQLite has one process: its
// events are announced in-process by the event bus (src/live/live.subscribers.ts).
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`
    create or replace function announce_domain_events() returns trigger
    language plpgsql as $$
    declare
      chunk text;
    begin
      for chunk in
        select string_agg(id, ',' order by id)
        from (select id, (row_number() over (order by id) - 1) / 200 as part from new_rows) t
        group by part
      loop
        perform pg_notify('commune_events.' || current_schema(), chunk);
      end loop;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger domain_events_announce after insert on domain_events
    referencing new table as new_rows
    for each statement execute function announce_domain_events()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`drop trigger if exists domain_events_announce on domain_events`.execute(db);
  await sql`drop function if exists announce_domain_events()`.execute(db);
}
