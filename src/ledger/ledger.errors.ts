import { failer, type CodeOf } from '../shared/result.ts';

/** Every error the ledger answers with. */
export const ledgerErrors = {
  // input the ledger reads more closely than its schema (codeForField)
  invalid_id: 'invalid_input',
  invalid_amount: 'invalid_input',
  invalid_payee: 'invalid_input',
  invalid_memo: 'invalid_input',
  invalid_timeout: 'invalid_input',
  invalid_cursor: 'invalid_input',
  duplicate_id: 'invalid_input',
  batch_empty: 'invalid_input',
  batch_too_large: 'invalid_input',
  // who pays, and to whom
  payer_not_member: 'rule_violation',
  payee_not_member: 'rule_violation',
  not_your_account: 'rule_violation',
  self_payment: 'rule_violation',
  purse_requires_decision: 'rule_violation',
  not_supported_yet: 'rule_violation',
  // payments across an alliance (clearing.service.ts)
  no_alliance: 'rule_violation',
  trade_limit_exceeded: 'rule_violation',
  amount_too_small: 'rule_violation',
  not_your_transfer: 'forbidden',
  // limits (posting.ts)
  credit_limit_exceeded: 'rule_violation',
  max_balance_exceeded: 'rule_violation',
  purse_insufficient_funds: 'rule_violation',
  account_frozen: 'rule_violation',
  payee_frozen: 'rule_violation',
  negative_balance: 'rule_violation',
  // two-phase transfers and reversals
  transfer_not_pending: 'rule_violation',
  reversal_unknown: 'rule_violation',
  reversal_not_posted: 'rule_violation',
  reversal_not_pending: 'rule_violation',
  reversal_mismatch: 'rule_violation',
  reversal_too_large: 'rule_violation',
  already_reversed: 'rule_violation',
  idempotency_conflict: 'conflict',
  // currency and limits
  decimals_locked: 'rule_violation',
  limit_below_balance: 'rule_violation',
  max_below_balance: 'rule_violation',
  purse_limit_fixed: 'rule_violation',
  // lookups
  ledger_not_found: 'not_found',
  account_not_found: 'not_found',
  transfer_not_found: 'not_found',
} as const;
export type LedgerErrorCode = CodeOf<typeof ledgerErrors>;

export const ledgerFail = failer(ledgerErrors);
