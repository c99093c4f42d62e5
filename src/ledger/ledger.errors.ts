import { failer, type CodeOf } from '../shared/result.ts';

/** Every error the ledger answers with. */
export const ledgerErrors = {
  negative_balance: 'rule_violation',
} as const;
export type LedgerErrorCode = CodeOf<typeof ledgerErrors>;

export const ledgerFail = failer(ledgerErrors);
