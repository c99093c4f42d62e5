import type { Context } from 'hono';
import type { CommunesService } from '../communes/communes.service.ts';
import { communeParams } from '../communes/communes.schemas.ts';
import { communeAccess } from '../http/access.ts';
import { signedIn } from '../http/auth.ts';
import { declareRoute, jsonBody, jsonResponse, mount, openApiApp } from '../http/declare.ts';
import { respond, sendError } from '../http/errors.ts';
import type { Operation } from '../http/openapi.ts';
import { parseWith, readQuery } from '../http/validate.ts';
import { isUuid } from '../shared/ids.ts';
import { ok, type AppError, type Result } from '../shared/result.ts';
import { ledgerFail } from './ledger.errors.ts';
import {
  ledgerSchema,
  transferBatchOutSchema,
  transferOutSchema,
  transferPageSchema,
  transferParams,
} from './ledger.schemas.ts';
import {
  MAX_BATCH,
  batchSchema,
  codeForField,
  pageSchema,
  transferListSchema,
  transferSchema,
  type TransferInput,
} from './ledger.ts';
import type { LedgerService } from './ledger.service.ts';
import { batchSizeRefusal, inBatch } from './member-payment.ts';

/** A full batch (8,190 transfers with memos) does not fit in the default 1 MB; its route declares this. */
export const MAX_BATCH_BODY_BYTES = 8 * 1024 * 1024;

