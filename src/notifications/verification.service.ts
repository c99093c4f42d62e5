// Verifying notification email addresses (docs/adr/0034): setting or changing an address sends
// a link; only a verified address receives notification email (email.service.ts checks).
import type { Deps } from '../deps.ts';
import { err, ok, type AppError, type Result } from '../shared/result.ts';
import type { Mailer } from './mailer.ts';
import { notificationsFail, type NotificationsErrorCode } from './notifications.errors.ts';
import { notificationsRepository } from './notifications.repository.ts';
import { recipientsView } from './recipients.view.ts';
import {
  TOKEN_FORMAT,
  VERIFICATION_TTL_MS,
  composeVerificationEmail,
  hashToken,
  newVerificationToken,
  sendingAllowed,
} from './verification.ts';
import { verificationRepository } from './verification.repository.ts';

type Refused = AppError<NotificationsErrorCode>;
export type VerificationState = { addressVerified: boolean; verificationSentAt: string | null };
export type Sent = { sentAt: string; expiresAt: string };

export function verificationService(deps: Deps, mailer: Mailer | null) {
  const repo = verificationRepository(deps.db);
  const now = () => deps.clock.now();
  const link = (token: string) =>
    `${deps.config.publicUrl}/verify-email?token=${encodeURIComponent(token)}`;

  /** Sends a new link to the address, replacing unused ones, within the sending limits. */
  async function send(accountId: string, address: string): Promise<Result<Sent, Refused>> {
    if (!mailer)
      return notificationsFail(
        'email_not_configured',
        'This server sends no email (no SMTP server is configured)',
      );
    const at = now();
    const day = new Date(at.getTime() - 86_400_000).toISOString();
    const allowed = sendingAllowed(
      (await repo.sentSince(accountId, day)).map((s) => new Date(s)),
      at,
    );
    if (!allowed.ok) {
      const refused = notificationsFail(
        'verification_too_soon',
        `Links went out a moment ago; you can ask for another in ${allowed.wait} seconds`,
        { details: { retryAfter: allowed.wait } },
      );
      return err({ ...refused.error, retryAfter: allowed.wait });
    }
    const token = newVerificationToken();
    const sent = {
      sentAt: at.toISOString(),
      expiresAt: new Date(at.getTime() + VERIFICATION_TTL_MS).toISOString(),
    };
    await deps.db.transaction().execute(async (tx) => {
      const r = verificationRepository(tx);
      await r.endUnused(accountId, sent.sentAt);
      await r.insert({
        token_hash: hashToken(token),
        account_id: accountId,
        address,
        created_at: sent.sentAt,
        expires_at: sent.expiresAt,
      });
    });
    const handle = (await recipientsView(deps.db).handleOf(accountId)) ?? 'you';
    try {
      await mailer.send(
        address,
        composeVerificationEmail({
          handle,
          link: link(token),
          hours: VERIFICATION_TTL_MS / 3_600_000,
        }),
      );
    } catch (e) {
      // Not sent: the link is gone too, and it does not count against the limits (the links
      // it replaced stay ended: the person asked for a new one).
      deps.logger.error({ err: e, account: accountId }, 'verification email failed');
      await repo.remove(hashToken(token));
      return notificationsFail(
        'email_not_sent',
        'The email server did not take the message; try again in a few minutes',
      );
    }
    return ok(sent);
  }

  return {
    /** An address was set or changed: a link goes out if it may (the state shows if not). */
    async addressChanged(accountId: string, address: string | null): Promise<void> {
      if (address === null) return;
      const r = await send(accountId, address);
      if (!r.ok && r.error.code !== 'email_not_configured')
        deps.logger.info({ account: accountId, code: r.error.code }, 'no verification link sent');
    },

    /** Another link, asked for from the settings page. */
    async resend(accountId: string): Promise<Result<Sent, Refused>> {
      const [s] = await notificationsRepository(deps.db).settingsOf([accountId]);
      if (!s?.address)
        return notificationsFail('email_address_missing', 'Set an email address first', {
          field: 'address',
        });
      if (s.address_verified_at !== null)
        return notificationsFail(
          'email_address_verified_already',
          'This address is verified already',
        );
      return send(accountId, s.address);
    },

    /** Follows a link: the address it was sent to is verified, once, before it expires. */
    async confirm(token: string): Promise<Result<{ address: string }, Refused>> {
      const unknown = () =>
        notificationsFail(
          'verification_link_unknown',
          'This verification link is not known or a newer one replaced it; ask for a new one in your notification settings',
        );
      if (!TOKEN_FORMAT.test(token)) return unknown();
      const hash = hashToken(token);
      const row = await repo.find(hash);
      if (!row || row.replaced_at !== null) return unknown();
      if (row.used_at !== null)
        return notificationsFail(
          'verification_link_used',
          'This verification link was used already',
        );
      const at = now().toISOString();
      if (row.expires_at <= at)
        return notificationsFail(
          'verification_link_expired',
          'This verification link has expired; ask for a new one in your notification settings',
        );
      const done = await deps.db.transaction().execute(async (tx) => {
        const r = verificationRepository(tx);
        if (!(await r.use(hash, at))) return 'used' as const;
        return (await r.markVerified(row.account_id, row.address, at)) ? 'ok' : 'changed';
      });
      if (done === 'used')
        return notificationsFail(
          'verification_link_used',
          'This verification link was used already',
        );
      if (done === 'changed')
        return notificationsFail(
          'verification_address_changed',
          'Your email address changed since this link was sent',
        );
      return ok({ address: row.address });
    },

    /** What the settings say about the address. */
    async stateOf(
      accountId: string,
      address: string | null,
      verifiedAt: string | null,
    ): Promise<VerificationState> {
      if (address === null) return { addressVerified: false, verificationSentAt: null };
      if (verifiedAt !== null) return { addressVerified: true, verificationSentAt: null };
      const p = await repo.pending(accountId, address, now().toISOString());
      return { addressVerified: false, verificationSentAt: p?.created_at ?? null };
    },
  };
}
export type VerificationService = ReturnType<typeof verificationService>;
