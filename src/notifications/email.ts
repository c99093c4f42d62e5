// An email of notifications, composed without I/O: plain text and HTML with the same
// content, links to the web app, a one-click unsubscribe link, and no images at all (so no
// tracking pixels).
import { escapeHtml } from '../shared/markdown.ts';
import type { NotificationKind } from './notifications.ts';

export type EmailLine = {
  kind: NotificationKind;
  summary: string;
  link: string;
  commune: string | null;
};

export type Email = {
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
};

const LABEL: Record<NotificationKind, string> = {
  application: 'Application to review',
  proposal: 'New proposal',
  closing_soon: 'Closing within 24 hours, you have not voted',
  outcome: 'Outcome',
  payment: 'Payment received',
  thanks: 'Thanks',
  mention: 'You were mentioned',
  reply: 'Reply',
  alliance_request: 'Alliance request',
};

/** One line of text: no header injection through a summary. */
const oneLine = (s: string) => s.replace(/[\r\n\t]+/g, ' ').trim();

export function composeEmail(o: {
  handle: string;
  lines: EmailLine[];
  digest: boolean;
  publicUrl: string;
  /** The API address that unsubscribes on POST (List-Unsubscribe, RFC 8058). */
  unsubscribeApi: string;
  /** The page a person opens from the email to unsubscribe. */
  unsubscribePage: string;
}): Email {
  const first = o.lines[0];
  const subject = oneLine(
    o.digest || o.lines.length !== 1 || !first
      ? `Commune: ${o.lines.length} new notification${o.lines.length === 1 ? '' : 's'} for @${o.handle}`
      : `Commune: ${LABEL[first.kind]}: ${first.summary}`,
  ).slice(0, 200);
  const url = (link: string) => `${o.publicUrl}${link}`;
  const where = (l: EmailLine) => (l.commune ? ` (${l.commune})` : '');
  const text = [
    `Hello @${o.handle},`,
    '',
    ...o.lines.map((l) => `- ${LABEL[l.kind]}${where(l)}: ${oneLine(l.summary)}\n  ${url(l.link)}`),
    '',
    `All notifications: ${url('/notifications')}`,
    `Settings: ${url('/settings/notifications')}`,
    `Unsubscribe from these emails: ${o.unsubscribePage}`,
    '',
  ].join('\n');
  const html = [
    '<!doctype html><html><body>',
    `<p>Hello @${escapeHtml(o.handle)},</p>`,
    '<ul>',
    ...o.lines.map(
      (l) =>
        `<li><strong>${escapeHtml(LABEL[l.kind])}</strong>${escapeHtml(where(l))}: ` +
        `<a href="${escapeHtml(url(l.link))}">${escapeHtml(oneLine(l.summary))}</a></li>`,
    ),
    '</ul>',
    `<p><a href="${escapeHtml(url('/notifications'))}">All notifications</a> · ` +
      `<a href="${escapeHtml(url('/settings/notifications'))}">Settings</a> · ` +
      `<a href="${escapeHtml(o.unsubscribePage)}">Unsubscribe</a></p>`,
    '</body></html>',
  ].join('\n');
  return {
    subject,
    text,
    html,
    headers: {
      'List-Unsubscribe': `<${o.unsubscribeApi}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  };
}
