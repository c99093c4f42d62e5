import { useEffect, useRef, useState } from 'react';
import { api, seg } from '../api/client.ts';
import type { Comment, ReadPosition } from '../api/types.ts';

/**
 * "New since your last visit": the read position as it was when the page opened (comments
 * after it are new), and the position moved forward to the newest comment shown.
 */
export function useReadPosition(threadId: string, comments: Comment[], signedIn: boolean) {
  const [before, setBefore] = useState<ReadPosition | null>(null);
  const saved = useRef<string | null | undefined>(undefined);

  useEffect(() => {
    if (!signedIn) return;
    let live = true;
    void api.get<ReadPosition>(`/threads/${seg(threadId)}/read`).then((r) => {
      if (live && r.ok) setBefore(r.value);
    });
    return () => {
      live = false;
    };
  }, [threadId, signedIn]);

  const newest = comments.reduce<string | null>(
    (m, c) => (m === null || c.id > m ? c.id : m),
    null,
  );
  useEffect(() => {
    // Only once the earlier position is known, so that this visit does not erase it.
    if (!signedIn || before === null || saved.current === newest) return;
    saved.current = newest;
    void api.put(`/threads/${seg(threadId)}/read`, { lastSeen: newest });
  }, [threadId, signedIn, before, newest]);

  /** Whether a comment is new to the viewer; nothing is on a first visit. */
  return (c: Comment): boolean =>
    before !== null &&
    before.readAt !== null &&
    (before.lastSeen === null || c.id > before.lastSeen) &&
    !c.deleted;
}
