import type { Envelope } from '../events/events.ts';
import {
  HEARTBEAT,
  coalesce,
  frame,
  key,
  notificationData,
  reaches,
  routeOf,
  wireData,
  type Grant,
  type NotificationNews,
} from './live.ts';

export type HubLimits = {
  /** Streams this process holds at most. */
  maxConnections: number;
  /** Streams one signed-in person holds at most (tabs, devices). */
  maxPerPerson: number;
  /** Bytes a stream may have waiting for a client that does not read; beyond, it is dropped. */
  bufferBytes: number;
  heartbeatMs: number;
  /** A stream ends after this long; EventSource reconnects and the caller is checked afresh. */
  lifetimeMs: number;
};

const encoder = new TextEncoder();

/** What a delivery needs besides the events: what was read for them, and who hears them. */
export type Delivery = {
  proposalOfThread: (threadId: string) => string | null;
  handleOf: (communeId: string) => string | undefined;
  /** The announcement number of each event; a stream hears those after it opened. */
  seqOf: (eventId: string) => number;
  /** Only this stream (a replay after Last-Event-ID). */
  only?: LiveConnection;
};

/** One follower's stream. Writes never wait: a client that does not read is dropped. */
export class LiveConnection {
  readonly grant: Grant;
  readonly stream: ReadableStream<Uint8Array>;
  readonly openedAt = Date.now();
  /** The announcements made before it opened, which it does not hear of. */
  readonly since: number;
  #controller!: ReadableStreamDefaultController<Uint8Array>;
  #open = true;
  /** Ends the client's connection at once (the server's socket); without it, errors the stream. */
  onDrop: (() => void) | null = null;
  readonly #onEnd: (c: LiveConnection, dropped: boolean) => void;
  readonly #bufferBytes: number;

