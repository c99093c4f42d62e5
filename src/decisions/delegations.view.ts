import type { Executor } from '../db/transaction.ts';
import type { DelegationCursor } from './delegation-limits.ts';
import { fromTopic } from './delegations.repository.ts';

// Delegations by handle, for people: a read view (ADR 0013) joining identity's accounts, since
// the list is paged by the delegator's handle.

export type DelegationView = { from: string; to: string; topic: string | null; createdAt: string };
/** A listed row with what its cursor needs ('' topic: every topic). */
export type DelegationRow = DelegationView & { storedTopic: string };

export function delegationsView(db: Executor) {
  return {
    /** By delegator and topic, `limit + 1` rows after the cursor. */
    async list(
      communeId: string,
      after: DelegationCursor | undefined,
      limit: number,
    ): Promise<DelegationRow[]> {
      let q = db
        .selectFrom('delegations as d')
        .innerJoin('accounts as f', 'f.id', 'd.from_id')
        .innerJoin('accounts as t', 't.id', 'd.to_id')
        .select(['f.handle as from', 't.handle as to', 'd.topic', 'd.created_at'])
        .where('d.commune_id', '=', communeId);
      if (after)
        q = q.where((eb) =>
          eb.or([
            eb('f.handle', '>', after.from),
            eb.and([eb('f.handle', '=', after.from), eb('d.topic', '>', after.topic)]),
          ]),
        );
      const rows = await q
        .orderBy('f.handle')
        .orderBy('d.topic')
        .limit(limit + 1)
        .execute();
      return rows.map((r) => ({
        from: r.from,
        to: r.to,
        topic: fromTopic(r.topic),
        storedTopic: r.topic,
        createdAt: r.created_at,
      }));
    },
  };
}
