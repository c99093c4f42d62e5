// Answers' shapes come from the OpenAPI document (schema.gen.ts).
import { api, query, seg, type ApiResult } from './client.ts';
import type { Proposal } from './decisions.ts';
import type { Page, Schema } from './types.ts';

export type LimitChange = Schema<'LimitChange'>;
export type LedgerAccount = Schema<'LedgerAccount'>;
export type TransferStatus = Schema<'Transfer'>['status'];

/** Shapes of the ledger API. Amounts are integers in the smallest unit. */

export const PURSE = 'purse';

export type Currency = Schema<'Currency'>;
export type Ledger = Schema<'Ledger'>;
export type Transfer = Schema<'Transfer'>;

/** One posting: amount is signed (negative: paid out), balance is the balance right after it. */
export type StatementLine = Schema<'StatementLine'>;
export type Statement = Page<StatementLine> & { account: LedgerAccount };
/** A set_credit_limit proposal: member "default" changes the default; limit null puts a member back on it. */
export type CreditLimitProposal = {
  title: string;
  body: string;
  member: string;
  limit: number | null;
};

export type TransferRequest = { id: string; to: string; amount: number; memo: string };
/** A payment to a member of an allied commune, through clearing. */
export type AcrossRequest = TransferRequest & { toCommune: string };

const base = (commune: string) => `/communes/${seg(commune)}`;

export const ledgerPaths = {
  ledger: (commune: string) => `${base(commune)}/ledger`,
  transfers: (commune: string, o: { account?: string; limit?: number } = {}) =>
    `${base(commune)}/transfers${query({ account: o.account, limit: o.limit ? String(o.limit) : null })}`,
  statement: (commune: string, owner: string, limit?: number) =>
    `${base(commune)}/accounts/${seg(owner)}/statement${query({ limit: limit ? String(limit) : null })}`,
  /** A plain link: the browser downloads it with the session cookie. */
  statementCsv: (commune: string, owner: string) =>
    `/api/v1${base(commune)}/accounts/${seg(owner)}/statement.csv`,
  limitChanges: (commune: string) => `${base(commune)}/credit-limit-changes`,
};

export const ledgerApi = {
  pay: (commune: string, t: TransferRequest): Promise<ApiResult<Transfer>> =>
    api.post<Transfer>(`${base(commune)}/transfers`, t),
  payAcross: (commune: string, t: AcrossRequest): Promise<ApiResult<Transfer>> =>
    api.post<Transfer>(`${base(commune)}/transfers`, t),
  /**
   * Limits change by decision: this opens a set_credit_limit proposal. Method, threshold,
   * quorum and closing time are left out, so the commune's governance sets them.
   */
  proposeCreditLimit: (commune: string, p: CreditLimitProposal): Promise<ApiResult<Proposal>> =>
    api.post<Proposal>(`${base(commune)}/proposals`, {
      title: p.title,
      body: p.body,
      action: { type: 'set_credit_limit', params: { member: p.member, limit: p.limit } },
    }),
};

/**
 * Follows a newest-first list's cursor until `cap` items, the end, or an item `past` says is
 * too old. Charts are drawn from this, so they show what the lists show.
 */
export async function loadPages<T>(
  path: string,
  o: { cap: number; past?: (item: T) => boolean; signal?: AbortSignal },
): Promise<ApiResult<{ items: T[]; complete: boolean }>> {
  const items: T[] = [];
  let before: string | null = null;
  const join = path.includes('?') ? '&' : '?';
  for (;;) {
    const limit = Math.min(200, o.cap - items.length);
    const r: ApiResult<Page<T>> = await api.get<Page<T>>(
      `${path}${join}limit=${limit}${before ? `&before=${encodeURIComponent(before)}` : ''}`,
      o.signal,
    );
    if (!r.ok) return r;
    for (const item of r.value.items) {
      if (o.past?.(item)) return { ok: true, value: { items, complete: true } };
      items.push(item);
    }
    before = r.value.next;
    if (!before) return { ok: true, value: { items, complete: true } };
    if (items.length >= o.cap) return { ok: true, value: { items, complete: false } };
  }
}
