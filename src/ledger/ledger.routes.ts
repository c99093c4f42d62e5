import type { Context } from 'hono';
import type { CommunesService } from '../communes/communes.service.ts';
import { communeParams } from '../communes/communes.schemas.ts';
import { communeAccess } from '../http/access.ts';
import { signedIn } from '../http/auth.ts';
import { declareRoute, jsonBody, jsonResponse, mount, openApiApp } from '../http/declare.ts';
import { respond, sendError } from '../http/errors.ts';
import { parseWith } from '../http/validate.ts';
import { isUuid } from '../shared/ids.ts';
import { ok, type AppError, type Result } from '../shared/result.ts';
import { ledgerFail } from './ledger.errors.ts';
import { z } from 'zod';
import {
  accountParams,
  auditSchema,
  ledgerSchema,
  limitChangePageSchema,
  statementSchema,
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
  'no_alliance',
  'trade_limit_exceeded',
  'amount_too_small',
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
  access: { commune: 'books' },
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
  access: { commune: 'books' },
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
  access: { commune: 'books' },
  request: { params: transferParams },
  responses: { 200: jsonResponse(transferOutSchema, 'The transfer') },
  errors: ['invalid_id', 'transfer_not_found'],
});

export const auditLedger = declareRoute({
  method: 'get',
  path: '/communes/{c}/ledger/audit',
  operationId: 'auditLedger',
  summary:
    'Check the books: sum 0, balances equal their postings, holds equal pending transfers, limits kept',
  tag,
  access: { commune: 'books' },
  request: { params: communeParams },
  responses: {
    200: jsonResponse(auditSchema, 'What the audit found (problems is empty when right)'),
  },
});

const settleErrors = [
  'invalid_id',
  'transfer_not_found',
  'not_your_transfer',
  'purse_requires_decision',
  'transfer_not_pending',
  'credit_limit_exceeded',
  'max_balance_exceeded',
  'account_frozen',
  'payee_frozen',
] as const;

export const postTransfer = declareRoute({
  method: 'post',
  path: '/communes/{c}/transfers/{id}/post',
  operationId: 'postTransfer',
  summary: 'Post a pending transfer (its payer)',
  tag,
  access: { commune: 'signed_in' },
  request: { params: transferParams },
  responses: { 200: jsonResponse(transferOutSchema, 'The posted transfer') },
  errors: settleErrors,
});

export const voidTransfer = declareRoute({
  method: 'post',
  path: '/communes/{c}/transfers/{id}/void',
  operationId: 'voidTransfer',
  summary: 'Void a pending transfer (its payer or payee)',
  tag,
  access: { commune: 'signed_in' },
  request: { params: transferParams },
  responses: { 200: jsonResponse(transferOutSchema, 'The voided transfer') },
  errors: settleErrors,
});

export const accountStatement = declareRoute({
  method: 'get',
  path: '/communes/{c}/accounts/{owner}/statement',
  operationId: 'accountStatement',
  summary: 'Postings on one account with the running balance, newest first',
  tag,
  access: { commune: 'books' },
  request: { params: accountParams, query: pageSchema },
  responses: { 200: jsonResponse(statementSchema, 'A page of the statement') },
  errors: ['invalid_cursor', 'account_not_found'],
});

export const accountStatementCsv = declareRoute({
  method: 'get',
  path: '/communes/{c}/accounts/{owner}/statement.csv',
  operationId: 'accountStatementCsv',
  summary: 'The whole statement as CSV, oldest first',
  tag,
  access: { commune: 'books' },
  request: { params: accountParams },
  responses: {
    200: {
      description: 'CSV, one posting a line',
      content: { 'text/csv': { schema: z.string() } },
    },
  },
  errors: ['account_not_found'],
});

export const limitChanges = declareRoute({
  method: 'get',
  path: '/communes/{c}/credit-limit-changes',
  operationId: 'listCreditLimitChanges',
  summary: 'Every change of a credit limit: who, when, old, new',
  tag,
  access: { commune: 'books' },
  request: { params: communeParams, query: pageSchema },
  responses: { 200: jsonResponse(limitChangePageSchema, 'A page of changes, newest first') },
  errors: ['invalid_cursor'],
});

/**
 * The ledger's routes; who may enter a commune is the one access rule (inCommune). Reading
 * the books is 'books': members, and anyone who may see the commune once it opened them.
 */
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
  mount(app, getLedger, [inCommune('books')], async (c) =>
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
  mount(app, listTransfers, [inCommune('books')], async (c) =>
    respond(c, await ledger.transfers(c.get('commune').communeId, c.req.valid('query'))),
  );
  mount(app, getTransfer, [inCommune('books')], async (c) => {
    const id = transferId(c);
    return id.ok
      ? respond(c, await ledger.transfer(c.get('commune').communeId, id.value))
      : sendError(c, id.error);
  });

  mount(app, auditLedger, [inCommune('books')], async (c) =>
    respond(c, await ledger.audit(c.get('commune').communeId)),
  );
  mount(app, postTransfer, [inCommune('signed_in')], (c) => settle(c, 'post'));
  mount(app, voidTransfer, [inCommune('signed_in')], (c) => settle(c, 'void'));
  mount(app, accountStatement, [inCommune('books')], async (c) =>
    respond(
      c,
      await ledger.statement(
        c.get('commune').communeId,
        c.req.valid('param').owner,
        c.req.valid('query'),
      ),
    ),
  );
  mount(app, accountStatementCsv, [inCommune('books')], async (c) => {
    const { communeId, handle } = c.get('commune');
    const owner = c.req.valid('param').owner;
    const csv = await ledger.statementCsv(communeId, owner);
    if (!csv.ok) return sendError(c, csv.error);
    return c.body(csv.value, 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${handle}-${owner.replace(/[^a-z0-9_]/g, '')}-statement.csv"`,
    });
  });
  mount(app, limitChanges, [inCommune('books')], async (c) =>
    respond(c, await ledger.limitChanges(c.get('commune').communeId, c.req.valid('query'))),
  );
  return app;
}
