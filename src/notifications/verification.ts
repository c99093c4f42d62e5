// Verifying an email address, the pure part (docs/adr/0034): the link's token and its hash,
// the limits on sending links, and the email that carries one. No I/O.
import { createHash, randomBytes } from 'node:crypto';
import { escapeHtml } from '../shared/markdown.ts';
import type { Email } from './email.ts';

/** A link works this long, once. */
export const VERIFICATION_TTL_MS = 24 * 3_600_000;
/** At most one link a minute per person (a second click on "resend" sends nothing). */
export const RESEND_GAP_MS = 60_000;
/** At most this many links a day per person: an address cannot be bombarded through us. */
export const LINKS_PER_DAY = 5;

/** 32 random bytes, base64url: what the link carries (43 characters). */
export const newVerificationToken = (): string => randomBytes(32).toString('base64url');
export const TOKEN_FORMAT = /^[A-Za-z0-9_-]{43}$/;
/** Only this is stored: a leaked table verifies nothing. */
export const hashToken = (token: string): string =>
  createHash('sha256').update(token).digest('hex');

/**
 * Whether another link may go out now, given when the person's links of the last day went
 * (newest first): the seconds to wait otherwise.
 */
export function sendingAllowed(
  sentAt: Date[],
  now: Date,
): { ok: true } | { ok: false; wait: number } {
  const last = sentAt[0];
  if (last && now.getTime() - last.getTime() < RESEND_GAP_MS)
    return {
      ok: false,
      wait: Math.ceil((RESEND_GAP_MS - (now.getTime() - last.getTime())) / 1000),
    };
  if (sentAt.length >= LINKS_PER_DAY) {
    const oldest = sentAt[LINKS_PER_DAY - 1]!;
    const wait = oldest.getTime() + 86_400_000 - now.getTime();
    return { ok: false, wait: Math.max(1, Math.ceil(wait / 1000)) };
  }
  return { ok: true };
}

export function composeVerificationEmail(o: {
  handle: string;
  link: string;
  hours: number;
}): Email {
  const text = [
    `Hello @${o.handle},`,
    '',
    'Please confirm that this is your address for Commune notification email:',
    o.link,
    '',
    `The link works once, for ${o.hours} hours. If you did not ask for this, ignore this email:`,
    'nothing will be sent here.',
    '',
  ].join('\n');
  const html = [
    '<!doctype html><html><body>',
    `<p>Hello @${escapeHtml(o.handle)},</p>`,
    '<p>Please confirm that this is your address for Commune notification email:</p>',
    `<p><a href="${escapeHtml(o.link)}">Confirm my address</a></p>`,
    `<p>The link works once, for ${o.hours} hours. If you did not ask for this, ignore this ` +
      'email: nothing will be sent here.</p>',
    '</body></html>',
  ].join('\n');
  return { subject: 'Commune: confirm your email address', text, html, headers: {} };
}
