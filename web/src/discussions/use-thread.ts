import { useCallback, useMemo, useRef, useState } from 'react';
import { api, seg, type ApiError } from '../api/client.ts';
import type { Comment, ThreadWithComments } from '../api/types.ts';
import { useApi } from '../ui/use-api.ts';

type Later = { started: boolean; comments: Comment[]; next: string | null; hidden: number };

/**
 * A thread with its comments, oldest first, a page at a time: the server sends the first page
 * and a cursor (`next`), and `more` fetches the page after it. Pages already read stay when
 * the first page is reloaded, and comments the viewer just posted stay visible even if they
 * sit on a page not loaded yet.
 */
export function useThread(id: string) {
  const first = useApi<ThreadWithComments>(`/threads/${seg(id)}`);
  const [later, setLater] = useState<Later>({
    started: false,
    comments: [],
    next: null,
    hidden: 0,
  });
  const [posted, setPosted] = useState<Comment[]>([]);
  // Comments changed here (edited, deleted, hidden) until the pages are read again.
  const [changed, setChanged] = useState<Map<string, Comment>>(new Map());
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<ApiError | null>(null);
  // A scroll and a click may both ask for the next page; only one request goes out.
  const inFlight = useRef(false);

  const next = later.started ? later.next : (first.data?.next ?? null);

  const comments = useMemo(() => {
    const all: Comment[] = [];
    const seen = new Set<string>();
    for (const c of [...(first.data?.comments ?? []), ...later.comments, ...posted]) {
      if (seen.has(c.id)) continue;
      seen.add(c.id);
      all.push(changed.get(c.id) ?? c);
    }
    return all;
  }, [first.data, later.comments, posted, changed]);

  const more = useCallback(async () => {
    if (!next || inFlight.current) return;
    inFlight.current = true;
    setLoadingMore(true);
    const r = await api.get<ThreadWithComments>(
      `/threads/${seg(id)}?after=${encodeURIComponent(next)}`,
    );
    inFlight.current = false;
    setLoadingMore(false);
    if (!r.ok) {
      setMoreError(r.error);
      return;
    }
    setMoreError(null);
    setLater((l) => ({
      started: true,
      comments: [...l.comments, ...r.value.comments],
      next: r.value.next ?? null,
      hidden: l.hidden + (r.value.hidden ?? 0),
    }));
  }, [id, next]);

  const addPosted = useCallback(
    (c: Comment) => {
      setPosted((p) => [...p, c]);
      first.reload();
    },
    [first],
  );

  const replace = useCallback((c: Comment) => {
    setChanged((m) => new Map(m).set(c.id, c));
  }, []);

  return {
    thread: first.data?.thread ?? null,
    replace,
    reload: first.reload,
    comments,
    error: first.error,
    loading: first.loading,
    more: next ? more : null,
    /** Comments the reader's own filters left out of the pages read so far (the server counts). */
    hidden: (first.data?.hidden ?? 0) + later.hidden,
    loadingMore,
    moreError,
    addPosted,
  };
}
