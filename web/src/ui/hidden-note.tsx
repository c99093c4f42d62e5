import { Link } from '../router.tsx';

/**
 * "3 hidden by your filters": a list the reader's own filters thinned says so, so that an
 * empty list is never mistaken for an empty commune. The server counts; nothing is guessed.
 */
export function HiddenNote({ count }: { count: number }) {
  if (count <= 0) return null;
  return (
    <p className="muted hidden-note" role="note">
      {count} hidden by your filters. <Link to="/settings/filters">Review your filters</Link>
    </p>
  );
}
