import { useEffect, useRef, useState } from 'react';
// The event types a stream sends, from the OpenAPI document of GET /events (gen:api).
import { liveEventTypeValues } from '../api/schema.gen.ts';

// Live updates (GET /api/v1/events, docs/adr/0028-live-updates.md): the server says what
// changed, by id, and the page reloads what it shows through the ordinary API.

export type LiveEvent = { type: string; commune?: string | null; [id: string]: unknown };
export type LiveState = 'connecting' | 'live' | 'reconnecting';

/** Pages that show notifications hear of new ones from the header's stream (one per tab). */
const notificationListeners = new Set<(e: LiveEvent) => void>();
export function announceNotification(e: LiveEvent): void {
  for (const l of notificationListeners) l(e);
}
/** Calls `onArrival` when the header's stream brings a notification (or asks to refresh). */
export function useNotificationArrivals(onArrival: (e: LiveEvent) => void): void {
  const handler = useRef(onArrival);
  handler.current = onArrival;
  useEffect(() => {
    const l = (e: LiveEvent) => handler.current(e);
    notificationListeners.add(l);
    return () => void notificationListeners.delete(l);
  }, []);
}

/** Shown only when the stream stays down this long (a stream the server restarts is quicker). */
const BANNER_AFTER_MS = 2500;
/** A refused stream (the server said no, or was not there) is tried again after this long. */
const RETRY_MS = 3000;

/**
 * Follows `/events{query}` (null: nothing) and calls `onEvent` for each event. Reconnects by
 * itself (EventSource, and a new one when the browser gave up); after a gap it reports a
 * `refresh`, since events may have been missed. Returns whether the page is live.
 */
export function useLive(query: string | null, onEvent: (e: LiveEvent) => void): LiveState {
  const [state, setState] = useState<LiveState>('connecting');
  const handler = useRef(onEvent);
  handler.current = onEvent;

  useEffect(() => {
    if (query === null) return;
    let source: EventSource | null = null;
    let retry: number | undefined;
    let banner: number | undefined;
    let lost = false;
    let stopped = false;

    const down = () => {
      lost = true;
      if (banner === undefined)
        banner = window.setTimeout(() => setState('reconnecting'), BANNER_AFTER_MS);
    };
    const open = () => {
      source = new EventSource(`/api/v1/events${query}`);
      source.addEventListener('ready', () => {
        window.clearTimeout(banner);
        banner = undefined;
        setState('live');
        if (lost) handler.current({ type: 'refresh', commune: null });
        lost = false;
      });
      for (const type of liveEventTypeValues.filter((t) => t !== 'ready'))
        source.addEventListener(type, (m) => {
          try {
            handler.current(JSON.parse((m as MessageEvent<string>).data) as LiveEvent);
          } catch {
            handler.current({ type: 'refresh', commune: null });
          }
        });
      source.onerror = () => {
        down();
        // CLOSED: the browser will not try again by itself (an error answer): we do.
        if (source?.readyState === EventSource.CLOSED && !stopped) {
          source.close();
          retry = window.setTimeout(open, RETRY_MS);
        }
      };
    };
    open();
    return () => {
      stopped = true;
      window.clearTimeout(retry);
      window.clearTimeout(banner);
      source?.close();
    };
  }, [query]);
  return state;
}

/** "Reconnecting…" while the page has lost the server; nothing otherwise. */
export function LiveBanner({ state }: { state: LiveState }) {
  if (state !== 'reconnecting') return null;
  return (
    <div className="notice warning live-banner" role="status">
      Reconnecting… This page will update by itself when the server is back.
    </div>
  );
}
