import type { Permitted } from '../communes/access.ts';
import type { CommunesService } from '../communes/communes.service.ts';
import type { Deps } from '../deps.ts';
import { eventsRepository } from '../events/events.repository.ts';
import type { Envelope } from '../events/events.ts';
import { isUuid } from '../shared/ids.ts';
import { err, ok, type AppError, type Result } from '../shared/result.ts';
import { liveHub, type HubLimits, type LiveConnection } from './hub.ts';
import { outboxListener, type OutboxListener } from './listener.ts';
import { liveFail } from './live.errors.ts';
import { NOTIFICATION_PREFIX, frame, key, type Grant, type Topic } from './live.ts';
import { liveView } from './live.view.ts';

type Access = Pick<CommunesService, 'permit' | 'permitById'>;

/** Events replayed to a client that resumes with Last-Event-ID; more: it is told to refresh. */
const REPLAY_MAX = 100;
/** Commune handles and threads' proposals, remembered between deliveries. */
const CACHE_MAX = 10_000;

const notFound = (code: 'thread_not_found' | 'proposal_not_found', what: string) =>
  err<AppError>({ type: 'not_found', code, message: `${what} not found` });

const standingOf = (p: Permitted) => ({
  visibility: p.visibility,
  role: p.role,
  signedIn: p.viewerId !== null,
  open: p.open,
  handle: p.handle,
});

/**
 * Live updates over Server-Sent Events (docs/adr/0028-live-updates.md). Followers are checked
 * by the one access rule when they connect; committed domain events are read back from the
 * outbox by id and sent to the followers who may see them. The ids come from PostgreSQL's
 * NOTIFY (every process hears every commit) or, on SQLite, from the event bus in-process.
 */
