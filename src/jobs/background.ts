import type { DecisionsService } from '../decisions/decisions.service.ts';
import { CLOSE_PROPOSAL } from '../decisions/opening.ts';
import type { Deps } from '../deps.ts';
import type { LedgerService } from '../ledger/ledger.service.ts';
import { jobRunner } from './runner.ts';

/** How often holds past their timeout are released, whether or not anyone reads the ledger. */
export const HOLD_SWEEP_MS = 1000;

/** The app's background work: proposals closing at closesAt, and expired ledger holds. */
export function backgroundJobs(deps: Deps, contexts: { decisions: Pick<DecisionsService, 'closing'>; ledger: Pick<LedgerService, 'expireDue'> }) {
  return jobRunner(
    deps,
    { [CLOSE_PROPOSAL]: (job) => contexts.decisions.closing.closeDue(job) },
    [{ kind: 'expire_holds', everyMs: HOLD_SWEEP_MS, run: async () => void (await contexts.ledger.expireDue()) }],
  );
}
