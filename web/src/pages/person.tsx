import { seg } from '../api/client.ts';
import type { Schema } from '../api/types.ts';
import { communePath } from '../communes/labels.ts';
import { Link } from '../router.tsx';
import { ErrorNotice, Loading, PageHeading } from '../ui/page.tsx';
import { useApi } from '../ui/use-api.ts';

type Person = Schema<'Person'>;

/** Where a mention (@handle) leads: the person's name and the public communes they are in. */
export function PersonPage({ handle }: { handle: string }) {
  const loaded = useApi<Person>(`/people/${seg(handle)}`);
  const person = loaded.data;
  return (
    <section className="narrow">
      <PageHeading title={person ? person.displayName : `@${handle}`}>
        {person ? person.displayName : `@${handle}`}
      </PageHeading>
      {loaded.loading && !person ? <Loading what={`@${handle}`} /> : null}
      {loaded.error ? (
        <ErrorNotice error={loaded.error} what={`@${handle}`} onRetry={loaded.reload} />
      ) : null}
      {person ? (
        <>
          <p className="handle">@{person.handle}</p>
          <h2>Public communes</h2>
          {person.communes.length === 0 ? (
            <p className="muted">@{person.handle} is in no public commune.</p>
          ) : (
            <ul className="inline-list">
              {person.communes.map((c) => (
                <li key={c.handle}>
                  <Link to={communePath(c.handle)}>{c.name}</Link>
                  {c.role === 'steward' ? <span className="badge">steward</span> : null}
                </li>
              ))}
            </ul>
          )}
        </>
      ) : null}
    </section>
  );
}
