import { useEffect, useRef, useState } from 'react';
import { durationWords } from './labels.ts';

/** The clock, ticking each second in the last hour and each half minute before that. */
function useNow(until: number): number {
  const [now, setNow] = useState(() => Date.now());
  const left = until - now;
  useEffect(() => {
    if (left <= 0) return;
    const step = left < 3_600_000 ? 1000 : 30_000;
    const timer = window.setTimeout(() => setNow(Date.now()), Math.min(step, left));
    return () => window.clearTimeout(timer);
  }, [left]);
  return now;
}

/**
 * "Closes in 2 days 3 hours". The visible text ticks; screen readers are not interrupted by
 * it (no live region) and read the exact time from the <time> element. `onEnded` runs once
 * when the time comes, so the page can fetch the result.
 */
export function ClosesIn({
  closesAt,
  onEnded,
  prefix = 'Closes in',
}: {
  closesAt: string;
  onEnded?: () => void;
  prefix?: string;
}) {
  const until = new Date(closesAt).getTime();
  const now = useNow(until);
  const ended = useRef(false);
  const over = now >= until;
  useEffect(() => {
    if (over && !ended.current) {
      ended.current = true;
      onEnded?.();
    }
  }, [over, onEnded]);
  const exact = new Date(closesAt).toLocaleString();
  return (
    <time className="closes-in" dateTime={closesAt} title={exact}>
      {over ? `Voting time ended ${exact}` : `${prefix} ${durationWords(until - now)}`}
    </time>
  );
}