const C = '/api/v1/communes/{c}';
export const ledgerOperations: Operation[] = [
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

const tag = 'ledger';
const transferErrors = [
  'invalid_id',
  'invalid_amount',
  'invalid_payee',
  'invalid_memo',
  'invalid_timeout',
  'duplicate_id',
  'idempotency_conflict',
  'not_supported_yet',
  'purse_requires_decision',
  'not_your_account',
  'self_payment',
  'payer_not_member',
  'payee_not_member',
  'credit_limit_exceeded',
  'max_balance_exceeded',
  'account_frozen',
  'payee_frozen',
  'reversal_unknown',
  'reversal_not_posted',
  'reversal_not_pending',
  'reversal_mismatch',
  'reversal_too_large',
  'already_reversed',
  'ledger_not_found',
] as const;

export const getLedger = declareRoute({
  method: 'get',
  path: '/communes/{c}/ledger',
  operationId: 'getLedger',
  summary: 'Currency, every account and the sum of balances (0)',
  tag,
  access: { commune: 'visitor' },
  request: { params: communeParams },
  responses: { 200: jsonResponse(ledgerSchema, 'The ledger') },
});

export const createTransfer = declareRoute({
  method: 'post',
  path: '/communes/{c}/transfers',
  operationId: 'createTransfer',
  summary: 'Pay a member or the purse from your account (pending: true holds it for two-phase)',
  tag,
  access: { commune: 'member' },
  request: { params: communeParams, body: jsonBody(transferSchema) },
  responses: {
    201: jsonResponse(transferOutSchema, 'The transfer'),
    200: jsonResponse(transferOutSchema, 'The same id and body again: the original transfer'),
  },
  errors: transferErrors,
});

export const createTransferBatch = declareRoute({
  method: 'post',
  path: '/communes/{c}/transfers/batch',
  operationId: 'createTransferBatch',
  summary: `Up to ${MAX_BATCH} transfers, all or none (an error's field names the index)`,
  tag,
  access: { commune: 'member' },
  request: { params: communeParams, body: jsonBody(batchSchema) },
  responses: {
    201: jsonResponse(transferBatchOutSchema, 'The transfers'),
    200: jsonResponse(transferBatchOutSchema, 'The same batch again'),
  },
  errors: [...transferErrors, 'batch_empty', 'batch_too_large'],
  // A full batch (8,190 transfers with memos) does not fit in the default 1 MB.
  bodyLimit: MAX_BATCH_BODY_BYTES,
});

export const listTransfers = declareRoute({
  method: 'get',
  path: '/communes/{c}/transfers',
  operationId: 'listTransfers',
  summary: 'Transfers, newest first; ?account=<handle|purse> for one account',
  tag,
  access: { commune: 'visitor' },
  request: { params: communeParams, query: transferListSchema },
  responses: { 200: jsonResponse(transferPageSchema, 'A page of transfers') },
  errors: ['invalid_cursor', 'account_not_found'],
});

export const getTransfer = declareRoute({
  method: 'get',
  path: '/communes/{c}/transfers/{id}',
  operationId: 'getTransfer',
  summary: 'One transfer',
  tag,
  access: { commune: 'visitor' },
  request: { params: transferParams },
  responses: { 200: jsonResponse(transferOutSchema, 'The transfer') },
  errors: ['invalid_id', 'transfer_not_found'],
});

/** The ledger's routes; who may enter a commune is the one access rule (inCommune). */
export function ledgerRoutes(ledger: LedgerService, communes: Pick<CommunesService, 'permit'>) {
  const inCommune = communeAccess(communes);

  function transferId(c: Context): Result<string> {
    const id = c.req.param('id') ?? '';
    return isUuid(id)
      ? ok(id.toLowerCase())
      : ledgerFail('invalid_id', 'The transfer id must be a UUID', { field: 'id' });
  }

  async function settle(c: Context, action: 'post' | 'void') {
    const id = transferId(c);
    if (!id.ok) return sendError(c, id.error);
    return respond(
      c,
      await ledger.settle(c.get('commune').communeId, id.value, action, {
        kind: 'member',
        handle: signedIn(c).handle,
      }),
    );
  }

  const app = openApiApp();
  mount(app, getLedger, [inCommune('visitor')], async (c) =>
    respond(c, await ledger.ledger(c.get('commune').communeId)),
  );
  mount(
    app,
    createTransfer,
    [inCommune('member')],
    async (c) => {
      const r = await ledger.payAsMember(c.get('commune').communeId, signedIn(c), [
        c.req.valid('json'),
      ]);
      return r.ok
        ? c.json(r.value.transfers[0]!, r.value.replayed ? 200 : 201)
        : sendError(c, r.error);
    },
    { clarify },
  );
  mount(app, createTransferBatch, [inCommune('member')], async (c) => {
    const items = c.req.valid('json').transfers;
    const size = batchSizeRefusal(items.length);
    if (!size.ok) return sendError(c, size.error);
    // Items are parsed one by one, so an error names its index.
    const inputs: TransferInput[] = [];
    for (const [i, item] of items.entries()) {
      const parsed = parseWith(transferSchema, item);
      if (!parsed.ok) return sendError(c, inBatch(i, clarify(parsed.error)).error);
      inputs.push(parsed.value);
    }
    const r = await ledger.payAsMember(c.get('commune').communeId, signedIn(c), inputs, true);
    return r.ok
      ? c.json({ transfers: r.value.transfers }, r.value.replayed ? 200 : 201)
      : sendError(c, r.error);
  });
  mount(app, listTransfers, [inCommune('visitor')], async (c) =>
    respond(c, await ledger.transfers(c.get('commune').communeId, c.req.valid('query'))),
  );
  mount(app, getTransfer, [inCommune('visitor')], async (c) => {
    const id = transferId(c);
    return id.ok
      ? respond(c, await ledger.transfer(c.get('commune').communeId, id.value))
      : sendError(c, id.error);
  });

  // Not declared yet: documented by ledgerOperations.
  app.get('/communes/:c/ledger/audit', inCommune('visitor'), async (c) =>
    respond(c, await ledger.audit(c.get('commune').communeId)),
  );
  app.post('/communes/:c/transfers/:id/post', inCommune('signed_in'), (c) => settle(c, 'post'));
  app.post('/communes/:c/transfers/:id/void', inCommune('signed_in'), (c) => settle(c, 'void'));
  app.get('/communes/:c/accounts/:owner/statement', inCommune('visitor'), async (c) => {
    const q = readQuery(c, pageSchema);
    return q.ok
      ? respond(
          c,
          await ledger.statement(c.get('commune').communeId, c.req.param('owner'), q.value),
        )
      : sendError(c, q.error);
  });
  app.get('/communes/:c/accounts/:owner/statement.csv', inCommune('visitor'), async (c) => {
    const { communeId, handle } = c.get('commune');
    const owner = c.req.param('owner');
    const csv = await ledger.statementCsv(communeId, owner);
    if (!csv.ok) return sendError(c, csv.error);
    return c.body(csv.value, 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${handle}-${owner.replace(/[^a-z0-9_]/g, '')}-statement.csv"`,
    });
  });
  app.get('/communes/:c/credit-limit-changes', inCommune('visitor'), async (c) => {
    const q = readQuery(c, pageSchema);
    return q.ok
      ? respond(c, await ledger.limitChanges(c.get('commune').communeId, q.value))
      : sendError(c, q.error);
  });
  return app;
}
