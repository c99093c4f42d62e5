// Which things an action names beyond its own commune, so that a proposal shows them only
// to callers who may see them (a public commune's proposal must not reveal a private
// partner). Pure: the service checks access to what this names.
import type { ActionView, StoredAction } from './actions.ts';

export type NamedThings = {
  /** Another commune: by the id resolved when proposed, or by handle. */
  commune: { id: string | null; handle: string } | null;
  /** An account only this commune's members may see (a pending applicant). */
  membersOnlyAccount: boolean;
};

export function namedThings(action: StoredAction): NamedThings {
  const { type, params } = action;
  const commune =
    (type === 'form_alliance' || type === 'end_alliance') && typeof params.commune === 'string'
      ? {
          id: typeof params.communeId === 'string' ? params.communeId : null,
          handle: params.commune,
        }
      : null;
  // Applications are for members to read; other actions name members, whom anyone who sees
  // the proposal may see in the member list.
  return { commune, membersOnlyAccount: type === 'admit_member' };
}

/** The action as shown to a caller who may not see what it names: its type and state only. */
export const redactedAction = (view: ActionView): ActionView => ({
  ...view,
  params: { hidden: true },
  result: view.result === null ? null : { hidden: true },
});
