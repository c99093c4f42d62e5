// What a proposal may carry out when it passes: one action, its parameters checked here
// (shape) and by actions.service.ts (against the commune, when proposed and again when run).
import { z } from '@hono/zod-openapi';
import { amendmentSchema } from '../../communes/communes.ts';
import { handleSchema } from '../../identity/identity.ts';
import {
  MAX_CREDIT_LIMIT,
  MAX_MEMO,
  amountSchema,
  currencyUpdateSchema,
} from '../../ledger/ledger.ts';
import { UUID_PATTERN } from '../../shared/ids.ts';
import { storableText } from '../../shared/text.ts';
import { governanceChangeSchema, type ActionType } from '../governance.ts';

const uuid = z
  .string()
  .regex(UUID_PATTERN, 'must be a UUID')
  .transform((s) => s.toLowerCase());
const limit = z.number().int().min(0).max(MAX_CREDIT_LIMIT);

/** What JSON cannot write as a number, written as a string, read as the number it names. */
const NON_FINITE: Readonly<Record<string, number>> = {
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  '+Infinity': Number.POSITIVE_INFINITY,
  '-Infinity': Number.NEGATIVE_INFINITY,
};

/**
 * An alliance term as sent: any number, even one past the double range (1e999 parses as
 * Infinity) or "NaN"/"Infinity" as a string. Its range is an alliance rule (termsProblem in
 * network/alliances.ts), so every term out of range gets the same 422 and code as 0 does.
 */
const term = (openapi: { type: 'number' | 'integer'; maximum?: number }) =>
  z
    .preprocess(
      (v) => (typeof v === 'string' && Object.hasOwn(NON_FINITE, v) ? NON_FINITE[v] : v),
      z.custom<number>((v) => typeof v === 'number', 'Invalid input: expected number'),
    )
    .openapi(openapi);

/**
 * API.md writes actions flat (`spend { to, amount, memo }`): `{ type, to, amount, memo }`
 * becomes `{ type, params: { to, amount, memo } }` before validation. With a `params` key
 * the body is taken as given (a mix of both is refused as unknown keys).
 */
export function normaliseAction(input: unknown): unknown {
  if (
    input === null ||
    typeof input !== 'object' ||
    Array.isArray(input) ||
    Object.hasOwn(input, 'params')
  )
    return input;
  const { type, ...params } = input as Record<string, unknown>;
  return { type, params };
}

/** A proposal's `action` in a request: `{ type, params }`, or flat (see normaliseAction). */
export const actionSchema = z.preprocess(
  normaliseAction,
  z.discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('admit_member'),
      params: z.strictObject({ application: uuid }),
    }),
    z.strictObject({
      type: z.literal('remove_member'),
      params: z.strictObject({ member: handleSchema }),
    }),
    z.strictObject({
      type: z.literal('spend'),
      params: z.strictObject({
        to: handleSchema,
        amount: amountSchema,
        memo: storableText().trim().max(MAX_MEMO).default(''),
      }),
    }),
    z.strictObject({
      type: z.literal('set_credit_limit'),
      // member "default" sets the commune's default limit; limit null puts a member back on it.
      params: z.strictObject({ member: handleSchema, limit: limit.nullable() }),
    }),
    z.strictObject({ type: z.literal('set_currency'), params: currencyUpdateSchema }),
    z.strictObject({ type: z.literal('amend_charter'), params: amendmentSchema }),
    z.strictObject({
      type: z.literal('form_alliance'),
      params: z.strictObject({
        commune: handleSchema,
        // Their ranges are alliance rules (network/alliances.ts): a 422 with its own code.
        tradeLimit: term({ type: 'integer', maximum: MAX_CREDIT_LIMIT }),
        rate: term({ type: 'number' }),
      }),
    }),
    z.strictObject({
      type: z.literal('end_alliance'),
      params: z.strictObject({ commune: handleSchema }),
    }),
    z.strictObject({ type: z.literal('change_governance'), params: governanceChangeSchema }),
  ]),
);
export type ActionInput = z.infer<typeof actionSchema>;

/** The action as stored and shown: params as checked, plus what was resolved when proposed. */
export type StoredAction = { type: ActionType; params: Record<string, unknown> };

/** What running an action left behind: its own summary, or why it could not run. */
export type ActionResult = Record<string, unknown> | { error: { code: string; message: string } };

export type ActionView = {
  type: ActionType;
  params: Record<string, unknown>;
  executed: boolean;
  result: ActionResult | null;
};

/**
 * The params each action shows, to anyone who may see its proposal: what the proposer
 * named (handles, amounts, the application), never the ids resolved from it (a private
 * partner's communeId). 'given' marks params that are the proposer's own fields, as validated.
 */
const SHOWN_PARAMS: Record<ActionType, readonly string[] | 'given'> = {
  admit_member: ['application', 'applicant'],
  remove_member: ['member'],
  spend: ['to', 'amount', 'memo'],
  set_credit_limit: ['member', 'limit'],
  set_currency: 'given',
  amend_charter: 'given',
  form_alliance: ['commune', 'tradeLimit', 'rate'],
  end_alliance: ['commune'],
  change_governance: ['rules', 'openBooks', 'openBallots'],
};

export function presentedParams(action: StoredAction): Record<string, unknown> {
  const shown = SHOWN_PARAMS[action.type];
  if (shown === 'given') return { ...action.params };
  return Object.fromEntries(
    shown.filter((k) => Object.hasOwn(action.params, k)).map((k) => [k, action.params[k]]),
  );
}
