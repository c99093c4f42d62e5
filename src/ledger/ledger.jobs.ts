// The ledger's background work, registered with the job runner by createContexts:
// releasing holds past their timeout, and charging demurrage once a month.
import type { Deps } from '../deps.ts';
import type { JobRegistry } from '../jobs/registry.ts';
import type { LedgerService } from './ledger.service.ts';
import { monthOf } from './ledger.ts';

/** How often holds past their timeout are released, whether or not anyone reads the ledger. */
export const HOLD_SWEEP_MS = 1000;
/** How often the queue looks for communes not yet charged this month; the first look of a month charges. */
export const DEMURRAGE_SWEEP_MS = 3_600_000;
export const EXPIRE_HOLDS = 'expire_holds';
export const CHARGE_DEMURRAGE = 'charge_demurrage';

type LedgerJobs = Pick<LedgerService, 'expireDue' | 'chargeDemurrage' | 'communesDueDemurrage'>;

export function registerLedgerJobs(jobs: JobRegistry, deps: Deps, ledger: LedgerJobs): void {
  jobs.every({
    kind: EXPIRE_HOLDS,
    everyMs: HOLD_SWEEP_MS,
    run: async () => void (await ledger.expireDue()),
  });
  jobs.every({
    kind: CHARGE_DEMURRAGE,
    everyMs: DEMURRAGE_SWEEP_MS,
    run: async () => void (await chargeDueDemurrage(deps, ledger)),
  });
}

/**
 * Charges this month's demurrage in every commune still due. Safe to run twice or in two
 * processes at once: the ledger claims each commune's period inside the charging
 * transaction, and the transfers' ids derive from commune, period and account. One commune
 * failing does not stop the others; the job then fails, and the next sweep retries it.
 */
export async function chargeDueDemurrage(
  deps: Deps,
  ledger: Pick<LedgerService, 'chargeDemurrage' | 'communesDueDemurrage'>,
): Promise<number> {
  const period = monthOf(deps.clock.now());
  let charged = 0;
  let failed: unknown = null;
  for (const communeId of await ledger.communesDueDemurrage(period)) {
    try {
      const r = await ledger.chargeDemurrage(communeId, period);
      if (r.ok) charged += r.value.charged;
      else
        deps.logger.warn({ commune: communeId, period, error: r.error }, 'demurrage not charged');
    } catch (e) {
      deps.logger.error({ err: e, commune: communeId, period }, 'charging demurrage failed');
      failed = e;
    }
  }
  if (failed !== null) throw failed;
  return charged;
}
