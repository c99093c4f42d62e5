import { accessErrors } from '../communes/communes.errors.ts';
import { failer, type CodeOf } from '../shared/result.ts';

/** Every error the network context answers with. */
export const networkErrors = {
  ...accessErrors,
  // a consent the pair cannot take (checked again when a decision runs)
  already_allied: 'rule_violation',
  alliance_already_requested: 'rule_violation',
  consent_not_found: 'not_found',
} as const;
export type NetworkErrorCode = CodeOf<typeof networkErrors>;

export const networkFail = failer(networkErrors);
