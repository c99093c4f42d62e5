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

/** Facts a caller may act on (a balance, what a proposal waits for), so no one reads `message`. */
export type ErrorDetails = Readonly<Record<string, unknown>>;

export type AppError<C extends string = string> = {
  type: ErrorType;
  code: C;
  message: string;
  field?: string;
  /** Invalid input: each field's own message (without its name), for forms. */
  fields?: Readonly<Record<string, string>>;
  /** Seconds; goes out as a Retry-After header (on 429s). */
  retryAfter?: number;
  details?: ErrorDetails;
};

/** A context's error codes, each with the one kind of failure (and so the one status) it means. */
export type ErrorCatalog = Readonly<Record<string, ErrorType>>;
/** The codes a catalog names, as a union of literals. */
export type CodeOf<C extends ErrorCatalog> = keyof C & string;

/**
 * Builds a context's `fail`: the code is checked against its catalog and the type comes from
 * there, so one code can never mean two statuses.
 */
export function failer<const C extends ErrorCatalog>(catalog: C) {
  return (
    code: CodeOf<C>,
    message: string,
    extra: { field?: string; details?: ErrorDetails } = {},
  ): Err<AppError<CodeOf<C>>> =>
    err({
      type: catalog[code] as ErrorType,
      code,
      message,
      ...(extra.field === undefined ? {} : { field: extra.field }),
      ...(extra.details === undefined ? {} : { details: extra.details }),
    });
}

/** The untyped form, for contexts not yet moved to a catalog. */
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
  details: ErrorDetails,
): Err<AppError> => err({ type, code, message, details });

export const notFound = (what: string): Err<AppError<'not_found'>> =>
  err({ type: 'not_found', code: 'not_found', message: `${what} not found` });
