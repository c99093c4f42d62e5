import { seg } from '../api/client.ts';
import type { ModerationEntry } from '../api/types.ts';
import { communePath } from '../communes/labels.ts';
import { Link } from '../router.tsx';
import { ErrorNotice, Loading, PageHeading, When } from '../ui/page.tsx';
import { Person } from '../ui/person.tsx';
import { usePagedList } from '../ui/use-api.ts';
import { threadPath } from './thread-list.tsx';

const VERBS: Record<ModerationEntry['action'], string> = {
  lock: 'locked',
  unlock: 'unlocked',
  pin: 'pinned',
  unpin: 'unpinned',
  hide: 'hid a comment in',
  unhide: 'showed again a comment in',
};

/** What the stewards did and why, newest first, for the commune's members. */
export function ModerationPage({ handle }: { handle: string }) {
  const log = usePagedList<ModerationEntry>(`/communes/${seg(handle)}/moderation`);
  return (
    <section className="narrow">
      <PageHeading title={`Moderation log of @${handle}`}>Moderation log</PageHeading>
      <p>
        In <Link to={communePath(handle)}>@{handle}</Link>. Stewards lock, pin and hide with a
        reason; every action is listed here.
      </p>
      {log.loading ? <Loading what="the moderation log" /> : null}
      {log.error ? <ErrorNotice error={log.error} what="the moderation log" /> : null}
      {log.data && log.data.length === 0 ? <p className="muted">Nothing yet.</p> : null}
      {log.data && log.data.length > 0 ? (
        <ol className="moderation-log">
          {log.data.map((e) => (
            <li key={e.id}>
              <Person person={e.steward} /> {VERBS[e.action]}{' '}
              {e.thread.title === null ? (
                'a deleted thread'
              ) : (
                <Link to={`${threadPath(e.thread.id)}${e.comment ? `#comment-${e.comment}` : ''}`}>
                  {e.thread.title}
                </Link>
              )}
              : <q>{e.reason}</q>{' '}
              <span className="muted small">
                <When iso={e.createdAt} />
              </span>
            </li>
          ))}
        </ol>
      ) : null}
      {log.more ? (
        <button type="button" className="secondary" onClick={log.more} disabled={log.loadingMore}>
          Show older entries
        </button>
      ) : null}
    </section>
  );
}
