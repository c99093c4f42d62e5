import { z } from 'zod';
import { TRANSFER_CODES } from './ledger.ts';

// What the ledger routes answer, as the OpenAPI document and the web app see it.

export const currencySchema = z
  .object({
    code: z.string(),
    name: z.string(),
    unit: z.string(),
    decimals: z.number().int(),
    defaultCreditLimit: z.number().int(),
    maxBalance: z.number().int().nullable(),
    demurrageBasisPoints: z.number().int(),
  })
  .meta({ id: 'Currency' });

export const ledgerAccountSchema = z
  .object({
    owner: z
      .string()
      .meta({ description: 'A member’s handle, "purse", or an allied commune’s handle' }),
    kind: z.enum(['member', 'purse', 'clearing']).meta({
      description: 'clearing: the trade balance with an allied commune (owner is its handle)',
    }),
    balance: z.number().int(),
    creditLimit: z.number().int(),
    held: z.number().int(),
    frozen: z.boolean(),
  })
  .meta({ id: 'LedgerAccount' });

export const ledgerSchema = z
  .object({
    currency: currencySchema,
    accounts: z.array(ledgerAccountSchema),
    sum: z.number().int().meta({ description: 'Always 0: mutual credit' }),
  })
  .meta({ id: 'Ledger' });

export const transferOutSchema = z
  .object({
    id: z.string(),
    from: z.string(),
    to: z.string(),
    amount: z.number().int(),
    memo: z.string(),
    createdAt: z.string(),
    status: z.enum(['posted', 'pending', 'voided', 'expired']),
    code: z.enum(TRANSFER_CODES),
    timeoutAt: z.string().nullable(),
    resolvedAt: z.string().nullable(),
    reverses: z.string().nullable(),
  })
  .meta({ id: 'Transfer' });

export const transferBatchOutSchema = z
  .object({ transfers: z.array(transferOutSchema) })
  .meta({ id: 'TransferBatch' });

export const transferPageSchema = z
  .object({ items: z.array(transferOutSchema), next: z.string().nullable() })
  .meta({ id: 'TransferPage' });

export const transferParams = z.object({
  c: z.string().meta({ description: 'The commune’s handle' }),
  id: z.string().meta({ description: 'The transfer’s id (a UUID)' }),
});

export const statementLineSchema = z
  .object({
    seq: z.number().int(),
    at: z.string(),
    transferId: z.string(),
    counterparty: z.string(),
    amount: z.number().int().meta({ description: 'Signed: negative is paid out' }),
    balance: z.number().int().meta({ description: 'The balance right after this posting' }),
    memo: z.string(),
    code: z.enum(TRANSFER_CODES),
  })
  .meta({ id: 'StatementLine' });

export const statementSchema = z
  .object({
    account: ledgerAccountSchema,
    items: z.array(statementLineSchema),
    next: z.string().nullable(),
  })
  .meta({ id: 'Statement' });

export const auditSchema = z
  .object({ accounts: z.number().int(), sum: z.number().int(), problems: z.array(z.string()) })
  .meta({ id: 'LedgerAudit' });

export const limitChangeSchema = z
  .object({
    id: z.string(),
    owner: z.string(),
    oldLimit: z.number().int(),
    newLimit: z.number().int(),
    changedBy: z.string().nullable(),
    via: z.enum(['steward', 'decision']),
    at: z.string(),
  })
  .meta({ id: 'LimitChange' });

export const limitChangePageSchema = z
  .object({ items: z.array(limitChangeSchema), next: z.string().nullable() })
  .meta({ id: 'LimitChangePage' });

export const accountParams = z.object({
  c: z.string().meta({ description: 'The commune’s handle' }),
  owner: z.string().meta({ description: 'A member’s handle, or "purse"' }),
});
