import { failer, type CodeOf } from '../shared/result.ts';

/** Errors the HTTP layer itself answers with, before or around any context. */
export const httpErrors = {
  invalid_input: 'invalid_input',
  malformed_json: 'invalid_input',
  malformed_url: 'invalid_input',
  invalid_token: 'unauthenticated',
  not_signed_in: 'unauthenticated',
  csrf_token_invalid: 'forbidden',
  bad_origin: 'forbidden',
  route_not_found: 'not_found',
  body_too_large: 'too_large',
  unsupported_media_type: 'unsupported_media_type',
} as const;
export type HttpErrorCode = CodeOf<typeof httpErrors>;

export const httpFail = failer(httpErrors);
