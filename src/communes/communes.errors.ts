import { failer, type CodeOf } from '../shared/result.ts';

/** The access rule's refusals (permit()), the same wherever a commune is entered. */
export const accessErrors = {
  not_found: 'not_found',
  not_signed_in: 'unauthenticated',
  members_only: 'forbidden',
  stewards_only: 'forbidden',
} as const;
export type AccessErrorCode = CodeOf<typeof accessErrors>;
export const accessFail = failer(accessErrors);

/** Every error the communes context answers with. */
export const communesErrors = {
  ...accessErrors,
  handle_taken: 'conflict',
  invalid_cursor: 'invalid_input',
  max_members_below_count: 'rule_violation',
  commune_full: 'conflict',
  already_member: 'conflict',
  application_pending: 'conflict',
  application_not_pending: 'conflict',
  invite_invalid: 'rule_violation',
  not_a_member: 'rule_violation',
  not_member: 'not_found',
} as const;
export type CommunesErrorCode = CodeOf<typeof communesErrors>;

export const communesFail = failer(communesErrors);
