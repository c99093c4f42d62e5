import { requireViewer, signedIn, viewerOf } from '../http/auth.ts';
import { declareRoute, jsonBody, jsonResponse, mount, openApiApp } from '../http/declare.ts';
import { respond, sendError } from '../http/errors.ts';
import { codeForField } from '../ledger/ledger.ts';
import { transferOutSchema } from '../ledger/ledger.schemas.ts';
import type { AppError } from '../shared/result.ts';
import {
  conversationListSchema,
  conversationSchema,
  matchListSchema,
  thanksCountSchema,
  thanksInputSchema,
} from './exchange.schemas.ts';
import type { ExchangeService } from './exchange.service.ts';
import { itemParams } from './inventory.schemas.ts';
import { SEEN_ERRORS } from './items.routes.ts';

const tag = 'inventory';

/** invalid_input on id, amount or memo becomes invalid_id, invalid_amount, invalid_memo. */
const clarify = (e: AppError): AppError =>
  e.code === 'invalid_input' ? { ...e, code: codeForField(e.field) } : e;

export const thankAuthor = declareRoute({
  method: 'post',
  path: '/items/{id}/thanks',
  operationId: 'thankItemAuthor',
  summary:
    'Thank the item’s author: a transfer with code thanks in the commune’s currency, or from an allied commune through clearing',
  tag,
  access: 'signed_in',
  request: { params: itemParams, body: jsonBody(thanksInputSchema) },
  responses: {
    201: jsonResponse(transferOutSchema, 'The thanks transfer'),
    200: jsonResponse(transferOutSchema, 'The same id and body again: the original transfer'),
  },
  errors: [
    ...SEEN_ERRORS,
    'invalid_id',
    'invalid_amount',
    'invalid_memo',
    'item_deleted',
    'thanks_to_self',
    'not_allied',
    'from_commune_required',
    'idempotency_conflict',
    // thanks from an ally, through clearing (docs/adr/0027-clearing-proven.md)
    'no_alliance',
    'trade_limit_exceeded',
    'amount_too_small',
    'credit_limit_exceeded',
    'max_balance_exceeded',
    'account_frozen',
    'payee_frozen',
    'payee_not_member',
  ],
});

export const thanksCount = declareRoute({
  method: 'get',
  path: '/items/{id}/thanks',
  operationId: 'itemThanksCount',
  summary: 'How many thanked the item: for its author only',
  tag,
  access: 'signed_in',
  request: { params: itemParams },
  responses: { 200: jsonResponse(thanksCountSchema, 'The count') },
  errors: [...SEEN_ERRORS, 'author_only'],
});

export const itemMatches = declareRoute({
  method: 'get',
  path: '/items/{id}/matches',
  operationId: 'itemMatches',
  summary: 'For a need: offers and skills of its commune that may meet it, best first',
  tag,
  access: 'public',
  request: { params: itemParams },
  responses: { 200: jsonResponse(matchListSchema, 'The matches') },
  errors: [...SEEN_ERRORS, 'not_a_need', 'item_deleted'],
});

export const openConversation = declareRoute({
  method: 'post',
  path: '/items/{id}/conversations',
  operationId: 'openItemConversation',
  summary: '“I can help” on a need, “I’d like this” on an offer: a thread with its author',
  tag,
  access: 'signed_in',
  request: { params: itemParams },
  responses: {
    201: jsonResponse(conversationSchema, 'The conversation, opened'),
    200: jsonResponse(conversationSchema, 'The caller’s conversation, opened earlier'),
  },
  errors: [...SEEN_ERRORS, 'item_deleted', 'not_offer_or_need', 'own_item'],
});

export const listConversations = declareRoute({
  method: 'get',
  path: '/items/{id}/conversations',
  operationId: 'listItemConversations',
  summary: 'The item’s conversations: all for its author, else the caller’s own',
  tag,
  access: 'signed_in',
  request: { params: itemParams },
  responses: { 200: jsonResponse(conversationListSchema, 'The conversations') },
  errors: SEEN_ERRORS,
});

/** Thanks, matches and conversations: what members make for each other, answered. */
export function exchangeRoutes(exchange: ExchangeService) {
  const app = openApiApp();
  mount(
    app,
    thankAuthor,
    [requireViewer],
    async (c) => {
      const r = await exchange.thank(c.req.valid('param').id, signedIn(c), c.req.valid('json'));
      return r.ok ? c.json(r.value.transfer, r.value.replayed ? 200 : 201) : sendError(c, r.error);
    },
    { clarify },
  );
  mount(app, thanksCount, [requireViewer], async (c) =>
    respond(c, await exchange.thanksCount(c.req.valid('param').id, signedIn(c).id)),
  );
  mount(app, itemMatches, [], async (c) =>
    respond(c, await exchange.matches(c.req.valid('param').id, viewerOf(c)?.id ?? null)),
  );
  mount(app, openConversation, [requireViewer], async (c) => {
    const r = await exchange.converse(c.req.valid('param').id, signedIn(c));
    return r.ok ? c.json(r.value.conversation, r.value.created ? 201 : 200) : sendError(c, r.error);
  });
  mount(app, listConversations, [requireViewer], async (c) =>
    respond(c, await exchange.conversations(c.req.valid('param').id, signedIn(c).id)),
  );
  return app;
}
