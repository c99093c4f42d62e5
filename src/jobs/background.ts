import type { DecisionsService } from '../decisions/decisions.service.ts';
import { CLOSE_PROPOSAL } from '../decisions/opening.ts';
import type { Deps } from '../deps.ts';
import type { LedgerService } from '../ledger/ledger.service.ts';
import { CHARGE_DEMURRAGE, DEMURRAGE_SWEEP_MS, chargeDueDemurrage } from './demurrage.ts';
import { jobRunner } from './runner.ts';

/** How often holds past their timeout are released, whether or not anyone reads the ledger. */
export const HOLD_SWEEP_MS = 1000;

type LedgerJobs = Pick<LedgerService, 'expireDue' | 'chargeDemurrage' | 'communesDueDemurrage'>;

/** The app's background work: proposals closing at closesAt, expired ledger holds, monthly demurrage. */
export function backgroundJobs(
  deps: Deps,
  contexts: { decisions: Pick<DecisionsService, 'closing'>; ledger: LedgerJobs },
) {
  return jobRunner(deps, { [CLOSE_PROPOSAL]: (job) => contexts.decisions.closing.closeDue(job) }, [
    {
      kind: 'expire_holds',
      everyMs: HOLD_SWEEP_MS,
      run: async () => void (await contexts.ledger.expireDue()),
    },
    {
      kind: CHARGE_DEMURRAGE,
      everyMs: DEMURRAGE_SWEEP_MS,
      run: async () => void (await chargeDueDemurrage(deps, contexts.ledger)),
    },
  ]);
}
