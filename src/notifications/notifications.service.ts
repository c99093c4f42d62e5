import { randomBytes } from 'node:crypto';
import type { Deps } from '../deps.ts';
import { compileFilters, type FilterKind } from '../discussions/filters.ts';
import type { Executor } from '../db/transaction.ts';
import { isUuid, newId } from '../shared/ids.ts';
import type { Page } from '../shared/pagination.ts';
import { ok, type AppError, type Result } from '../shared/result.ts';
import { notificationsFail, type NotificationsErrorCode } from './notifications.errors.ts';
import {
  notificationsRepository,
  type NewNotification,
  type NotificationRow,
} from './notifications.repository.ts';
import {
  DEFAULT_EMAIL,
  DEFAULT_LEVEL,
  filteredOut,
  isImportant,
  levelAllows,
  type Draft,
  type EmailMode,
  type Level,
  type Notification,
  type NotificationKind,
  type Settings,
  type SettingsInput,
} from './notifications.ts';
import { communeNames, recipientsView } from './recipients.view.ts';
import type { VerificationService } from './verification.service.ts';
import { verificationRepository } from './verification.repository.ts';

type Refused = AppError<NotificationsErrorCode>;
export const newUnsubscribeToken = (): string => randomBytes(24).toString('base64url');

export const toNotification = (r: NotificationRow, commune: string | null): Notification => ({
  id: r.id,
  kind: r.kind as NotificationKind,
  important: r.important === 1,
  subject: { id: r.subject_id, summary: r.summary, link: r.link, actor: r.actor_handle },
  commune,
  createdAt: r.created_at,
  readAt: r.read_at,
});

/** A notification made: who wants it emailed at once (the email job's key is its id). */
export type Made = { id: string; recipientId: string; immediate: boolean };

