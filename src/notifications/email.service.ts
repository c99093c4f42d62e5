// Email of notifications: at once (one job per notification) or in a daily digest (one
// recurring job). Each notification is claimed (emailed_at) before its email is sent, and a
// digest takes the person's turn first, so two processes never send the same thing twice;
// a failed send gives both back and the job is retried.
import type { Deps } from '../deps.ts';
import { composeEmail, type EmailLine } from './email.ts';
import type { Mailer } from './mailer.ts';
import { notificationsRepository, type NotificationRow } from './notifications.repository.ts';
import type { NotificationKind } from './notifications.ts';
import { communeNames, recipientsView } from './recipients.view.ts';

export const EMAIL_NOW = 'notifications.email';
export const DAILY_DIGEST = 'notifications.daily_digest';
const DAY_MS = 86_400_000;
/** A digest never reaches back further than this (a person who just turned email on). */
const DIGEST_WINDOW_MS = 2 * DAY_MS;

export function emailService(deps: Deps, mailer: Mailer | null) {
  const repo = notificationsRepository(deps.db);
  const unsubscribeApi = (token: string) =>
    `${deps.config.publicUrl}/api/v1/unsubscribe?token=${encodeURIComponent(token)}`;
  const unsubscribePage = (token: string) =>
    `${deps.config.publicUrl}/unsubscribe?token=${encodeURIComponent(token)}`;

  async function send(
    accountId: string,
    address: string,
    token: string,
    rows: NotificationRow[],
    digest: boolean,
  ): Promise<void> {
    if (!mailer) return;
    const handle = (await recipientsView(deps.db).handleOf(accountId)) ?? 'you';
    const communes = await communeNames(deps.db).communeHandles(
      rows.flatMap((r) => (r.commune_id === null ? [] : [r.commune_id])),
    );
    const lines: EmailLine[] = [...rows]
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((r) => ({
        kind: r.kind as NotificationKind,
        summary: r.summary,
        link: r.link,
        commune: r.commune_id === null ? null : (communes.get(r.commune_id) ?? null),
      }));
    await mailer.send(
      address,
      composeEmail({
        handle,
        lines,
        digest,
        publicUrl: deps.config.publicUrl,
        unsubscribeApi: unsubscribeApi(token),
        unsubscribePage: unsubscribePage(token),
      }),
    );
  }

  return {
    /** The job of one notification for a person who wants email at once. */
    async sendNow(notificationId: string): Promise<void> {
      if (!mailer) return;
      const n = await repo.find(notificationId);
      if (!n) return;
      const [s] = await repo.settingsOf([n.recipient_id]);
      // An address nobody verified gets nothing but its verification link (ADR 0034).
      if (!s || s.email !== 'immediate' || s.address === null || s.address_verified_at === null)
        return;
      const at = deps.clock.now().toISOString();
      const claimed = await repo.claimForEmail(n.recipient_id, { ids: [n.id] }, at);
      if (claimed.length === 0) return;
      try {
        await send(n.recipient_id, s.address, s.unsubscribe_token, claimed, false);
      } catch (e) {
        await repo.unclaim(
          claimed.map((c) => c.id),
          at,
        );
        throw e;
      }
    },

    /** One digest email for each person on a daily digest whose day has come; returns how many went. */
    async sendDigests(): Promise<number> {
      if (!mailer) return 0;
      const nowDate = deps.clock.now();
      const at = nowDate.toISOString();
      const since = new Date(nowDate.getTime() - DAY_MS).toISOString();
      const window = new Date(nowDate.getTime() - DIGEST_WINDOW_MS).toISOString();
      let sent = 0;
      let failed: unknown = null;
      for (const accountId of await repo.dueForDigest(since, 500)) {
        const [s] = await repo.settingsOf([accountId]);
        if (!s || s.address === null || s.address_verified_at === null) continue;
        if (!(await repo.takeDigestTurn(accountId, since, at))) continue;
        const claimed = await repo.claimForEmail(accountId, { createdAfter: window }, at);
        if (claimed.length === 0) continue;
        try {
          await send(accountId, s.address, s.unsubscribe_token, claimed, true);
          sent += 1;
        } catch (e) {
          deps.logger.error({ err: e, account: accountId }, 'digest email failed');
          await repo.unclaim(
            claimed.map((c) => c.id),
            at,
          );
          await repo.releaseDigestTurn(accountId, at);
          failed = e;
        }
      }
      if (failed !== null) throw failed;
      return sent;
    },
  };
}
export type EmailService = ReturnType<typeof emailService>;
