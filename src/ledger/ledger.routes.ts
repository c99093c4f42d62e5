import { Hono, type Context } from 'hono';
import type { CommuneAccess } from '../communes/communes.ts';
import { viewerOf } from '../http/auth.ts';
import { respond, sendError } from '../http/errors.ts';
import type { Operation } from '../http/openapi.ts';
import { parseWith, readJson, readQuery } from '../http/validate.ts';
import type { Viewer } from '../identity/identity.ts';
import { isUuid } from '../shared/ids.ts';
import { err, fail, ok, type AppError, type Result } from '../shared/result.ts';
import {
  MAX_BATCH,
  PURSE,
  batchSchema,
  codeForField,
  pageSchema,
  transferListSchema,
  transferSchema,
  type TransferInput,
} from './ledger.ts';
import type { LedgerService } from './ledger.service.ts';
import type { TransferRequest } from './transfers.service.ts';

/** The communes context's answer to "may this viewer see this commune?" (private: not_found). */
export type CommuneLookup = (
  handle: string,
  viewerId: string | null,
) => Promise<Result<CommuneAccess>>;

const C = '/api/v1/communes/{c}';
export const ledgerOperations: Operation[] = [
  {
    method: 'get',
    path: `${C}/ledger`,
    tag: 'ledger',
    summary: 'Currency, every account and the sum of balances (0)',
    responses: {
      200: '{ currency, accounts, sum }',
      404: 'Unknown commune, or private and not a member',
    },
  },
  {
    method: 'get',
    path: `${C}/ledger/audit`,
    tag: 'ledger',
    summary:
      'Check the books: sum 0, balances equal their postings, holds equal pending transfers, limits kept',
    responses: { 200: '{ accounts, sum, problems: [] }' },
  },
  {
    method: 'post',
    path: `${C}/transfers`,
    tag: 'ledger',
    summary: 'Pay a member or the purse from your account (pending: true holds it for two-phase)',
    body: transferSchema,
    auth: true,
    responses: {
      201: 'The transfer',
      200: 'The same id and body again: the original transfer',
      400: 'Invalid input',
      409: 'idempotency_conflict',
      422: 'credit_limit_exceeded, payee_not_member, payee_frozen, self_payment, not_supported_yet, …',
    },
  },
  {
    method: 'post',
    path: `${C}/transfers/batch`,
    tag: 'ledger',
    summary: `Up to ${MAX_BATCH} transfers, all or none`,
    body: batchSchema,
    auth: true,
    responses: {
      201: '{ transfers }',
      200: 'The same batch again',
      400: 'batch_too_large or invalid input (field names the index)',
      409: 'idempotency_conflict',
      422: 'A rule refused transfer i (field names the index)',
    },
  },
  {
    method: 'get',
    path: `${C}/transfers`,
    tag: 'ledger',
    summary: 'Transfers, newest first; ?account=<handle|purse> for one account',
    query: transferListSchema,
    responses: { 200: '{ items, next }' },
  },
  {
    method: 'get',
    path: `${C}/transfers/{id}`,
    tag: 'ledger',
    summary: 'One transfer',
    responses: { 200: 'The transfer', 404: 'transfer_not_found' },
  },
  {
    method: 'post',
    path: `${C}/transfers/{id}/post`,
    tag: 'ledger',
    summary: 'Post a pending transfer (its payer)',
    auth: true,
    responses: {
      200: 'The posted transfer',
      422: 'transfer_not_pending, purse_requires_decision, …',
    },
  },
  {
    method: 'post',
    path: `${C}/transfers/{id}/void`,
    tag: 'ledger',
    summary: 'Void a pending transfer (its payer or payee)',
    auth: true,
    responses: { 200: 'The voided transfer', 422: 'transfer_not_pending, …' },
  },
  {
    method: 'get',
    path: `${C}/accounts/{owner}/statement`,
    tag: 'ledger',
    summary: 'Postings on one account with the running balance, newest first',
    query: pageSchema,
    responses: { 200: '{ account, items, next }' },
  },
  {
    method: 'get',
    path: `${C}/accounts/{owner}/statement.csv`,
    tag: 'ledger',
    summary: 'The whole statement as CSV, oldest first',
    responses: { 200: 'text/csv' },
  },
  {
    method: 'get',
    path: `${C}/credit-limit-changes`,
    tag: 'ledger',
    summary: 'Every change of a credit limit: who, when, old, new',
    query: pageSchema,
    responses: { 200: '{ items, next }' },
  },
];

/** Names the field in the error code where a client most often goes wrong (invalid_amount, invalid_id…). */
const clarify = (e: AppError): AppError =>
  e.code === 'invalid_input' ? { ...e, code: codeForField(e.field) } : e;
const rule = (code: string, message: string, field?: string) =>
  fail('rule_violation', code, message, field);

