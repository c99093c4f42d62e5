import type { ActionMethod, ActionType, Governance, Rule } from './governance.ts';
import type { ThresholdBasis } from './method-shapes.ts';
import type { Executor } from '../db/transaction.ts';

/** A row written before thresholds had a basis was counted on votes cast (migration 0009). */
export const basisOf = (
  threshold: number | string | null,
  basis: string | null,
): ThresholdBasis | null =>
  threshold === null ? null : ((basis as ThresholdBasis | null) ?? 'cast');

export type StoredRule = Rule & { proposal: string; updatedAt: string };

/** Only what a commune changed is stored; the defaults live in governance.ts. */
export function governanceRepository(db: Executor) {
  return {
    async rules(communeId: string): Promise<Partial<Record<ActionType, StoredRule>>> {
      const rows = await db
        .selectFrom('governance_rules')
        .selectAll()
        .where('commune_id', '=', communeId)
        .execute();
      return Object.fromEntries(
        rows.map((r) => [
          r.action_type,
          {
            method: r.method as ActionMethod,
            threshold: r.threshold === null ? null : Number(r.threshold),
            thresholdBasis: basisOf(r.threshold, r.threshold_basis),
            quorum: Number(r.quorum),
            durationHours: Number(r.duration_hours),
            proposal: r.proposal_id,
            updatedAt: r.updated_at,
          },
        ]),
      );
    },

    async apply(
      communeId: string,
      rules: Partial<Governance>,
      proposalId: string,
      at: string,
    ): Promise<void> {
      for (const [type, rule] of Object.entries(rules) as [ActionType, Rule][]) {
        const values = {
          method: rule.method,
          threshold: rule.threshold,
          threshold_basis: rule.thresholdBasis,
          quorum: rule.quorum,
          duration_hours: rule.durationHours,
          proposal_id: proposalId,
          updated_at: at,
        };
        await db
          .insertInto('governance_rules')
          .values({ commune_id: communeId, action_type: type, ...values })
          .onConflict((oc) => oc.columns(['commune_id', 'action_type']).doUpdateSet(values))
          .execute();
      }
    },
  };
}
