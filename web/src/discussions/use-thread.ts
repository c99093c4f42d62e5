import { useCallback, useMemo, useState } from 'react';
import { api, seg } from '../api/client.ts';
import type { Comment, ThreadWithComments } from '../api/types.ts';
import { useApi } from '../ui/use-api.ts';

type Loaded = ThreadWithComments & { next?: string | null };

/**
 * A thread with its comments, oldest first, following the `?after=` cursor on demand.
 * Comments the viewer just posted stay visible even if they sit on a page not loaded yet.
 */
export function useThread(id: string) {
  const first = useApi<Loaded>(`/threads/${seg(id)}`);
  const [later, setLater] = useState<{
    from: Loaded | null;
    comments: Comment[];
    next: string | null;
  }>({ from: null, comments: [], next: null });
  const [posted, setPosted] = useState<Comment[]>([]);
  const [loadingMore, setLoadingMore] = useState(false);

  const extra =
    later.from === first.data
      ? later
      : { from: first.data, comments: [], next: first.data?.next ?? null };

  const comments = useMemo(() => {
    const all = [...(first.data?.comments ?? []), ...extra.comments];
    const seen = new Set(all.map((c) => c.id));
    return [...all, ...posted.filter((c) => !seen.has(c.id))];
  }, [first.data, extra.comments, posted]);

  const more = useCallback(async () => {
    if (!extra.next) return;
    setLoadingMore(true);
    const r = await api.get<Loaded>(`/threads/${seg(id)}?after=${encodeURIComponent(extra.next)}`);
    setLoadingMore(false);
    if (r.ok)
      setLater({
        from: first.data,
        comments: [...extra.comments, ...r.value.comments],
        next: r.value.next ?? null,
      });
  }, [id, extra, first.data]);

  const addPosted = useCallback(
    (c: Comment) => {
      setPosted((p) => [...p, c]);
      first.reload();
    },
    [first],
  );

  return {
    thread: first.data?.thread ?? null,
    comments,
    error: first.error,
    loading: first.loading,
    more: extra.next ? more : null,
    loadingMore,
    addPosted,
  };
}
