import { Link, useLocation } from '../router.tsx';
import { useApi } from '../ui/use-api.ts';
import { announceNotification, useLive } from '../ui/use-live.tsx';
import type { NotificationPage } from './types.ts';

/**
 * "Notifications" in the header, with the unread count; read again on every page change and
 * whenever a notification arrives (its own live stream of the caller's notifications, which
 * it passes on to the page through announceNotification).
 */
export function NotificationsLink() {
  const { path } = useLocation();
  const page = useApi<NotificationPage>(
    `/me/notifications?unread=true&limit=1&at=${encodeURIComponent(path)}`,
  );
  const { reload } = page;
  useLive('?notifications=true', (e) => {
    if (e.type !== 'notification' && e.type !== 'refresh') return;
    reload();
    announceNotification(e);
  });
  const unread = page.data?.unread ?? 0;
  return (
    <Link to="/notifications" aria-current={path === '/notifications' ? 'page' : undefined}>
      Notifications
      {unread > 0 ? (
        <>
          {' '}
          <span className="badge" aria-label={`${unread} unread`}>
            {unread}
          </span>
        </>
      ) : null}
    </Link>
  );
}
