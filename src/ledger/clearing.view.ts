import type { Executor } from '../db/transaction.ts';
import type { Conversion } from './clearing.ts';

// The ledger reads the network's alliances (read-only) for the terms of a payment across
// and of the clearing accounts: docs/adr/0018-clearing.md.

/** An active alliance seen from one commune: the rate is units of the partner's currency for one of ours. */
export type AllianceTerms = {
  allianceId: string;
  partnerId: string;
  partnerHandle: string;
  /** In this commune's currency. */
  tradeLimit: number;
  rate: number;
  /** How a payment from this commune converts (clearing.ts). */
  conversion: Conversion;
};

type Row = {
  id: string;
  commune_a: string;
  commune_b: string;
  trade_limit: number | string;
  rate: number | string;
};

function seenFrom(communeId: string, r: Row, partnerHandle: string): AllianceTerms {
  const rate = Number(r.rate);
  const asA = r.commune_a === communeId;
  return {
    allianceId: r.id,
    partnerId: asA ? r.commune_b : r.commune_a,
    partnerHandle,
    tradeLimit: asA ? Number(r.trade_limit) : Math.round(Number(r.trade_limit) * rate),
    rate: asA ? rate : 1 / rate,
    conversion: { rate, inverse: !asA },
  };
}

export function clearingView(db: Executor) {
  const base = () =>
    db
      .selectFrom('alliances as al')
      .select(['al.id', 'al.commune_a', 'al.commune_b', 'al.trade_limit', 'al.rate'])
      .where('al.status', '=', 'active');
  return {
    /** The active alliance between a commune and the commune with this handle, if any. */
    async activeWith(communeId: string, partnerHandle: string): Promise<AllianceTerms | null> {
      const partner = await db
        .selectFrom('communes')
        .select(['id', 'handle'])
        .where('handle', '=', partnerHandle)
        .executeTakeFirst();
      if (!partner || partner.id === communeId) return null;
      const r = await base()
        .where((eb) =>
          eb.or([
            eb.and([eb('al.commune_a', '=', communeId), eb('al.commune_b', '=', partner.id)]),
            eb.and([eb('al.commune_a', '=', partner.id), eb('al.commune_b', '=', communeId)]),
          ]),
        )
        .executeTakeFirst();
      return r ? seenFrom(communeId, r, partner.handle) : null;
    },

    /** An active alliance by id, seen from one of its two communes. */
    async byId(allianceId: string, communeId: string): Promise<AllianceTerms | null> {
      const r = await base().where('al.id', '=', allianceId).executeTakeFirst();
      if (!r || (r.commune_a !== communeId && r.commune_b !== communeId)) return null;
      const partnerId = r.commune_a === communeId ? r.commune_b : r.commune_a;
      const p = await db
        .selectFrom('communes')
        .select('handle')
        .where('id', '=', partnerId)
        .executeTakeFirstOrThrow();
      return seenFrom(communeId, r, p.handle);
    },
  };
}
