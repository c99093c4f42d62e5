// SQL on the notifications context's own tables.
import type { Executor } from '../db/transaction.ts';
import type { NotificationTable } from '../db/schema.notifications.ts';
import type { EmailMode, Level } from './notifications.ts';

export type NotificationRow = NotificationTable;
export type NewNotification = Omit<NotificationRow, 'read_at' | 'emailed_at'>;
export type SettingsRow = {
  account_id: string;
  level: string;
  email: string;
  address: string | null;
  unsubscribe_token: string;
  last_digest_at: string | null;
  address_verified_at: string | null;
};

export function notificationsRepository(db: Executor) {
  return {
    /** Inserts what is new; a (recipient, event, kind) made before is left alone. Returns the ids inserted. */
    /** Inserts notifications; returns the ids of those that were new (the others existed). */
    async insert(rows: NewNotification[]): Promise<string[]> {
      const made: string[] = [];
      // Thirteen parameters a row: chunks stay under SQLite's 32,766.
      for (let i = 0; i < rows.length; i += 1000) {
        const r = await db
          .insertInto('notifications')
          .values(
            rows.slice(i, i + 1000).map((row) => ({ ...row, read_at: null, emailed_at: null })),
          )
          .onConflict((oc) => oc.columns(['recipient_id', 'event_id', 'kind']).doNothing())
          .returning('id')
          .execute();
        for (const x of r) made.push(x.id);
      }
      return made;
    },

    /** Newest first; `before` is the id of the last one seen (ids are time-ordered). */
    async page(
      recipientId: string,
      o: { limit: number; before?: string; unread?: boolean; kinds?: string[] },
    ): Promise<NotificationRow[]> {
      let q = db
        .selectFrom('notifications')
        .selectAll()
        .where('recipient_id', '=', recipientId)
        .orderBy('id', 'desc')
        .limit(o.limit);
      if (o.before !== undefined) q = q.where('id', '<', o.before);
      if (o.unread) q = q.where('read_at', 'is', null);
      if (o.kinds) q = q.where('kind', 'in', o.kinds);
      return q.execute();
    },

    async unreadCount(recipientId: string): Promise<number> {
      const r = await db
        .selectFrom('notifications')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('recipient_id', '=', recipientId)
        .where('read_at', 'is', null)
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },

    /** Which of these ids are the recipient's own. */
    async ownedOf(recipientId: string, ids: string[]): Promise<Set<string>> {
      const rows = await db
        .selectFrom('notifications')
        .select('id')
        .where('recipient_id', '=', recipientId)
        .where('id', 'in', ids)
        .execute();
      return new Set(rows.map((r) => r.id));
    },

    async markRead(recipientId: string, ids: string[] | null, at: string): Promise<void> {
      let q = db
        .updateTable('notifications')
        .set({ read_at: at })
        .where('recipient_id', '=', recipientId)
        .where('read_at', 'is', null);
      if (ids !== null) q = q.where('id', 'in', ids);
      await q.execute();
    },

    async find(id: string): Promise<NotificationRow | undefined> {
      return db.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirst();
    },

    /**
     * Claims notifications for one email: those still unemailed get `at`. Only rows this call
     * changed are returned, so two processes claiming at once send each notification once.
     */
    async claimForEmail(
      recipientId: string,
      which: { ids: string[] } | { createdAfter: string },
      at: string,
    ) {
      let candidates = db
        .selectFrom('notifications')
        .select('id')
        .where('recipient_id', '=', recipientId)
        .where('emailed_at', 'is', null)
        .orderBy('id')
        .limit(200);
      candidates =
        'ids' in which
          ? candidates.where('id', 'in', which.ids)
          : candidates.where('created_at', '>', which.createdAfter);
      const wanted = (await candidates.execute()).map((r) => r.id);
      if (wanted.length === 0) return [];
      return db
        .updateTable('notifications')
        .set({ emailed_at: at })
        .where('id', 'in', wanted)
        .where('emailed_at', 'is', null)
        .returningAll()
        .execute();
    },

    /** Gives claimed notifications back when their email could not be sent. */
    async unclaim(ids: string[], at: string): Promise<void> {
      if (ids.length === 0) return;
      await db
        .updateTable('notifications')
        .set({ emailed_at: null })
        .where('id', 'in', ids)
        .where('emailed_at', '=', at)
        .execute();
    },

    /** People on a daily digest whose last digest is older than `since`, with something unemailed. */
    async dueForDigest(since: string, limit: number): Promise<string[]> {
      const rows = await db
        .selectFrom('notification_settings as s')
        .select('s.account_id')
        .where('s.email', '=', 'daily')
        .where('s.address', 'is not', null)
        .where('s.address_verified_at', 'is not', null)
        .where((eb) =>
          eb.or([eb('s.last_digest_at', 'is', null), eb('s.last_digest_at', '<=', since)]),
        )
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom('notifications as n')
              .select('n.id')
              .whereRef('n.recipient_id', '=', 's.account_id')
              .where('n.emailed_at', 'is', null),
          ),
        )
        .orderBy('s.account_id')
        .limit(limit)
        .execute();
      return rows.map((r) => r.account_id);
    },

    /** Takes the person's digest turn: true for the one caller that moved last_digest_at. */
    async takeDigestTurn(accountId: string, since: string, at: string): Promise<boolean> {
      const r = await db
        .updateTable('notification_settings')
        .set({ last_digest_at: at })
        .where('account_id', '=', accountId)
        .where((eb) => eb.or([eb('last_digest_at', 'is', null), eb('last_digest_at', '<=', since)]))
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },

    /** Gives the digest turn back when the digest could not be sent. */
    async releaseDigestTurn(accountId: string, at: string): Promise<void> {
      await db
        .updateTable('notification_settings')
        .set({ last_digest_at: null })
        .where('account_id', '=', accountId)
        .where('last_digest_at', '=', at)
        .execute();
    },

    async settingsOf(accountIds: string[]): Promise<SettingsRow[]> {
      if (accountIds.length === 0) return [];
      return db
        .selectFrom('notification_settings')
        .select([
          'account_id',
          'level',
          'email',
          'address',
          'unsubscribe_token',
          'last_digest_at',
          'address_verified_at',
        ])
        .where('account_id', 'in', accountIds)
        .execute();
    },

    async communeLevels(accountIds: string[], communeId: string) {
      if (accountIds.length === 0) return [];
      return db
        .selectFrom('notification_commune_settings')
        .select(['account_id', 'level'])
        .where('account_id', 'in', accountIds)
        .where('commune_id', '=', communeId)
        .execute();
    },

    async communeLevelsOf(accountId: string) {
      return db
        .selectFrom('notification_commune_settings')
        .select(['commune_id', 'level'])
        .where('account_id', '=', accountId)
        .execute();
    },

    /** Creates each person's settings row with the defaults when there is none, in one statement. */
    async ensureSettingsAll(
      people: { accountId: string; token: string }[],
      defaults: { level: Level; email: EmailMode; at: string },
    ): Promise<void> {
      for (let i = 0; i < people.length; i += 2000)
        await db
          .insertInto('notification_settings')
          .values(
            people.slice(i, i + 2000).map((p) => ({
              account_id: p.accountId,
              level: defaults.level,
              email: defaults.email,
              address: null,
              unsubscribe_token: p.token,
              last_digest_at: null,
              updated_at: defaults.at,
            })),
          )
          .onConflict((oc) => oc.column('account_id').doNothing())
          .execute();
    },

    /** Creates the person's settings row with the defaults when there is none. */
    async ensureSettings(
      accountId: string,
      defaults: { level: Level; email: EmailMode; token: string; at: string },
    ): Promise<void> {
      await db
        .insertInto('notification_settings')
        .values({
          account_id: accountId,
          level: defaults.level,
          email: defaults.email,
          address: null,
          unsubscribe_token: defaults.token,
          last_digest_at: null,
          updated_at: defaults.at,
        })
        .onConflict((oc) => oc.column('account_id').doNothing())
        .execute();
    },

    async updateSettings(
      accountId: string,
      change: {
        level?: Level;
        email?: EmailMode;
        address?: string | null;
        address_verified_at?: null;
      },
      at: string,
    ): Promise<void> {
      await db
        .updateTable('notification_settings')
        .set({ ...change, updated_at: at })
        .where('account_id', '=', accountId)
        .execute();
    },

    async setCommuneLevel(accountId: string, communeId: string, level: Level): Promise<void> {
      await db
        .insertInto('notification_commune_settings')
        .values({ account_id: accountId, commune_id: communeId, level })
        .onConflict((oc) => oc.columns(['account_id', 'commune_id']).doUpdateSet({ level }))
        .execute();
    },

    /** Unsubscribes the person the token belongs to; false for an unknown token. */
    async unsubscribe(token: string, at: string): Promise<boolean> {
      const r = await db
        .updateTable('notification_settings')
        .set({ email: 'none', updated_at: at })
        .where('unsubscribe_token', '=', token)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
  };
}
export type NotificationsRepository = ReturnType<typeof notificationsRepository>;
