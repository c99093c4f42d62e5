import { useEffect, useRef, type ReactNode } from 'react';
import type { ApiError } from '../api/client.ts';
import { Link, takeNavigationFocus } from '../router.tsx';

/** The page's h1; sets the document title and takes focus after in-app navigation. */
export function PageHeading({ children, title }: { children: ReactNode; title: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Commune`;
  }, [title]);
  useEffect(() => {
    if (takeNavigationFocus()) ref.current?.focus();
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="muted" role="status">
      Loading {what}…
    </p>
  );
}

export function Notice({
  children,
  tone = 'info',
}: {
  children: ReactNode;
  tone?: 'info' | 'success' | 'warning';
}) {
  return (
    <div className={`notice ${tone}`} role="status">
      {children}
    </div>
  );
}

/** A failed load, explained in words; signed-out callers are offered a way in. */
/**
 * Why something could not be loaded. Anything but "not signed in" or "not found" may pass,
 * so it offers to try again: `onRetry` when the caller can reload, else the whole page.
 */
export function ErrorNotice({
  error,
  what,
  onRetry,
}: {
  error: ApiError;
  what: string;
  onRetry?: () => void;
}) {
  if (error.status === 401) {
    return (
      <div className="notice warning" role="alert">
        Please{' '}
        <Link
          to={`/sign-in?next=${encodeURIComponent(window.location.pathname + window.location.search)}`}
        >
          sign in
        </Link>{' '}
        to see {what}.
      </div>
    );
  }
  if (error.status === 404) {
    return (
      <div className="notice warning" role="alert">
        We could not find {what}. It may not exist, or it may be private.
      </div>
    );
  }
  return (
    <div className="notice warning" role="alert">
      Could not load {what}: {error.message}{' '}
      <button
        type="button"
        className="link-button"
        onClick={onRetry ?? (() => window.location.reload())}
      >
        Retry
      </button>
    </div>
  );
}

/** Shows a date as the reader's local date, keeping the exact time for machines and tooltips. */
export function When({ iso }: { iso: string | undefined }) {
  if (!iso) return null;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return null;
  return (
    <time dateTime={iso} title={date.toLocaleString()}>
      {date.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' })}
    </time>
  );
}
