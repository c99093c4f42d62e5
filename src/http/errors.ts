import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppError, ErrorType, Result } from '../shared/result.ts';
import { ERROR_CATALOG, type ErrorCode } from './error-catalog.ts';

/** Exhaustive: a new ErrorType does not compile until it has a status. */
export function statusFor(type: ErrorType): ErrorStatus {
  switch (type) {
    case 'invalid_input':
      return 400;
    case 'unauthenticated':
      return 401;
    case 'forbidden':
      return 403;
    case 'not_found':
      return 404;
    case 'conflict':
      return 409;
    case 'too_large':
      return 413;
    case 'unsupported_media_type':
      return 415;
    case 'rule_violation':
      return 422;
    case 'rate_limited':
      return 429;
  }
}
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429;

export const statusOfCode = (code: ErrorCode): ErrorStatus => statusFor(ERROR_CATALOG[code]);

/** A field's own message: the error's, without the `field: ` prefix a whole message carries. */
const fieldsOf = (e: AppError): Readonly<Record<string, string>> | undefined => {
  if (e.fields !== undefined || e.field === undefined) return e.fields;
  const prefix = `${e.field}: `;
  return { [e.field]: e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message };
};

export const errorBody = (e: AppError) => {
  const fields = fieldsOf(e);
  return {
    error: {
      code: e.code,
      message: e.message,
      ...(e.field === undefined ? {} : { field: e.field }),
      ...(fields === undefined ? {} : { fields }),
      ...(e.details === undefined ? {} : { details: e.details }),
    },
  };
};

export const sendError = (c: Context, e: AppError) =>
  c.json(
    errorBody(e),
    statusFor(e.type),
    e.retryAfter === undefined ? undefined : { 'retry-after': String(e.retryAfter) },
  );

/** The one place a service Result becomes an HTTP response. */
export function respond<T>(
  c: Context,
  result: Result<T, AppError>,
  status: ContentfulStatusCode = 200,
  shape?: (v: T) => unknown,
) {
  if (!result.ok) return sendError(c, result.error);
  return c.json((shape ? shape(result.value) : result.value) as object, status);
}

const JSON_TYPE = { 'content-type': 'application/json' };

/** Like respond, for a body a service already serialised to JSON (a cached page). */
export function respondSerialized(
  c: Context,
  result: Result<Uint8Array<ArrayBuffer> | string, AppError>,
  status: ContentfulStatusCode = 200,
) {
  if (!result.ok) return sendError(c, result.error);
  return c.body(result.value, status, JSON_TYPE);
}