  constructor(
    grant: Grant,
    since: number,
    bufferBytes: number,
    onEnd: (c: LiveConnection, dropped: boolean) => void,
  ) {
    this.grant = grant;
    this.since = since;
    this.#bufferBytes = bufferBytes;
    this.#onEnd = onEnd;
    this.stream = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.#controller = controller;
        },
        cancel: () => this.#end(false),
      },
      // Nothing is queued ahead of the reader: desiredSize is minus the bytes waiting.
      new ByteLengthQueuingStrategy({ highWaterMark: 0 }),
    );
  }

  get open(): boolean {
    return this.#open;
  }

  /** Bytes written but not yet taken by the socket. */
  get buffered(): number {
    return -(this.#controller.desiredSize ?? 0);
  }

  send(text: string): void {
    if (!this.#open) return;
    if (this.buffered > this.#bufferBytes) {
      // The client stopped reading: drop it rather than hold its backlog.
      this.#end(true);
      if (this.onDrop) this.onDrop();
      else this.#controller.error(new Error('live updates: client does not read'));
      return;
    }
    this.#controller.enqueue(encoder.encode(text));
  }

  /** Ends the stream after what is queued (EventSource will reconnect). */
  close(): void {
    if (!this.#open) return;
    this.#end(false);
    this.#controller.close();
  }

  #end(dropped: boolean): void {
    if (!this.#open) return;
    this.#open = false;
    this.#onEnd(this, dropped);
  }
}

/** The followers of this process, indexed by what they follow, and the fan-out to them. */
export function liveHub(limits: HubLimits) {
  const byKey = new Map<string, Set<LiveConnection>>();
  const byCommune = new Map<string, Set<LiveConnection>>();
  const byPerson = new Map<string, number>();
  const all = new Set<LiveConnection>();
  let heartbeat: NodeJS.Timeout | null = null;
  const stats = { opened: 0, dropped: 0, sent: 0 };

  const add = (index: Map<string, Set<LiveConnection>>, k: string, c: LiveConnection) => {
    let set = index.get(k);
    if (!set) index.set(k, (set = new Set()));
    set.add(c);
  };
  const remove = (index: Map<string, Set<LiveConnection>>, k: string, c: LiveConnection) => {
    const set = index.get(k);
    set?.delete(c);
    if (set?.size === 0) index.delete(k);
  };

  function ended(c: LiveConnection, dropped: boolean): void {
    all.delete(c);
    for (const k of c.grant.keys) remove(byKey, k.key, c);
    for (const communeId of c.grant.standings.keys()) remove(byCommune, communeId, c);
    const person = c.grant.viewerId;
    if (person !== null) {
      const n = (byPerson.get(person) ?? 1) - 1;
      if (n > 0) byPerson.set(person, n);
      else byPerson.delete(person);
    }
    if (dropped) stats.dropped += 1;
    if (all.size === 0 && heartbeat) {
      clearInterval(heartbeat);
      heartbeat = null;
    }
  }

  function beat(): void {
    const now = Date.now();
    for (const c of all) {
      if (now - c.openedAt > limits.lifetimeMs) c.close();
      else c.send(HEARTBEAT);
    }
  }

  return {
    stats: () => ({ ...stats, connections: all.size }),

    /** Whether one more stream fits, for this person; checked before any work. */
    admits(viewerId: string | null): 'ok' | 'process_full' | 'person_full' {
      if (all.size >= limits.maxConnections) return 'process_full';
      if (viewerId !== null && (byPerson.get(viewerId) ?? 0) >= limits.maxPerPerson)
        return 'person_full';
      return 'ok';
    },

    connect(grant: Grant, since: number, first: string): LiveConnection {
      const c = new LiveConnection(grant, since, limits.bufferBytes, ended);
      all.add(c);
      stats.opened += 1;
      for (const k of grant.keys) add(byKey, k.key, c);
      for (const communeId of grant.standings.keys()) add(byCommune, communeId, c);
      if (grant.viewerId !== null)
        byPerson.set(grant.viewerId, (byPerson.get(grant.viewerId) ?? 0) + 1);
      c.send(first);
      if (!heartbeat) {
        heartbeat = setInterval(beat, limits.heartbeatMs);
        heartbeat.unref();
      }
      return c;
    },

    /**
     * Sends committed events to whoever may see them and heard of them after connecting.
     * Membership and charter events then end the affected streams (after the whole delivery,
     * so an applicant hears the outcome too): the clients reconnect and are checked afresh.
     */
    deliver(envelopes: Envelope[], o: Delivery): void {
      const { single, refresh } = coalesce(envelopes);
      const hears = (c: LiveConnection, eventId: string) =>
        (!o.only || c === o.only) && c.since < o.seqOf(eventId);
      const toClose = new Set<LiveConnection>();
      for (const communeId of refresh) {
        const text = frame('refresh', { type: 'refresh', commune: o.handleOf(communeId) ?? null });
        const last = envelopes.findLast((e) => e.event.communeId === communeId)!.id;
        for (const c of byCommune.get(communeId) ?? []) if (hears(c, last)) c.send(text);
      }
      for (const e of single) {
        const ev = e.event;
        const route = routeOf(ev, 'threadId' in ev ? o.proposalOfThread(ev.threadId) : null);
        if (!route) continue;
        // Each side hears it under its standing there, as news of that commune.
        const sides: [string, string[]][] = [[ev.communeId, route.keys]];
        if (route.partner) sides.push([route.partner, [key.commune(route.partner)]]);
        const reached = new Set<LiveConnection>();
        for (const [communeId, keys] of sides) {
          const handle = o.handleOf(communeId);
          if (handle === undefined) continue;
          const here = new Set<LiveConnection>();
          for (const k of keys)
            for (const c of byKey.get(k) ?? []) {
              if (reached.has(c) || here.has(c) || !hears(c, e.id)) continue;
              const held = c.grant.keys.find((x) => x.key === k)!;
              if (reaches(c.grant, held, communeId, route.need)) here.add(c);
            }
          if (here.size === 0) continue;
          const text = frame(ev.type, wireData(ev, handle), e.id);
          for (const c of here) {
            c.send(text);
            reached.add(c);
          }
          stats.sent += here.size;
        }
        if (o.only) continue;
        // Who may see what changed: those streams start again under the new rules.
        // Only streams opened before the change: a later one was checked under the new rules.
        const end = (c: LiveConnection) => {
          if (hears(c, e.id)) toClose.add(c);
        };
        if (ev.type === 'member_joined' || ev.type === 'member_left') {
          for (const c of byKey.get(key.account(ev.accountId)) ?? []) end(c);
          for (const c of byCommune.get(ev.communeId) ?? [])
            if (c.grant.viewerId === ev.accountId) end(c);
        }
        if (ev.type === 'charter_amended')
          for (const c of byCommune.get(ev.communeId) ?? []) end(c);
      }
      for (const c of toClose) c.close();
    },

    /**
     * New notifications, each to its recipient's streams that follow their notifications and
     * opened before it was announced. No `id:` line: a resume replays domain events only.
     */
    deliverNotifications(
      news: { n: NotificationNews; seq: number }[],
      handleOf: (communeId: string) => string | undefined,
    ): void {
      for (const { n, seq } of news) {
        const to = [...(byKey.get(key.notifications(n.recipientId)) ?? [])].filter(
          (c) => c.since < seq,
        );
        if (to.length === 0) continue;
        const handle = n.communeId === null ? null : (handleOf(n.communeId) ?? null);
        const text = frame('notification', notificationData(n, handle));
        for (const c of to) c.send(text);
        stats.sent += to.length;
      }
    },

    /** Tells every follower to reload (announcements may have been lost meanwhile). */
    refreshAll(): void {
      const text = frame('refresh', { type: 'refresh', commune: null });
      for (const c of all) c.send(text);
    },

    closeAll(): void {
      for (const c of [...all]) c.close();
    },
  };
}
export type LiveHub = ReturnType<typeof liveHub>;
