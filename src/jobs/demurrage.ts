// Demurrage, charged by the job queue: once a month, for every commune whose currency has it.
import type { Deps } from '../deps.ts';
import type { LedgerService } from '../ledger/ledger.service.ts';
import { monthOf } from '../ledger/ledger.ts';

/** How often the queue looks for communes not yet charged this month; the first look of a month charges. */
export const DEMURRAGE_SWEEP_MS = 3_600_000;
export const CHARGE_DEMURRAGE = 'charge_demurrage';

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
