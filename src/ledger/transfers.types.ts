import type { Executor } from '../db/transaction.ts';
import type { Transfer, TransferCode } from './ledger.ts';

export type Payer =
  | { kind: 'member'; accountId: string }
  | { kind: 'purse' }
  // An allied commune's clearing account, paying out the other half of a payment across.
  | { kind: 'clearing'; partnerId: string };
/** Who resolves a pending transfer: a member through the API, or the system (a passed decision). */
export type Actor = { kind: 'member'; handle: string } | { kind: 'system' };

export type TransferRequest = {
  id: string;
  to: string;
  amount: number;
  memo: string;
  pending?: boolean;
  timeoutSeconds?: number | undefined;
  reverses?: string | undefined;
  code?: TransferCode;
  /** The payee is the clearing account of this allied commune (its id); `to` is its handle. */
  toClearing?: string;
};
export type Created = { transfers: Transfer[]; replayed: boolean };
export type CreateOptions = { by: string | null; tx?: Executor | undefined; batch?: boolean };
