import { newId } from '../../shared/ids.ts';
import type { Executor } from '../../db/transaction.ts';

export type AllianceConsent = {
  id: string;
  kind: 'form' | 'end';
  tradeLimit: number | null;
  rate: number | null;
  proposal: string;
  at: string;
};

/**
 * A commune's consent to form or end an alliance, as its passed proposal gave it. Only
 * the consents live here; the network context pairs two communes' consents into an alliance.
 */
export function allianceConsentsRepository(db: Executor) {
  return {
    async insert(c: {
      communeId: string;
      partnerId: string;
      kind: 'form' | 'end';
      tradeLimit: number | null;
      rate: number | null;
      proposalId: string;
      at: string;
    }): Promise<string> {
      const id = newId();
      await db
        .insertInto('alliance_consents')
        .values({
          id,
          commune_id: c.communeId,
          partner_id: c.partnerId,
          kind: c.kind,
          trade_limit: c.tradeLimit,
          rate: c.rate,
          proposal_id: c.proposalId,
          created_at: c.at,
        })
        .execute();
      return id;
    },

    /** The commune's latest word on a partner: formed, ended, or nothing yet. */
    async latest(communeId: string, partnerId: string): Promise<AllianceConsent | undefined> {
      const r = await db
        .selectFrom('alliance_consents')
        .selectAll()
        .where('commune_id', '=', communeId)
        .where('partner_id', '=', partnerId)
        .orderBy('id', 'desc')
        .executeTakeFirst();
      return (
        r && {
          id: r.id,
          kind: r.kind,
          tradeLimit: r.trade_limit === null ? null : Number(r.trade_limit),
          rate: r.rate === null ? null : Number(r.rate),
          proposal: r.proposal_id,
          at: r.created_at,
        }
      );
    },
  };
}
