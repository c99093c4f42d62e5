import { err, failer, type AppError, type CodeOf, type Err } from '../shared/result.ts';

/** Every error the identity context answers with. */
export const identityErrors = {
  handle_taken: 'conflict',
  invalid_credentials: 'unauthenticated',
  wrong_password: 'forbidden',
  session_not_found: 'not_found',
  person_not_found: 'not_found',
  invalid_cursor: 'invalid_input',
  // the throttles and the hashing pool; each answer carries Retry-After
  too_many_sign_ups: 'rate_limited',
  too_many_attempts: 'rate_limited',
  server_busy: 'rate_limited',
} as const;
export type IdentityErrorCode = CodeOf<typeof identityErrors>;

export const identityFail = failer(identityErrors);

type RateLimitedCode = 'too_many_sign_ups' | 'too_many_attempts' | 'server_busy';

/** A 429 that says when to come back (seconds, as the Retry-After header). */
export function identityLimited(
  code: RateLimitedCode,
  message: string,
  retryAfter: number,
): Err<AppError<RateLimitedCode>> {
  return err({ ...identityFail(code, message).error, code, retryAfter });
}
