import { seg } from '../api/client.ts';
import type { Thread } from '../api/types.ts';
import { Link } from '../router.tsx';
import { Person } from '../ui/person.tsx';
import { Loading, When } from '../ui/page.tsx';
import { HiddenNote } from '../ui/hidden-note.tsx';
import { usePagedList } from '../ui/use-api.ts';

export const threadPath = (id: string) => `/threads/${encodeURIComponent(id)}`;

/** A commune's threads, newest first, as the server orders them. */
export function ThreadList({ handle, canPost }: { handle: string; canPost: boolean }) {
  const list = usePagedList<Thread>(`/communes/${seg(handle)}/threads`);
  return (
    <section aria-labelledby="threads" className="panel">
      <div className="section-head">
        <h2 id="threads">Discussions</h2>
        {canPost ? (
          <Link className="button small" to={`/communes/${encodeURIComponent(handle)}/threads/new`}>
            Start a thread
          </Link>
        ) : null}
      </div>
      {list.loading ? <Loading what="discussions" /> : null}
      {list.error ? (
        <p className="muted">
          {list.error.status === 401 || list.error.status === 403 || list.error.status === 404
            ? 'Discussions are visible to members.'
            : `Could not load discussions: ${list.error.message}`}
        </p>
      ) : null}
      {list.data && list.data.length === 0 && list.hidden === 0 ? (
        <p className="muted">No discussions yet.{canPost ? ' Start the first one.' : ''}</p>
      ) : null}
      {list.data && list.data.length > 0 ? (
        <ul className="threads">
          {list.data.map((t) => (
            <li key={t.id}>
              <Link to={threadPath(t.id)} className="thread-title">
                {t.title}
              </Link>
              {t.pinned ? <span className="badge">Pinned</span> : null}
              {t.locked ? <span className="badge">Locked</span> : null}
              {t.unread ? <span className="badge new">Unread</span> : null}
              <span className="muted small">
                <Person person={t.author} /> · <When iso={t.createdAt} />
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      <HiddenNote count={list.hidden} />
      {list.more ? (
        <button type="button" className="secondary" onClick={list.more} disabled={list.loadingMore}>
          Show older discussions
        </button>
      ) : null}
      {canPost ? (
        <p className="small">
          <Link to={`/communes/${encodeURIComponent(handle)}/moderation`}>Moderation log</Link>
        </p>
      ) : null}
    </section>
  );
}
