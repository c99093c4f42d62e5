import { createHash } from 'node:crypto';
import { z } from 'zod';
import { handleSchema } from '../identity/identity.ts';
import { UUID_PATTERN } from '../shared/ids.ts';

// The ledger's words and input rules; no I/O here. Amounts are integers in the currency's
// smallest unit. See docs/adr/0007-ledger-model.md for the model.

export const PURSE = 'purse';
export const MAX_BATCH = 8190;
/** Limits are capped so that no sum of balances in a commune can leave the safe-integer range. */
export const MAX_CREDIT_LIMIT = 1_000_000_000_000;
export const MAX_BALANCE_CAP = 1_000_000_000_000_000;
export const MAX_MEMO = 500;
export const DEFAULT_TIMEOUT_SECONDS = 86_400;
export const MAX_TIMEOUT_SECONDS = 30 * 86_400;
export const MAX_DEMURRAGE_BASIS_POINTS = 1000;

export type TransferStatus = 'posted' | 'pending' | 'voided' | 'expired';
export const TRANSFER_CODES = [
  'payment',
  'purse_spend',
  'demurrage',
  'reversal',
  'thanks',
  'clearing',
] as const;
export type TransferCode = (typeof TRANSFER_CODES)[number];

export type Currency = {
  code: string;
  name: string;
  unit: string;
  decimals: number;
  defaultCreditLimit: number;
  maxBalance: number | null;
  /** Monthly demurrage in basis points (100 = 1 %); 0 is off. */
  demurrageBasisPoints: number;
};

/** A new commune's currency: 20 hours of credit is enough for several ordinary exchanges. */
export const DEFAULT_CURRENCY: Currency = {
  code: 'HOUR',
  name: 'Time credit',
  unit: 'hour',
  decimals: 0,
  defaultCreditLimit: 20,
  maxBalance: null,
  demurrageBasisPoints: 0,
};

export type LedgerAccount = {
  owner: string;
  kind: 'member' | 'purse' | 'clearing';
  balance: number;
  creditLimit: number;
  held: number;
  frozen: boolean;
};
export type Ledger = { currency: Currency; accounts: LedgerAccount[]; sum: number };

export type Transfer = {
  id: string;
  from: string;
  to: string;
  amount: number;
  memo: string;
  createdAt: string;
  status: TransferStatus;
  code: TransferCode;
  timeoutAt: string | null;
  resolvedAt: string | null;
  reverses: string | null;
};

/** One posting on an account: amount is signed, balance is the balance right after it. */
export type StatementLine = {
  seq: number;
  at: string;
  transferId: string;
  counterparty: string;
  amount: number;
  balance: number;
  memo: string;
  code: TransferCode;
};

export type LimitChange = {
  id: string;
  owner: string;
  oldLimit: number;
  newLimit: number;
  changedBy: string | null;
  via: 'steward' | 'decision';
  at: string;
};

const uuid = z
  .string('must be a UUID string')
  .regex(UUID_PATTERN, 'must be a UUID such as 0190c9e2-7f3a-7c44-9a1e-2b8f5d6e4a10')
  .transform((s) => s.toLowerCase());

export const amountSchema = z
  .number('must be a number (an integer in the smallest unit)')
  .int('must be a whole number of the smallest unit')
  .positive('must be more than zero')
  .max(Number.MAX_SAFE_INTEGER, 'must be a safe integer');

export const transferSchema = z
  .object({
    id: uuid,
    to: handleSchema,
    amount: amountSchema,
    memo: z.string().max(MAX_MEMO, `must be at most ${MAX_MEMO} characters`).default(''),
    toCommune: handleSchema.optional(),
    from: handleSchema.optional(),
    pending: z.boolean().optional(),
    timeoutSeconds: z
      .number()
      .int()
      .min(1)
      .max(MAX_TIMEOUT_SECONDS, `must be at most ${MAX_TIMEOUT_SECONDS} (30 days)`)
      .optional(),
    reverses: uuid.optional(),
  })
  .refine((t) => t.timeoutSeconds === undefined || t.pending === true, {
    message: 'timeoutSeconds needs pending: true',
    path: ['timeoutSeconds'],
  });
export type TransferInput = z.infer<typeof transferSchema>;

/** The batch's shape only; items are parsed one by one so errors name their index. */
export const batchSchema = z.object({
  transfers: z.array(z.unknown(), 'must be an array of transfers'),
});

export const currencyUpdateSchema = z
  .strictObject({
    code: z
      .string()
      .regex(
        /^[A-Z][A-Z0-9]{1,7}$/,
        'must be 2–8 capital letters or digits, starting with a letter',
      ),
    name: z.string().trim().min(1).max(60),
    unit: z.string().trim().min(1).max(30),
    decimals: z.number().int().min(0).max(6),
    defaultCreditLimit: z.number().int().min(0).max(MAX_CREDIT_LIMIT),
    maxBalance: z.number().int().min(1).max(MAX_BALANCE_CAP).nullable(),
    demurrageBasisPoints: z
      .number()
      .int()
      .min(0)
      .max(MAX_DEMURRAGE_BASIS_POINTS, 'must be at most 1000 (10 % a month)'),
  })
  .partial()
  .refine(
    (u) => Object.values(u).some((v) => v !== undefined),
    'name at least one field to change',
  );
export type CurrencyUpdate = z.infer<typeof currencyUpdateSchema>;

export const pageSchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.string().max(200).optional(),
});
export const transferListSchema = pageSchema.extend({ account: handleSchema.optional() });

/** Clearer codes for the fields clients most often get wrong. */
const FIELD_CODES: Record<string, string> = {
  id: 'invalid_id',
  amount: 'invalid_amount',
  to: 'invalid_payee',
  memo: 'invalid_memo',
  timeoutSeconds: 'invalid_timeout',
  reverses: 'invalid_id',
};
export const codeForField = (field: string | undefined): string =>
  FIELD_CODES[field?.split('.').pop() ?? ''] ?? 'invalid_input';

/**
 * What a transfer request means, for idempotency: same id and same meaning returns the
 * original; anything else under that id is a conflict. The payer is part of the meaning.
 */
export function requestHash(
  communeId: string,
  payerKey: string,
  t: {
    to: string;
    amount: number;
    memo: string;
    pending?: boolean;
    timeoutSeconds?: number | undefined;
    reverses?: string | undefined;
    code?: TransferCode;
  },
): string {
  const timeout = t.pending ? (t.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) : null;
  const canonical = JSON.stringify([
    communeId,
    payerKey,
    t.to,
    t.amount,
    t.memo,
    t.pending === true,
    timeout,
    t.reverses ?? null,
    t.code ?? 'payment',
  ]);
  return createHash('sha256').update(canonical).digest('base64url');
}

/** A stable UUID (version 8) derived from its parts, for system transfers that must happen once. */
export function derivedId(...parts: string[]): string {
  const b = createHash('sha256').update(parts.join('\u0000')).digest().subarray(0, 16);
  b[6] = 0x80 | (b[6]! & 0x0f);
  b[8] = 0x80 | (b[8]! & 0x3f);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** "YYYY-MM" of a date, the period demurrage is charged for. */
export const monthOf = (d: Date): string => d.toISOString().slice(0, 7);
