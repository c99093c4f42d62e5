import type { CommuneAccess } from '../communes/communes.ts';
import type { Deps } from '../deps.ts';
import { ok, type Result } from '../shared/result.ts';
import {
  ACTION_TYPES,
  DEFAULT_GOVERNANCE,
  type ActionType,
  type Governance,
  type Rule,
} from './governance.ts';
import { governanceRepository } from './governance.repository.ts';
import type { Executor } from '../db/transaction.ts';

export type RuleView = Rule & {
  /** The change_governance proposal that set it; null: the default. */ proposal: string | null;
  updatedAt: string | null;
};

/** A commune's rules: the defaults, with what its change_governance proposals changed. */
export function governanceService(deps: Deps) {
  async function rulesOf(communeId: string, tx?: Executor): Promise<Governance> {
    const stored = await governanceRepository(tx ?? deps.db).rules(communeId);
    const out = { ...DEFAULT_GOVERNANCE };
    for (const type of ACTION_TYPES) {
      const s = stored[type];
      if (s)
        out[type] = {
          method: s.method,
          threshold: s.threshold,
          thresholdBasis: s.thresholdBasis,
          quorum: s.quorum,
          durationHours: s.durationHours,
        };
    }
    return out;
  }

  return {
    rulesOf,

    /** The rules, and what the commune shows outsiders (the access rule read it already). */
    async view(
      commune: Pick<CommuneAccess, 'communeId' | 'open'>,
    ): Promise<
      Result<{ rules: Record<ActionType, RuleView>; openBooks: boolean; openBallots: boolean }>
    > {
      const stored = await governanceRepository(deps.db).rules(commune.communeId);
      const rules = Object.fromEntries(
        ACTION_TYPES.map((type) => {
          const s = stored[type];
          const rule: RuleView = s ?? {
            ...DEFAULT_GOVERNANCE[type],
            proposal: null,
            updatedAt: null,
          };
          return [type, rule];
        }),
      ) as Record<ActionType, RuleView>;
      return ok({ rules, openBooks: commune.open.books, openBallots: commune.open.ballots });
    },

    /** change_governance: the only way rules change, inside the closing transaction. */
    apply: (tx: Executor, communeId: string, rules: Partial<Governance>, proposalId: string) =>
      governanceRepository(tx).apply(communeId, rules, proposalId, deps.clock.now().toISOString()),
  };
}
export type GovernanceService = ReturnType<typeof governanceService>;