export function notificationsService(
  deps: Deps,
  verification: Pick<VerificationService, 'addressChanged' | 'stateOf'>,
  /**
   * SQLite: hands the ids of new notifications to live updates, inside the transaction that
   * made them (PostgreSQL's trigger announces them at commit, migration 0026).
   */
  announce?: (ids: string[]) => void,
) {
  const now = () => deps.clock.now().toISOString();
  const repo = (ex: Executor = deps.db) => notificationsRepository(ex);

  /**
   * Makes the notifications of events in the subscriber's transaction: each recipient's
   * level (per commune, else their own) and filters decide; the unique (recipient, event,
   * kind) leaves a repeated delivery without effect. Several events share each read and
   * the insert (a delivery batch, ADR 0033); what was made comes back per event.
   */
  async function recordMany(
    tx: Executor,
    events: { eventId: string; drafts: Draft[] }[],
  ): Promise<Made[][]> {
    const all = events.flatMap((e) => e.drafts.map((d) => ({ eventId: e.eventId, d })));
    if (all.length === 0) return events.map(() => []);
    const r = repo(tx);
    const people = [...new Set(all.map(({ d }) => d.recipientId))];
    const at = now();
    await r.ensureSettingsAll(
      people.map((p) => ({ accountId: p, token: newUnsubscribeToken() })),
      { level: DEFAULT_LEVEL, email: DEFAULT_EMAIL, at },
    );
    const settings = new Map((await r.settingsOf(people)).map((s) => [s.account_id, s]));
    const communeLevels = new Map<string, Level>();
    for (const communeId of new Set(all.flatMap(({ d }) => d.communeId ?? []))) {
      const told = new Set(
        all.filter(({ d }) => d.communeId === communeId).map(({ d }) => d.recipientId),
      );
      for (const c of await r.communeLevels([...told], communeId))
        communeLevels.set(`${communeId} ${c.account_id}`, c.level as Level);
    }
    const filterRows = await recipientsView(tx).filtersOf(people);
    const filters = new Map(
      people.map((p) => [
        p,
        compileFilters(
          filterRows
            .filter((f) => f.account_id === p)
            .map((f) => ({ kind: f.kind as FilterKind, value: f.value })),
        ),
      ]),
    );
    const rows: NewNotification[] = [];
    for (const { eventId, d } of all) {
      const level =
        communeLevels.get(`${d.communeId} ${d.recipientId}`) ??
        ((settings.get(d.recipientId)?.level ?? DEFAULT_LEVEL) as Level);
      if (!levelAllows(level, d)) continue;
      if (filteredOut(filters.get(d.recipientId)!, d)) continue;
      rows.push({
        id: newId(),
        recipient_id: d.recipientId,
        event_id: eventId,
        kind: d.kind,
        important: isImportant(d.kind, d.personal) ? 1 : 0,
        commune_id: d.communeId,
        subject_id: d.subjectId,
        actor_handle: d.actorHandle,
        summary: d.summary,
        link: d.link,
        created_at: at,
      });
    }
    const made = new Set(await r.insert(rows));
    if (announce && made.size > 0) announce([...made]);
    return events.map((e) =>
      rows
        .filter((row) => row.event_id === e.eventId && made.has(row.id))
        .map((row) => ({
          id: row.id,
          recipientId: row.recipient_id,
          immediate: settings.get(row.recipient_id)?.email === 'immediate',
        })),
    );
  }

  /** The notifications of one event (recordMany of one). */
  async function record(tx: Executor, eventId: string, drafts: Draft[]): Promise<Made[]> {
    return (await recordMany(tx, [{ eventId, drafts }]))[0]!;
  }

  async function settingsOf(accountId: string): Promise<Settings> {
    const [s] = await repo().settingsOf([accountId]);
    const levels = await repo().communeLevelsOf(accountId);
    const handles = await communeNames(deps.db).communeHandles(levels.map((l) => l.commune_id));
    const address = s?.address ?? null;
    return {
      level: (s?.level ?? DEFAULT_LEVEL) as Level,
      email: (s?.email ?? DEFAULT_EMAIL) as EmailMode,
      address,
      ...(await verification.stateOf(accountId, address, s?.address_verified_at ?? null)),
      communes: Object.fromEntries(
        levels
          .filter((l) => handles.has(l.commune_id))
          .map((l) => [handles.get(l.commune_id)!, l.level as Level]),
      ),
    };
  }

  return {
    record,
    recordMany,

    async list(
      accountId: string,
      q: { limit: number; before?: string; unread?: boolean; kinds?: string[] },
    ): Promise<Result<Page<Notification> & { unread: number }, Refused>> {
      if (q.before !== undefined && !isUuid(q.before))
        return notificationsFail(
          'notification_cursor_invalid',
          'before must be a notification id',
          {
            field: 'before',
          },
        );
      const rows = await repo().page(accountId, {
        limit: q.limit + 1,
        ...(q.before !== undefined ? { before: q.before.toLowerCase() } : {}),
        ...(q.unread ? { unread: true } : {}),
        ...(q.kinds ? { kinds: q.kinds } : {}),
      });
      const items = rows.slice(0, q.limit);
      const handles = await communeNames(deps.db).communeHandles(
        items.flatMap((r) => (r.commune_id === null ? [] : [r.commune_id])),
      );
      return ok({
        items: items.map((r) =>
          toNotification(r, r.commune_id === null ? null : (handles.get(r.commune_id) ?? null)),
        ),
        next: rows.length > q.limit ? items[items.length - 1]!.id : null,
        unread: await repo().unreadCount(accountId),
      });
    },

    /** Marks the given notifications read, or all of them; an id not the caller's is a 404. */
    async markRead(accountId: string, ids: string[] | undefined): Promise<Result<void, Refused>> {
      if (ids === undefined) {
        await repo().markRead(accountId, null, now());
        return ok(undefined);
      }
      const wanted = [...new Set(ids.map((i) => i.toLowerCase()))];
      const owned = wanted.every(isUuid) ? await repo().ownedOf(accountId, wanted) : new Set();
      const missing = wanted.find((i) => !owned.has(i));
      if (missing !== undefined)
        return notificationsFail('notification_not_found', `Notification ${missing} not found`, {
          details: { id: missing },
        });
      await repo().markRead(accountId, wanted, now());
      return ok(undefined);
    },

    settingsOf,

    async updateSettings(
      accountId: string,
      input: SettingsInput,
    ): Promise<Result<Settings, Refused>> {
      const handles = Object.keys(input.communes ?? {});
      const ids = await communeNames(deps.db).communeIds(handles);
      const unknown = handles.find((h) => !ids.has(h));
      if (unknown !== undefined)
        return notificationsFail('commune_unknown', `There is no commune @${unknown}`, {
          field: 'communes',
        });
      const changed = await deps.db.transaction().execute(async (tx) => {
        const r = repo(tx);
        const at = now();
        await r.ensureSettings(accountId, {
          level: DEFAULT_LEVEL,
          email: DEFAULT_EMAIL,
          token: newUnsubscribeToken(),
          at,
        });
        const [before] = await r.settingsOf([accountId]);
        // A new address is unverified until its link is followed (ADR 0034).
        const changed = input.address !== undefined && input.address !== before?.address;
        const change = {
          ...(input.level ? { level: input.level } : {}),
          ...(input.email ? { email: input.email } : {}),
          ...(changed ? { address: input.address, address_verified_at: null } : {}),
        };
        await r.updateSettings(accountId, change, at);
        if (changed) await verificationRepository(tx).endUnused(accountId, at);
        for (const [handle, level] of Object.entries(input.communes ?? {}))
          await r.setCommuneLevel(accountId, ids.get(handle)!, level);
        return changed;
      });
      if (changed) await verification.addressChanged(accountId, input.address ?? null);
      return ok(await settingsOf(accountId));
    },

    async unsubscribe(token: string): Promise<Result<void, Refused>> {
      if (!/^[A-Za-z0-9_-]{10,100}$/.test(token) || !(await repo().unsubscribe(token, now())))
        return notificationsFail('unsubscribe_link_unknown', 'This unsubscribe link is not known');
      return ok(undefined);
    },
  };
}
export type NotificationsService = ReturnType<typeof notificationsService>;