export function liveService(deps: Deps, communes: Access, limits: HubLimits) {
  const hub = liveHub(limits);
  const view = liveView(deps.db);
  const handles = new Map<string, string>();
  const threadProposals = new Map<string, string | null>();
  let pending: { id: string; seq: number }[] = [];
  /** Notifications announced (ADR 0034), delivered with the events of the same turn. */
  let pendingNotes: { id: string; seq: number }[] = [];
  /** Announcements so far: a stream hears only of those made after it opened. */
  let announced = 0;
  let flushing: Promise<void> | null = null;
  let listener: OutboxListener | null = null;

  const remember = <V>(m: Map<string, V>, k: string, v: V) => {
    if (m.size >= CACHE_MAX) m.delete(m.keys().next().value!);
    m.set(k, v);
  };

  /** Reads what routing needs for these events that is not remembered yet. */
  async function prepare(envelopes: Envelope[]): Promise<void> {
    const communeIds = [
      ...new Set(
        envelopes.flatMap((e) =>
          'partnerId' in e.event ? [e.event.communeId, e.event.partnerId] : [e.event.communeId],
        ),
      ),
    ].filter((id) => !handles.has(id));
    for (const [id, handle] of await view.handles(communeIds)) remember(handles, id, handle);
    const threads = [
      ...new Set(envelopes.flatMap((e) => ('threadId' in e.event ? [e.event.threadId] : []))),
    ].filter((id) => !threadProposals.has(id));
    const found = await view.proposalsOfThreads(threads);
    for (const id of threads) remember(threadProposals, id, found.get(id) ?? null);
  }

  async function deliver(
    envelopes: Envelope[],
    seqOf: (eventId: string) => number,
    only?: LiveConnection,
  ): Promise<void> {
    await prepare(envelopes);
    hub.deliver(envelopes, {
      proposalOfThread: (t) => threadProposals.get(t) ?? null,
      handleOf: (c) => handles.get(c),
      seqOf,
      ...(only ? { only } : {}),
    });
  }

  /** Reads announced notifications back and sends each to its recipient's streams. */
  async function deliverNotes(batch: { id: string; seq: number }[]): Promise<void> {
    const seqs = new Map(batch.map((a) => [a.id, a.seq]));
    const found = await view.notifications([...seqs.keys()]);
    const communeIds = [
      ...new Set(found.flatMap((n) => (n.communeId === null ? [] : [n.communeId]))),
    ].filter((id) => !handles.has(id));
    for (const [id, handle] of await view.handles(communeIds)) remember(handles, id, handle);
    hub.deliverNotifications(
      found.map((n) => ({ n, seq: seqs.get(n.id) ?? 0 })),
      (c) => handles.get(c),
    );
  }

  /** Reads announced events back (committed ones only: a rolled-back id finds nothing). */
  async function flush(): Promise<void> {
    while (pending.length > 0 || pendingNotes.length > 0) {
      const batch = pending;
      const notes = pendingNotes;
      pending = [];
      pendingNotes = [];
      if (hub.stats().connections === 0) continue;
      const seqs = new Map(batch.map((a) => [a.id, a.seq]));
      try {
        if (batch.length > 0) {
          const found = await eventsRepository(deps.db).findMany([...seqs.keys()]);
          await deliver(found, (id) => seqs.get(id) ?? 0);
        }
        if (notes.length > 0) await deliverNotes(notes);
      } catch (e) {
        deps.logger.error({ err: e }, 'live updates: delivery failed');
        hub.refreshAll();
      }
    }
    flushing = null;
  }

  /**
   * New event ids, committed or about to be, and new notifications as `n:<id>`; delivered
   * together on the next turn.
   */
  function announce(ids: string[]): void {
    for (const id of ids) {
      if (id.startsWith(NOTIFICATION_PREFIX)) {
        const n = id.slice(NOTIFICATION_PREFIX.length);
        if (isUuid(n)) pendingNotes.push({ id: n, seq: ++announced });
      } else if (isUuid(id)) pending.push({ id, seq: ++announced });
    }
    flushing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(flush);
  }

  /** On PostgreSQL, the first stream starts listening (nothing runs at import or creation). */
  async function listening(): Promise<void> {
    if (deps.dialect !== 'postgres' || !deps.listenClient) return;
    listener ??= outboxListener({
      connect: deps.listenClient,
      onIds: announce,
      onResumed: () => hub.refreshAll(),
      logger: deps.logger,
    });
    await listener.start();
  }

  async function grantFor(topic: Topic, viewerId: string | null): Promise<Result<Grant, AppError>> {
    const standings: Grant['standings'] = new Map();
    const enter = async (communeId: string): Promise<Result<Permitted, AppError>> => {
      const r = await communes.permitById(communeId, viewerId, 'visitor');
      if (r.ok) standings.set(communeId, standingOf(r.value));
      return r;
    };
    switch (topic.kind) {
      case 'thread': {
        const t = isUuid(topic.id) ? await view.thread(topic.id.toLowerCase()) : undefined;
        if (!t || !(await enter(t.communeId)).ok) return notFound('thread_not_found', 'Thread');
        return ok({
          viewerId,
          standings,
          keys: [{ key: key.thread(topic.id.toLowerCase()), subject: false }],
        });
      }
      case 'proposal': {
        const p = isUuid(topic.id) ? await view.proposal(topic.id.toLowerCase()) : undefined;
        if (!p || !(await enter(p.communeId)).ok) return notFound('proposal_not_found', 'Proposal');
        return ok({
          viewerId,
          standings,
          keys: [{ key: key.proposal(topic.id.toLowerCase()), subject: false }],
        });
      }
      case 'commune': {
        const r = await communes.permit(topic.handle, viewerId, 'visitor');
        if (!r.ok) return r;
        standings.set(r.value.communeId, standingOf(r.value));
        return ok({
          viewerId,
          standings,
          keys: [{ key: key.commune(r.value.communeId), subject: false }],
        });
      }
      case 'notifications': {
        if (viewerId === null)
          return liveFail('topic_required', 'Sign in to follow your notifications');
        return ok({
          viewerId,
          standings,
          keys: [{ key: key.notifications(viewerId), subject: true }],
        });
      }
      case 'home': {
        if (viewerId === null)
          return liveFail(
            'topic_required',
            'Sign in to follow what concerns you, or name a thread, proposal or commune to follow',
          );
        const keys: Grant['keys'] = [
          { key: key.account(viewerId), subject: true },
          { key: key.notifications(viewerId), subject: true },
        ];
        for (const communeId of await view.communesOf(viewerId))
          if ((await enter(communeId)).ok)
            keys.push({ key: key.commune(communeId), subject: false });
        // An applicant follows their own admission, wherever they stand in its commune.
        for (const a of await view.ownAdmissions(viewerId)) {
          keys.push({ key: key.proposal(a.id), subject: true });
          if (!standings.has(a.communeId)) await enter(a.communeId);
        }
        return ok({ viewerId, standings, keys });
      }
    }
  }

  /** Events after `lastEventId` the stream would have carried, or a refresh when too many. */
  async function resume(c: LiveConnection, lastEventId: string): Promise<void> {
    const events = eventsRepository(deps.db);
    const communeIds = [...c.grant.standings.keys()];
    const missed = isUuid(lastEventId)
      ? await events.after({ communeIds, id: lastEventId.toLowerCase(), limit: REPLAY_MAX + 1 })
      : [];
    const known = isUuid(lastEventId) && (await events.find(lastEventId.toLowerCase()));
    if (!known || missed.length > REPLAY_MAX)
      c.send(new TextEncoder().encode(frame('refresh', { type: 'refresh', commune: null })));
    else await deliver(missed, () => Infinity, c);
  }

  return {
    /** Checks the caller and opens their stream; errors come before any byte is sent. */
    async open(
      viewerId: string | null,
      topic: Topic,
      lastEventId?: string,
    ): Promise<Result<LiveConnection, AppError>> {
      const room = hub.admits(viewerId);
      if (room !== 'ok')
        return err({
          ...liveFail(
            'too_many_streams',
            room === 'person_full'
              ? `At most ${limits.maxPerPerson} live streams per person; close another tab`
              : 'This server follows as many live streams as it can; try again shortly',
          ).error,
          retryAfter: 5,
        });
      const grant = await grantFor(topic, viewerId);
      if (!grant.ok) return grant;
      await listening();
      const c = hub.connect(
        grant.value,
        announced,
        `retry: 2000\n${frame('ready', { type: 'ready', topic })}`,
      );
      if (lastEventId) await resume(c, lastEventId);
      return ok(c);
    },

    /** SQLite: the event bus hands each event id over inside its transaction. */
    announce,
    /** SQLite: the notifications context hands over the ids of those it made (in its transaction). */
    announceNotifications: (ids: string[]) => announce(ids.map((i) => NOTIFICATION_PREFIX + i)),

    stats: () => ({ ...hub.stats(), listening: listener?.listening ?? false }),
    /** Tests: the listener's backend, to end it and watch the reconnect. */
    listenerPid: () => listener?.backendPid() ?? Promise.resolve(null),

    /** Ends every stream and stops listening (before the server closes). */
    async close(): Promise<void> {
      hub.closeAll();
      await listener?.stop();
    },
  };
}
export type LiveService = ReturnType<typeof liveService>;
