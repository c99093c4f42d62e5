import './home.css';
import { Link } from '../router.tsx';
import { When } from '../ui/page.tsx';
import { KIND_LABELS, type Notification } from './types.ts';

/** One notification: what kind, what it says (plain text), where it leads, and when. */
export function NotificationLine({
  n,
  onRead,
}: {
  n: Notification;
  onRead?: (n: Notification) => void;
}) {
  const unread = n.readAt === null;
  return (
    <li className={unread ? 'notification unread' : 'notification'}>
      <span className="badge">{KIND_LABELS[n.kind]}</span>{' '}
      <Link to={n.subject.link} onClick={() => onRead?.(n)}>
        {n.subject.summary}
      </Link>{' '}
      <span className="muted">
        {n.commune ? <>in {n.commune} · </> : null}
        <When iso={n.createdAt} />
        {unread ? ' · unread' : ''}
      </span>
      {unread && onRead ? (
        <>
          {' '}
          <button type="button" className="link-button" onClick={() => onRead(n)}>
            Mark read
          </button>
        </>
      ) : null}
    </li>
  );
}
