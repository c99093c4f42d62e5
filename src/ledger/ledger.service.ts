import type { Deps } from '../deps.ts';
import { eventBus, type EventPublisher } from '../events/events.service.ts';
import type { Result } from '../shared/result.ts';
import type { Executor } from '../db/transaction.ts';
import type { TransferCode, TransferInput } from './ledger.ts';
import { batchSizeRefusal, inBatch, memberRequest } from './member-payment.ts';
import { accountsService } from './accounts.service.ts';
import { currencyService } from './currency.service.ts';
import { ledgerReads } from './ledger-reads.service.ts';
import { transfersService } from './transfers.service.ts';
import { clearingService } from './clearing.service.ts';
import type { Created, TransferRequest } from './transfers.types.ts';

/**
 * The ledger of each commune: accounts following membership, reads, currency and limits;
 * writes go to transfersService, which publishes transfer_posted through `events`.
 */
export function ledgerService(deps: Deps, events: EventPublisher = eventBus(deps)) {
  const writes = transfersService(deps, events);
  const currency = currencyService(deps, writes);
  const reads = ledgerReads(deps, writes);
  const clearing = clearingService(deps, writes);

  return {
    membership: accountsService(deps, writes),
    openClearing: clearing.openClearing,
    chargeDemurrage: currency.chargeDemurrage,
    updateCurrency: currency.updateCurrency,
    setCreditLimit: currency.setCreditLimit,
    reserveFromPurse: writes.reserveFromPurse,
    postPending: writes.postPending,
    voidPending: writes.voidPending,
    expireDue: writes.expireDue,
    settle: writes.settle,
    idle: writes.idle,

    /**
     * A member pays from their own account through the API: the request rules
     * (member-payment.ts), then the one write path. A batch applies all or none.
     */
    async payAsMember(
      communeId: string,
      payer: { id: string; handle: string },
      inputs: TransferInput[],
      batch = false,
      // Another context's write (thanks for an item) shares its transaction and names the code.
      o: { tx?: Executor; code?: TransferCode } = {},
    ): Promise<Result<Created>> {
      // A payment across an alliance is its own two-ledger write (clearing.service.ts).
      if (!batch && inputs.length === 1 && inputs[0]!.toCommune !== undefined)
        return clearing.payAcross(communeId, payer, inputs[0]!, o);
      if (batch) {
        const size = batchSizeRefusal(inputs.length);
        if (!size.ok) return size;
      }
      const requests: TransferRequest[] = [];
      for (const [i, input] of inputs.entries()) {
        const r = memberRequest(input, payer.handle);
        if (!r.ok) return batch ? inBatch(i, r.error) : r;
        requests.push(o.code ? { ...r.value, code: o.code } : r.value);
      }
      return writes.create(communeId, { kind: 'member', accountId: payer.id }, requests, {
        by: payer.id,
        batch,
        tx: o.tx,
      });
    },

    /** A member pays from their own account: one transfer, or a batch that applies all or none. */
    pay: (communeId: string, payerId: string, requests: TransferRequest[], batch = false) =>
      writes.create(communeId, { kind: 'member', accountId: payerId }, requests, {
        by: payerId,
        batch,
      }),

    ledger: reads.ledger,
    transfer: reads.transfer,
    transfers: reads.transfers,
    statement: reads.statement,
    statementCsv: reads.statementCsv,
    audit: reads.audit,
    limitChanges: currency.limitChanges,
    communesDueDemurrage: currency.communesDueDemurrage,
  };
}
export type LedgerService = ReturnType<typeof ledgerService>;
