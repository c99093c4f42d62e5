import { failer, type CodeOf } from '../shared/result.ts';

/** Every error search answers with besides the HTTP layer's own. */
export const searchErrors = {
  query_too_long: 'invalid_input',
  invalid_cursor: 'invalid_input',
} as const;
export type SearchErrorCode = CodeOf<typeof searchErrors>;

export const searchFail = failer(searchErrors);
