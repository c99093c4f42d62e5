import { err, ok, type AppError, type Err, type Result } from '../shared/result.ts';
import { ledgerFail, type LedgerErrorCode } from './ledger.errors.ts';
import { MAX_BATCH, PURSE, type TransferInput } from './ledger.ts';
import type { TransferRequest } from './transfers.types.ts';

// What a member may ask of the ledger before any account is read: pure rules, one place,
// whether the transfer comes alone or in a batch.

type Refused = AppError<LedgerErrorCode>;

/** One member's transfer as the ledger's request, or why the contract refuses it outright. */
export function memberRequest(t: TransferInput, payer: string): Result<TransferRequest, Refused> {
  if (t.toCommune !== undefined)
    return ledgerFail(
      'not_supported_yet',
      'A payment into another commune goes alone, not in a batch',
      { field: 'toCommune' },
    );
  if (t.from === PURSE)
    return ledgerFail(
      'purse_requires_decision',
      'The purse pays out only through a passed spend proposal',
      { field: 'from' },
    );
  if (t.from !== undefined && t.from !== payer)
    return ledgerFail('not_your_account', 'A member pays from their own account only', {
      field: 'from',
    });
  if (t.to === payer) return ledgerFail('self_payment', 'You cannot pay yourself', { field: 'to' });
  return ok({
    id: t.id,
    to: t.to,
    amount: t.amount,
    memo: t.memo,
    pending: t.pending === true,
    timeoutSeconds: t.timeoutSeconds,
    reverses: t.reverses,
  });
}

/** A batch holds 1..MAX_BATCH transfers. */
export function batchSizeRefusal(size: number): Result<void, Refused> {
  if (size === 0)
    return ledgerFail('batch_empty', 'A batch needs at least one transfer', {
      field: 'transfers',
    });
  if (size > MAX_BATCH)
    return ledgerFail(
      'batch_too_large',
      `A batch holds at most ${MAX_BATCH} transfers; this one has ${size}`,
      { field: 'transfers' },
    );
  return ok(undefined);
}

/** An item's refusal, named by its index in the batch. */
export const inBatch = <E extends AppError>(i: number, e: E): Err<E> =>
  err({
    ...e,
    message: `transfer ${i}: ${e.message}`,
    field: e.field ? `transfers.${i}.${e.field}` : `transfers.${i}`,
  });
