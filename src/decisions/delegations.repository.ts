import { sql } from 'kysely';
import type { Dialect } from '../db/database.ts';
import type { Delegation } from './delegation.ts';
import type { Executor } from '../db/transaction.ts';

// '' stands for "every topic" in storage: a primary key column cannot be null.
const ALL = '';
const toTopic = (t: string | null): string => t ?? ALL;
export const fromTopic = (t: string): string | null => (t === ALL ? null : t);

/** One delegation per member and topic in a commune. */
export function delegationsRepository(db: Executor) {
  return {
    async set(
      communeId: string,
      fromId: string,
      toId: string,
      topic: string | null,
      at: string,
    ): Promise<void> {
      await db
        .insertInto('delegations')
        .values({
          commune_id: communeId,
          from_id: fromId,
          to_id: toId,
          topic: toTopic(topic),
          created_at: at,
        })
        .onConflict((oc) =>
          oc
            .columns(['commune_id', 'from_id', 'topic'])
            .doUpdateSet({ to_id: toId, created_at: at }),
        )
        .execute();
    },

    async revoke(communeId: string, fromId: string, topic: string | null): Promise<void> {
      await db
        .deleteFrom('delegations')
        .where('commune_id', '=', communeId)
        .where('from_id', '=', fromId)
        .where('topic', '=', toTopic(topic))
        .execute();
    },

    /** Someone who leaves neither lends nor holds votes any more. */
    async removeInvolving(communeId: string, accountId: string): Promise<void> {
      await db
        .deleteFrom('delegations')
        .where('commune_id', '=', communeId)
        .where((eb) => eb.or([eb('from_id', '=', accountId), eb('to_id', '=', accountId)]))
        .execute();
    },

    /** By account id, for tallies. */
    async ofCommune(communeId: string): Promise<Delegation[]> {
      const rows = await db
        .selectFrom('delegations')
        .select(['from_id', 'to_id', 'topic'])
        .where('commune_id', '=', communeId)
        .execute();
      return rows.map((r) => ({ from: r.from_id, to: r.to_id, topic: fromTopic(r.topic) }));
    },

    /**
     * Serialises one member's delegation writes in a commune until the transaction ends, so
     * the cap holds under concurrent requests. SQLite transactions are already serial.
     */
    async lockMember(dialect: Dialect, communeId: string, fromId: string): Promise<void> {
      if (dialect === 'postgres')
        await sql`select pg_advisory_xact_lock(hashtext(${`delegations:${communeId}:${fromId}`}))`.execute(
          db,
        );
    },

    /** Topic delegations a member keeps in a commune, and whether one on `topic` exists. */
    async topicCount(
      communeId: string,
      fromId: string,
      topic: string,
    ): Promise<{ count: number; has: boolean }> {
      const rows = await db
        .selectFrom('delegations')
        .select('topic')
        .where('commune_id', '=', communeId)
        .where('from_id', '=', fromId)
        .where('topic', '<>', ALL)
        .execute();
      return { count: rows.length, has: rows.some((r) => r.topic === topic) };
    },
  };
}
