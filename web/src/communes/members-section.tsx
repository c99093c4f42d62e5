import { seg } from '../api/client.ts';
import type { Member } from '../api/types.ts';
import { Person } from '../ui/person.tsx';
import { When } from '../ui/page.tsx';
import { useApi } from '../ui/use-api.ts';

export function MembersSection({
  handle,
  memberCount,
  maxMembers,
}: {
  handle: string;
  memberCount: number;
  maxMembers: number;
}) {
  const members = useApi<Member[]>(`/communes/${seg(handle)}/members`);
  const list = Array.isArray(members.data) ? members.data : null;
  return (
    <section aria-labelledby="members" className="panel">
      <h2 id="members">Members</h2>
      <p className="muted">
        {memberCount} / {maxMembers} members
      </p>
      {members.error ? <p className="muted">The member list is visible to members.</p> : null}
      {list ? (
        <ul className="members">
          {list.map((m) => (
            <li key={m.handle}>
              <Person person={{ handle: m.handle, displayName: m.displayName }} />
              {m.role === 'steward' ? <span className="badge">steward</span> : null}
              <span className="muted small">
                joined <When iso={m.joinedAt} />
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
