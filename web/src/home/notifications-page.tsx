import { useState } from 'react';
import { api, type ApiError } from '../api/client.ts';
import { Link } from '../router.tsx';
import { ErrorNotice, Loading, PageHeading } from '../ui/page.tsx';
import { RequireSignIn } from '../ui/require-sign-in.tsx';
import { useApi } from '../ui/use-api.ts';
import { useNotificationArrivals } from '../ui/use-live.tsx';
import { NotificationLine } from './notification-line.tsx';
import type { Notification, NotificationPage } from './types.ts';

export function NotificationsPage() {
  return (
    <section className="narrow">
      <PageHeading title="Notifications">Notifications</PageHeading>
      <RequireSignIn what="see your notifications">
        <NotificationList />
      </RequireSignIn>
    </section>
  );
}

function NotificationList() {
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [before, setBefore] = useState<string | null>(null);
  const path = `/me/notifications?limit=50${unreadOnly ? '&unread=true' : ''}${before ? `&before=${encodeURIComponent(before)}` : ''}`;
  const page = useApi<NotificationPage>(path);
  // New ones appear as they are made (on the first page; an older page stays as it is).
  const { reload } = page;
  useNotificationArrivals(() => {
    if (before === null) reload();
  });
  const [problem, setProblem] = useState<ApiError | null>(null);

  async function markRead(ids?: string[]) {
    const r = await api.post('/me/notifications/read', ids ? { ids } : {});
    setProblem(r.ok ? null : r.error);
    page.reload();
  }
  const read = (n: Notification) => void (n.readAt === null && markRead([n.id]));

  if (page.loading && !page.data) return <Loading what="your notifications" />;
  if (page.error) return <ErrorNotice error={page.error} what="your notifications" />;
  const data = page.data;
  if (!data) return null;
  return (
    <>
      <p className="lede" aria-live="polite">
        {data.unread === 0 ? 'Nothing unread.' : `${data.unread} unread.`}{' '}
        <Link to="/settings/notifications">Notification settings</Link>
      </p>
      {problem ? (
        <div className="notice warning" role="alert">
          {problem.message}
        </div>
      ) : null}
      <div className="actions">
        <label>
          <input
            type="checkbox"
            checked={unreadOnly}
            onChange={(e) => {
              setBefore(null);
              setUnreadOnly(e.target.checked);
            }}
          />{' '}
          Unread only
        </label>
        <button type="button" disabled={data.unread === 0} onClick={() => void markRead()}>
          Mark all read
        </button>
      </div>
      {data.items.length === 0 ? (
        <p className="muted">No notifications here.</p>
      ) : (
        <ul className="notification-list">
          {data.items.map((n) => (
            <NotificationLine key={n.id} n={n} onRead={read} />
          ))}
        </ul>
      )}
      <div className="actions">
        {before ? (
          <button type="button" className="secondary" onClick={() => setBefore(null)}>
            Newest
          </button>
        ) : null}
        {data.next ? (
          <button type="button" className="secondary" onClick={() => setBefore(data.next)}>
            Older
          </button>
        ) : null}
      </div>
    </>
  );
}
