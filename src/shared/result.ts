export type Ok<T> = { ok: true; value: T };
export type Err<E> = { ok: false; error: E };
export type Result<T, E = AppError> = Ok<T> | Err<E>;

export const ok = <T>(value: T): Ok<T> => ({ ok: true, value });
export const err = <E>(error: E): Err<E> => ({ ok: false, error });

/** Kinds of expected failure; `src/http/errors.ts` maps each to one HTTP status. */
export type ErrorType =
  | 'invalid_input'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'too_large'
  | 'unsupported_media_type'
  | 'rule_violation'
  | 'rate_limited';

/** `retryAfter` (seconds) goes out as a Retry-After header, on 429s. */
export type AppError = {
  type: ErrorType;
  code: string;
  message: string;
  field?: string;
  retryAfter?: number;
  /** Machine-readable particulars (e.g. what a not_settled proposal still waits for). */
  details?: Record<string, unknown>;
};

export const fail = (
  type: ErrorType,
  code: string,
  message: string,
  field?: string,
): Err<AppError> =>
  err(field === undefined ? { type, code, message } : { type, code, message, field });

/** A failure that carries particulars a client can act on. */
export const failWith = (
  type: ErrorType,
  code: string,
  message: string,
  details: Record<string, unknown>,
): Err<AppError> => err({ type, code, message, details });

export const notFound = (what: string): Err<AppError> =>
  fail('not_found', 'not_found', `${what} not found`);