/** What the contract refuses before the ledger is asked: other communes, other payers, yourself. */
function refusal(t: TransferInput, payer: string): Result<TransferRequest> {
  if (t.toCommune !== undefined)
    return rule(
      'not_supported_yet',
      'Paying into another commune needs an alliance; clearing comes later',
      'toCommune',
    );
  if (t.from === PURSE)
    return rule(
      'purse_requires_decision',
      'The purse pays out only through a passed spend proposal',
      'from',
    );
  if (t.from !== undefined && t.from !== payer)
    return rule('not_your_account', 'A member pays from their own account only', 'from');
  if (t.to === payer) return rule('self_payment', 'You cannot pay yourself', 'to');
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

export function ledgerRoutes(ledger: LedgerService, lookup: CommuneLookup) {
  const visit = (c: Context) => lookup(c.req.param('c') ?? '', viewerOf(c)?.id ?? null);

  /** 404 for hidden communes comes first, then 401, then membership. */
  async function enter(
    c: Context,
    need: 'member' | 'signed_in',
  ): Promise<Result<{ access: CommuneAccess; viewer: Viewer }>> {
    const a = await visit(c);
    if (!a.ok) return a;
    const viewer = viewerOf(c);
    if (!viewer) return fail('unauthenticated', 'not_signed_in', 'Sign in first');
    if (need === 'member' && a.value.role === null)
      return rule('payer_not_member', 'Only members of this commune can pay from an account here');
    return ok({ access: a.value, viewer });
  }

  function transferId(c: Context): Result<string> {
    const id = c.req.param('id') ?? '';
    return isUuid(id)
      ? ok(id.toLowerCase())
      : fail('invalid_input', 'invalid_id', 'The transfer id must be a UUID', 'id');
  }

  async function settle(c: Context, action: 'post' | 'void') {
    const e = await enter(c, 'signed_in');
    if (!e.ok) return sendError(c, e.error);
    const id = transferId(c);
    if (!id.ok) return sendError(c, id.error);
    return respond(
      c,
      await ledger.settle(e.value.access.communeId, id.value, action, {
        kind: 'member',
        handle: e.value.viewer.handle,
      }),
    );
  }

  return new Hono()
    .get('/communes/:c/ledger', async (c) => {
      const a = await visit(c);
      return a.ok ? respond(c, await ledger.ledger(a.value.communeId)) : sendError(c, a.error);
    })
    .get('/communes/:c/ledger/audit', async (c) => {
      const a = await visit(c);
      return a.ok ? respond(c, await ledger.audit(a.value.communeId)) : sendError(c, a.error);
    })
    .post('/communes/:c/transfers/batch', async (c) => {
      const e = await enter(c, 'member');
      if (!e.ok) return sendError(c, e.error);
      const body = await readJson(c, batchSchema);
      if (!body.ok) return sendError(c, body.error);
      const items = body.value.transfers;
      if (items.length === 0)
        return sendError(c, {
          type: 'invalid_input',
          code: 'batch_empty',
          message: 'A batch needs at least one transfer',
          field: 'transfers',
        });
      if (items.length > MAX_BATCH) {
        return sendError(c, {
          type: 'invalid_input',
          code: 'batch_too_large',
          message: `A batch holds at most ${MAX_BATCH} transfers; this one has ${items.length}`,
          field: 'transfers',
        });
      }
      const requests: TransferRequest[] = [];
      for (let i = 0; i < items.length; i += 1) {
        const parsed = parseWith(transferSchema, items[i]);
        const r = parsed.ok ? refusal(parsed.value, e.value.viewer.handle) : parsed;
        if (!r.ok) {
          const field = r.error.field ? `transfers.${i}.${r.error.field}` : `transfers.${i}`;
          return sendError(c, {
            ...clarify(r.error),
            message: `transfer ${i}: ${r.error.message}`,
            field,
          });
        }
        requests.push(r.value);
      }
      const r = await ledger.pay(e.value.access.communeId, e.value.viewer.id, requests, true);
      return r.ok
        ? c.json({ transfers: r.value.transfers }, r.value.replayed ? 200 : 201)
        : sendError(c, r.error);
    })
    .post('/communes/:c/transfers', async (c) => {
      const e = await enter(c, 'member');
      if (!e.ok) return sendError(c, e.error);
      const body = await readJson(c, transferSchema);
      const request = body.ok
        ? refusal(body.value, e.value.viewer.handle)
        : err(clarify(body.error));
      if (!request.ok) return sendError(c, request.error);
      const r = await ledger.pay(e.value.access.communeId, e.value.viewer.id, [request.value]);
      return r.ok
        ? c.json(r.value.transfers[0]!, r.value.replayed ? 200 : 201)
        : sendError(c, r.error);
    })
    .get('/communes/:c/transfers', async (c) => {
      const a = await visit(c);
      if (!a.ok) return sendError(c, a.error);
      const q = readQuery(c, transferListSchema);
      return q.ok
        ? respond(c, await ledger.transfers(a.value.communeId, q.value))
        : sendError(c, q.error);
    })
    .get('/communes/:c/transfers/:id', async (c) => {
      const a = await visit(c);
      if (!a.ok) return sendError(c, a.error);
      const id = transferId(c);
      return id.ok
        ? respond(c, await ledger.transfer(a.value.communeId, id.value))
        : sendError(c, id.error);
    })
    .post('/communes/:c/transfers/:id/post', (c) => settle(c, 'post'))
    .post('/communes/:c/transfers/:id/void', (c) => settle(c, 'void'))
    .get('/communes/:c/accounts/:owner/statement', async (c) => {
      const a = await visit(c);
      if (!a.ok) return sendError(c, a.error);
      const q = readQuery(c, pageSchema);
      return q.ok
        ? respond(c, await ledger.statement(a.value.communeId, c.req.param('owner'), q.value))
        : sendError(c, q.error);
    })
    .get('/communes/:c/accounts/:owner/statement.csv', async (c) => {
      const a = await visit(c);
      if (!a.ok) return sendError(c, a.error);
      const owner = c.req.param('owner');
      const csv = await ledger.statementCsv(a.value.communeId, owner);
      if (!csv.ok) return sendError(c, csv.error);
      return c.body(csv.value, 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${a.value.handle}-${owner.replace(/[^a-z0-9_]/g, '')}-statement.csv"`,
      });
    })
    .get('/communes/:c/credit-limit-changes', async (c) => {
      const a = await visit(c);
      if (!a.ok) return sendError(c, a.error);
      const q = readQuery(c, pageSchema);
      return q.ok
        ? respond(c, await ledger.limitChanges(a.value.communeId, q.value))
        : sendError(c, q.error);
    });
}
