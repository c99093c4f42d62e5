import type { ActionType } from '../api/decisions.ts';
import type { ActionFieldsProps } from './action-draft.ts';
import { CharterFields } from './charter-fields.tsx';
import { GovernanceFields } from './governance-fields.tsx';
import { AdmitMemberFields, RemoveMemberFields } from './membership-action-fields.tsx';
import { CreditLimitFields, SpendFields } from './money-action-fields.tsx';

/** The fields of the chosen action type. */
export function ActionFields({ type, ...props }: ActionFieldsProps & { type: ActionType }) {
  switch (type) {
    case 'spend':
      return <SpendFields {...props} />;
    case 'set_credit_limit':
      return <CreditLimitFields {...props} />;
    case 'admit_member':
      return <AdmitMemberFields {...props} />;
    case 'remove_member':
      return <RemoveMemberFields {...props} />;
    case 'amend_charter':
      return <CharterFields {...props} />;
    case 'change_governance':
      return <GovernanceFields {...props} />;
    default:
      return null;
  }
}
