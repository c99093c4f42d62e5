import { useEffect, useState } from 'react';
import type { ApiError } from '../api/client.ts';
import { loadPages } from '../api/ledger.ts';

export type AllPages<T> = { items: T[] | null; complete: boolean; error: ApiError | null };

/**
 * Loads a newest-first list up to `cap` items (or until `since`, an ISO time, is passed),
 * for charts. A change of `round` loads it again.
 */
export function useAllPages<T>(
  path: string | null,
  o: { cap: number; since?: string; at?: (item: T) => string; round?: number },
): AllPages<T> {
  const [state, setState] = useState<AllPages<T>>({ items: null, complete: false, error: null });
  const { cap, since, at, round } = o;

  useEffect(() => {
    if (path === null) return;
    const abort = new AbortController();
    const past = since && at ? (item: T) => at(item) < since : undefined;
    void loadPages<T>(path, { cap, signal: abort.signal, ...(past ? { past } : {}) }).then((r) => {
      if (abort.signal.aborted) return;
      setState(
        r.ok
          ? { items: r.value.items, complete: r.value.complete, error: null }
          : { items: null, complete: false, error: r.error },
      );
    });
    return () => abort.abort();
  }, [path, cap, since, at, round]);

  return state;
}
