// The ledger follows membership through events, inside the membership transactions: a
// commune gets its ledger, a member an account (a returning one their old account back), and
// a leaver's account is frozen, which the ledger refuses while the balance is not zero.
import type { EventBus } from '../events/events.service.ts';
import type { LedgerService } from './ledger.service.ts';

export function subscribeLedger(
  events: Pick<EventBus, 'inTransaction'>,
  ledger: Pick<LedgerService, 'membership' | 'openClearing'>,
): void {
  const m = ledger.membership;
  events.inTransaction('ledger.open_ledger', ['commune_created'], (tx, e) =>
    m.openLedger(tx, e.event.communeId),
  );
  events.inTransaction('ledger.open_account', ['member_joined'], (tx, e) =>
    m.openAccount(tx, e.event.communeId, e.event.accountId),
  );
  events.inTransaction('ledger.freeze_account', ['member_left'], (tx, e) =>
    m.freezeAccount(tx, e.event.communeId, e.event.accountId),
  );
  // Both communes of a new alliance get each other's clearing account (idempotent).
  events.inTransaction('ledger.open_clearing', ['alliance_formed'], (tx, e) =>
    ledger.openClearing(tx, e.event.allianceId, e.event.communeId),
  );
}
