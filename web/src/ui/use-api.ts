import { useCallback, useEffect, useMemo, useState } from 'react';
import { api, type ApiError } from '../api/client.ts';
import type { Page } from '../api/types.ts';

export type Loaded<T> = {
  data: T | null;
  error: ApiError | null;
  loading: boolean;
  reload: () => void;
};

/** GETs a path (null means "not yet") and reloads on demand; stale answers are dropped. */
export function useApi<T>(path: string | null): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(path !== null);
  const [round, setRound] = useState(0);

  useEffect(() => {
    if (path === null) return;
    const abort = new AbortController();
    setLoading(true);
    void api.get<T>(path, abort.signal).then((r) => {
      if (abort.signal.aborted) return;
      setLoading(false);
      if (r.ok) {
        setData(r.value);
        setError(null);
      } else {
        setData(null);
        setError(r.error);
      }
    });
    return () => abort.abort();
  }, [path, round]);

  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { data, error, loading, reload };
}

export type PagedList<T> = Loaded<T[]> & {
  more: (() => void) | null;
  loadingMore: boolean;
  /** How many the reader's filters left out of the pages loaded so far (the server's count). */
  hidden: number;
};

/** A page's `hidden` count, for lists that report one. */
const hiddenOf = (page: unknown): number => {
  const n = (page as { hidden?: unknown } | null)?.hidden;
  return typeof n === 'number' && Number.isFinite(n) ? n : 0;
};

/**
 * A `{ items, next }` list with a "show more" that follows the cursor, passed back as
 * `?before=` (newest-first lists) or `?after=` (lists in ascending order).
 */
export function usePagedList<T>(
  path: string | null,
  cursorParam: 'before' | 'after' = 'before',
): PagedList<T> {
  const loaded = useApi<Page<T> | T[]>(path);
  // Tolerate a plain array too, so a list without paging still renders.
  const page = useMemo(
    () => (Array.isArray(loaded.data) ? { items: loaded.data, next: null } : loaded.data),
    [loaded.data],
  );
  const first = { ...loaded, data: page };
  const [extra, setExtra] = useState<{
    items: T[];
    next: string | null;
    hidden: number;
    from: Page<T> | null;
  }>({ items: [], next: null, hidden: 0, from: null });
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<ApiError | null>(null);

  // Extra pages belong to one first page; a reload starts over.
  const current =
    extra.from === first.data
      ? extra
      : { items: [], next: first.data?.next ?? null, hidden: 0, from: first.data };
  const next = current.from ? current.next : null;

  const more = useCallback(() => {
    if (!path || !next) return;
    setLoadingMore(true);
    const join = path.includes('?') ? '&' : '?';
    void api.get<Page<T>>(`${path}${join}${cursorParam}=${encodeURIComponent(next)}`).then((r) => {
      setLoadingMore(false);
      if (!r.ok) return setMoreError(r.error);
      setMoreError(null);
      setExtra({
        items: [...current.items, ...r.value.items],
        next: r.value.next,
        hidden: current.hidden + hiddenOf(r.value),
        from: first.data,
      });
    });
  }, [path, cursorParam, next, current.items, current.hidden, first.data]);

  const items = first.data ? [...first.data.items, ...current.items] : null;
  return {
    data: items,
    error: first.error ?? moreError,
    loading: first.loading,
    reload: first.reload,
    more: next ? more : null,
    loadingMore,
    hidden: first.data ? hiddenOf(loaded.data) + current.hidden : 0,
  };
}

/**
 * While `waiting` holds (say, a proposal past its closing time still shows as open), reloads
 * at growing intervals (0.5 s, 1 s, 2 s… at most 15 s) until the state changes, and gives up
 * after `tries`: the page waits for the state, not for a guess at how long it takes.
 */
export function useReloadWhile(waiting: boolean, reload: () => void, tries = 12): void {
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (!waiting || attempt >= tries) return;
    const timer = window.setTimeout(
      () => {
        setAttempt((n) => n + 1);
        reload();
      },
      Math.min(500 * 2 ** attempt, 15_000),
    );
    return () => window.clearTimeout(timer);
  }, [waiting, attempt, tries, reload]);
}
