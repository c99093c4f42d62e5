import type { Member } from '../api/types.ts';
import { SelectField } from '../ui/fields.tsx';
import { Person } from '../ui/person.tsx';
import type { ActionDraft, ActionFieldsProps } from './action-draft.ts';

const memberLabel = (m: Member) =>
  m.displayName && m.displayName !== m.handle ? `${m.displayName} (@${m.handle})` : `@${m.handle}`;

/** The commune's members, by handle. */
export const byHandle = (members: Member[]) =>
  [...members].sort((a, b) => a.handle.localeCompare(b.handle));

/** A member picker's options: a prompt, then the members. */
export const memberOptions = (what: string, list: Member[]) => [
  { value: '', label: what },
  ...list.map((m) => ({ value: m.handle, label: memberLabel(m) })),
];

export function AdmitMemberFields({ draft, onChange, ctx, errors }: ActionFieldsProps) {
  const set = (patch: Partial<ActionDraft>) => onChange({ ...draft, ...patch });
  return ctx.applications.length === 0 ? (
    <p className="notice">
      No one is waiting to join. (Each new application opens its own admission proposal.)
    </p>
  ) : (
    <SelectField
      label="Application"
      name="application"
      options={[
        { value: '', label: 'Choose an application' },
        ...ctx.applications.map((a) => ({
          value: a.id,
          label: `@${a.handle}`,
        })),
      ]}
      value={draft.application}
      onChange={(e) => set({ application: e.target.value })}
      error={errors.field('application')}
    />
  );
}

export function RemoveMemberFields({ draft, onChange, ctx, errors }: ActionFieldsProps) {
  const set = (patch: Partial<ActionDraft>) => onChange({ ...draft, ...patch });
  return (
    <>
      <SelectField
        label="Member to remove"
        name="member"
        options={memberOptions(
          'Choose a member',
          byHandle(ctx.members).filter((m) => m.handle !== ctx.me),
        )}
        value={draft.member}
        onChange={(e) => set({ member: e.target.value })}
        error={errors.field('member')}
      />
      {draft.member ? (
        <p className="hint">
          <Person person={draft.member} /> does not vote on their own removal.
        </p>
      ) : null}
    </>
  );
}
