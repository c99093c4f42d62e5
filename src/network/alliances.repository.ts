import type { Selectable } from 'kysely';
import type { Executor } from '../db/transaction.ts';
import type { AllianceTable } from '../db/schema.network.ts';
import { newId } from '../shared/ids.ts';
import type { Alliance, Terms } from './alliances.ts';

const toAlliance = (r: Selectable<AllianceTable>): Alliance => ({
  id: r.id,
  a: r.commune_a,
  b: r.commune_b,
  status: r.status,
  tradeLimit: Number(r.trade_limit),
  rate: Number(r.rate),
  requestedAt: r.requested_at,
  activeSince: r.active_since,
  endedAt: r.ended_at,
  endedBy: r.ended_by,
});

/** The alliances table: one row per pair and episode (a pair ended and formed again is two rows). */
export function alliancesRepository(db: Executor) {
  return {
    /** The pairs of two communes, either way round, the latest first. */
    async between(x: string, y: string): Promise<Alliance[]> {
      const rows = await db
        .selectFrom('alliances')
        .selectAll()
        .where((w) =>
          w.or([
            w.and([w('commune_a', '=', x), w('commune_b', '=', y)]),
            w.and([w('commune_a', '=', y), w('commune_b', '=', x)]),
          ]),
        )
        .orderBy('requested_at', 'desc')
        .orderBy('id', 'desc')
        .execute();
      return rows.map(toAlliance);
    },

    /** Every pair a commune is in, the latest first. */
    async of(communeId: string): Promise<Alliance[]> {
      const rows = await db
        .selectFrom('alliances')
        .selectAll()
        .where((w) => w.or([w('commune_a', '=', communeId), w('commune_b', '=', communeId)]))
        .orderBy('requested_at', 'desc')
        .orderBy('id', 'desc')
        .execute();
      return rows.map(toAlliance);
    },

    /** The communes in an active alliance with one. */
    async activePartners(communeId: string): Promise<string[]> {
      const rows = await db
        .selectFrom('alliances')
        .select(['commune_a', 'commune_b'])
        .where('status', '=', 'active')
        .where((w) => w.or([w('commune_a', '=', communeId), w('commune_b', '=', communeId)]))
        .execute();
      return rows.map((r) => (r.commune_a === communeId ? r.commune_b : r.commune_a));
    },

    /**
     * A new request, or null when the pair already stands: a request that committed since
     * it was read (the unique index of migration 0019 waits for it, then declines).
     */
    async insertRequest(a: string, b: string, terms: Terms, at: string): Promise<string | null> {
      const id = newId();
      const r = await db
        .insertInto('alliances')
        .values({
          id,
          commune_a: a,
          commune_b: b,
          status: 'requested',
          trade_limit: terms.tradeLimit,
          rate: terms.rate,
          requested_at: at,
          active_since: null,
          ended_at: null,
          ended_by: null,
        })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) === 1 ? id : null;
    },

    /** A counter-offer: the pair turns round, the one who countered now asks with its terms. */
    async counter(id: string, a: string, b: string, terms: Terms, at: string): Promise<void> {
      await db
        .updateTable('alliances')
        .set({
          commune_a: a,
          commune_b: b,
          trade_limit: terms.tradeLimit,
          rate: terms.rate,
          requested_at: at,
        })
        .where('id', '=', id)
        .where('status', '=', 'requested')
        .execute();
    },

    async activate(id: string, at: string): Promise<void> {
      await db
        .updateTable('alliances')
        .set({ status: 'active', active_since: at })
        .where('id', '=', id)
        .where('status', '=', 'requested')
        .execute();
    },

    async end(id: string, by: string, at: string): Promise<void> {
      await db
        .updateTable('alliances')
        .set({ status: 'ended', ended_at: at, ended_by: by })
        .where('id', '=', id)
        .where('status', '!=', 'ended')
        .execute();
    },
  };
}
