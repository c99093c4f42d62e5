import type { Envelope } from '../events/events.ts';
import {
  HEARTBEAT,
  coalesce,
  frame,
  key,
  notificationData,
  reaches,
  routeOf,
  standingKey,
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

/**
 * While events keep coming, streams are written once per window (ADR 0036): the first event
 * waits this many milliseconds for others, which go out with it in one write per stream.
 */
export const FLUSH_MS = 40;
/** After this long without a write, an event goes at once: a lone event waits for nothing. */
export const QUIET_MS = 4 * FLUSH_MS;

/** Where a stream's bytes go: the Node response (server) or a web stream (app.request). */
export type Sink = {
  write(chunk: Uint8Array): void;
  /** Bytes written but not yet taken by the client. */
  buffered(): number;
  /** Ends after what was written. */
  end(): void;
  /** Ends at once (a client that does not read). */
  destroy(): void;
};

/** What a delivery needs besides the events: what was read for them, and who hears them. */
export type Delivery = {
  proposalOfThread: (threadId: string) => string | null;
  handleOf: (communeId: string) => string | undefined;
  /** The announcement number of each event; a stream hears those after it opened. */
  seqOf: (eventId: string) => number;
  /** Only this stream (a replay after Last-Event-ID). */
  only?: LiveConnection;
};

type HubSide = {
  /** The stream has bytes waiting: write them on the next flush. */
  queue: (c: LiveConnection) => void;
  ended: (c: LiveConnection, dropped: boolean) => void;
};

/**
 * One follower's stream. Sends wait in memory until the hub's next flush (or until a sink is
 * attached) and go out as one write; a client whose unsent bytes pass the bound is dropped.
 */
export class LiveConnection {
  readonly grant: Grant;
  readonly openedAt = Date.now();
  /** The announcements made before it opened, which it does not hear of. */
  readonly since: number;
  /** By commune id: the kind of standing, so a delivery asks permit() once per kind. */
  readonly kinds: Map<string, string>;
  /** Subject keys (its own account, notifications, admissions): no standing needed. */
  readonly subjects: Set<string>;
  #sink: Sink | null = null;
  #pending: Uint8Array[] = [];
  #open = true;
  #closing = false;
  readonly #hub: HubSide;
  readonly #bufferBytes: number;

  constructor(grant: Grant, since: number, bufferBytes: number, hub: HubSide) {
    this.grant = grant;
    this.since = since;
    this.#bufferBytes = bufferBytes;
    this.#hub = hub;
    this.kinds = new Map([...grant.standings].map(([id, s]) => [id, standingKey(s)]));
    this.subjects = new Set(grant.keys.filter((k) => k.subject).map((k) => k.key));
  }

  get open(): boolean {
    return this.#open;
  }

  /** Queues bytes for the next flush. */
  send(chunk: Uint8Array): void {
    if (!this.#open || this.#closing) return;
    this.#pending.push(chunk);
    if (this.#pending.length === 1) this.#hub.queue(this);
  }

  /** Where the bytes go from now on; what waits goes at once. */
  attach(sink: Sink): void {
    this.#sink = sink;
    this.flush();
  }

  /** Writes what waits in one write, or drops the client if it stopped reading. */
  flush(): void {
    const sink = this.#sink;
    if (!sink || !this.#open) return;
    const pending = this.#pending;
    if (pending.length > 0) {
      this.#pending = [];
      if (sink.buffered() > this.#bufferBytes) {
        // The client stopped reading: drop it rather than hold its backlog.
        this.#end(true);
        sink.destroy();
        return;
      }
      sink.write(joined(pending));
    }
    if (this.#closing) {
      this.#end(false);
      sink.end();
    }
  }

  /** Ends the stream after what is queued (EventSource will reconnect). */
  close(): void {
    if (!this.#open || this.#closing) return;
    this.#closing = true;
    this.flush();
  }

  /** The client went away. */
  gone(): void {
    this.#pending = [];
    this.#end(false);
  }

  #end(dropped: boolean): void {
    if (!this.#open) return;
    this.#open = false;
    this.#hub.ended(this, dropped);
  }
}

const encoder = new TextEncoder();
/** Not Buffer.from: a web stream may hand its chunks' memory on, and Buffers share a pool. */
const bytes = (text: string): Uint8Array => encoder.encode(text);

function joined(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  let size = 0;
  for (const c of chunks) size += c.byteLength;
  const out = new Uint8Array(size);
  size = 0;
  for (const c of chunks) {
    out.set(c, size);
    size += c.byteLength;
  }
  return out;
}
const PING = bytes(HEARTBEAT);

/** The followers of this process, indexed by what they follow, and the fan-out to them. */
export function liveHub(limits: HubLimits) {
  const byKey = new Map<string, Set<LiveConnection>>();
  const byCommune = new Map<string, Set<LiveConnection>>();
  const byPerson = new Map<string, number>();
  const all = new Set<LiveConnection>();
  let heartbeat: NodeJS.Timeout | null = null;
  const stats = { opened: 0, dropped: 0, sent: 0, writes: 0 };

  // One flush for all streams: at once (after the current delivery) after a quiet spell, else
  // FLUSH_MS after the first send that waits. A window that starts at its first event takes
  // in more events per write than one that starts at the last write.
  let waiting = new Set<LiveConnection>();
  let scheduled = false;
  let lastFlush = -Infinity;
  const flushAll = () => {
    scheduled = false;
    lastFlush = performance.now();
    const list = waiting;
    waiting = new Set();
    for (const c of list) c.flush();
    stats.writes += list.size;
  };
  const side: HubSide = {
    queue(c) {
      waiting.add(c);
      if (scheduled) return;
      scheduled = true;
      if (performance.now() - lastFlush >= QUIET_MS) setImmediate(flushAll);
      else setTimeout(flushAll, FLUSH_MS);
    },
    ended,
  };

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
    waiting.delete(c);
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
      else c.send(PING);
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

    /** A new stream, `first` queued; its bytes go out once a sink is attached. */
    connect(grant: Grant, since: number, first: string): LiveConnection {
      const c = new LiveConnection(grant, since, limits.bufferBytes, side);
      all.add(c);
      stats.opened += 1;
      for (const k of grant.keys) add(byKey, k.key, c);
      for (const communeId of grant.standings.keys()) add(byCommune, communeId, c);
      if (grant.viewerId !== null)
        byPerson.set(grant.viewerId, (byPerson.get(grant.viewerId) ?? 0) + 1);
      c.send(bytes(first));
      if (!heartbeat) {
        heartbeat = setInterval(beat, limits.heartbeatMs);
        heartbeat.unref();
      }
      return c;
    },

    /**
     * Sends committed events to whoever may see them and heard of them after connecting.
     * Each message is encoded once and the same bytes go to every stream it reaches; permit()
     * runs once per kind of standing. Membership and charter events then end the affected
     * streams (after the whole delivery, so an applicant hears the outcome too): the clients
     * reconnect and are checked afresh.
     */
    deliver(envelopes: Envelope[], o: Delivery): void {
      const { single, refresh } = coalesce(envelopes);
      const toClose = new Set<LiveConnection>();
      for (const communeId of refresh) {
        const msg = bytes(
          frame('refresh', { type: 'refresh', commune: o.handleOf(communeId) ?? null }),
        );
        const seq = o.seqOf(envelopes.findLast((e) => e.event.communeId === communeId)!.id);
        for (const c of byCommune.get(communeId) ?? [])
          if ((!o.only || c === o.only) && c.since < seq) c.send(msg);
      }
      for (const e of single) {
        const ev = e.event;
        const route = routeOf(ev, 'threadId' in ev ? o.proposalOfThread(ev.threadId) : null);
        if (!route) continue;
        const seq = o.seqOf(e.id);
        const hears = (c: LiveConnection) => (!o.only || c === o.only) && c.since < seq;
        // Each side hears it under its standing there, as news of that commune.
        const sides: [string, string[]][] = [[ev.communeId, route.keys]];
        if (route.partner) sides.push([route.partner, [key.commune(route.partner)]]);
        const reached = new Set<LiveConnection>();
        for (const [communeId, keys] of sides) {
          const handle = o.handleOf(communeId);
          if (handle === undefined) continue;
          const allowed = new Map<string, boolean>();
          let msg: Uint8Array | null = null;
          for (const k of keys)
            for (const c of byKey.get(k) ?? []) {
              if (reached.has(c) || !hears(c)) continue;
              if (!c.subjects.has(k)) {
                const kind = c.kinds.get(communeId);
                if (kind === undefined) continue;
                let may = allowed.get(kind);
                if (may === undefined) {
                  may = reaches(c.grant, { subject: false }, communeId, route.need);
                  allowed.set(kind, may);
                }
                if (!may) continue;
              }
              msg ??= bytes(frame(ev.type, wireData(ev, handle), e.id));
              c.send(msg);
              reached.add(c);
              stats.sent += 1;
            }
        }
        if (o.only) continue;
        // Who may see what changed: those streams start again under the new rules.
        // Only streams opened before the change: a later one was checked under the new rules.
        const end = (c: LiveConnection) => {
          if (hears(c)) toClose.add(c);
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
        const msg = bytes(frame('notification', notificationData(n, handle)));
        for (const c of to) c.send(msg);
        stats.sent += to.length;
      }
    },

    /** Tells every follower to reload (announcements may have been lost meanwhile). */
    refreshAll(): void {
      const msg = bytes(frame('refresh', { type: 'refresh', commune: null }));
      for (const c of all) c.send(msg);
    },

    closeAll(): void {
      for (const c of [...all]) c.close();
    },
  };
}
export type LiveHub = ReturnType<typeof liveHub>;
