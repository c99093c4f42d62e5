import type { PersonRef } from '../api/types.ts';

export function handleOf(person: PersonRef): string {
  if (!person) return 'someone';
  return typeof person === 'string' ? person : person.handle;
}

export function nameOf(person: PersonRef): string {
  if (person && typeof person === 'object' && person.displayName) return person.displayName;
  return handleOf(person);
}

/** "Display Name @handle", or just "@handle" when they are the same. */
export function Person({ person }: { person: PersonRef }) {
  const handle = handleOf(person);
  const name = nameOf(person);
  return (
    <span className="person">
      {name !== handle ? <span className="person-name">{name} </span> : null}
      <span className="handle">@{handle}</span>
    </span>
  );
}
