import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { manualClock } from '../communes/communes.fixtures.ts';
import { availableDatabases } from '../db/testing.ts';
import { communeOf, crew, jobsOf } from '../decisions/decisions.fixtures.ts';
import {
  header,
  localSmtp,
  smtpEnv,
  verificationToken,
  type LocalSmtp,
} from '../../test/support/smtp.ts';
import { waitFor } from '../../test/support/wait.ts';
import { emailService } from './email.service.ts';
import { smtpMailer } from './mailer.ts';

for (const { kind, skip } of await availableDatabases()) {
  describe(`notification email through a local SMTP server on ${kind}`, { skip }, () => {
    let t: TestApp;
    let smtp: LocalSmtp;
    const clock = manualClock();
    const c = crew();
    before(async () => {
      smtp = await localSmtp();
      t = await startTestApp(kind, {
        clock,
        env: smtpEnv(smtp),
      });
      await communeOf(t, c, 'mail', ['ada', 'bob']);
    });
    after(async () => {
      await t.close();
      await smtp.close();
    });

    const mention = async (body: string) => {
      const r = await t.post(
        '/api/v1/communes/mail/threads',
        { title: 'Hello', body },
        c.tok('ada'),
      );
      assert.equal(r.status, 201, JSON.stringify(r.body));
    };
    const drain = async () => {
      await jobsOf(t).drain();
      await jobsOf(t).drain();
    };

    it('immediate: a mention reaches its person once, text and HTML, with one-click unsubscribe', async () => {
      const set = await t.put(
        '/api/v1/me/notification-settings',
        { email: 'immediate', address: 'bob@example.org' },
        c.tok('bob'),
      );
      assert.equal(set.status, 200, JSON.stringify(set.body));
      // Only a verified address gets notification email (verification.test.ts).
      const token = await verificationToken(smtp, 'bob@example.org');
      const verified = await t.post('/api/v1/verify-email', { token });
      assert.equal(verified.status, 200, JSON.stringify(verified.body));
      const base = smtp.received.length;
      await mention('Look @bob');
      await drain();
      await waitFor(() => smtp.received.length >= base + 1, { message: 'the email' });
      await drain();
      assert.equal(smtp.received.length, base + 1, 'one email for one notification');
      const mail = smtp.received[base]!;
      assert.deepEqual(mail.to, ['bob@example.org']);
      assert.match(mail.raw, /text\/plain/);
      assert.match(mail.raw, /text\/html/);
      assert.doesNotMatch(mail.raw, /<img/i, 'no tracking pixels, no images at all');
      assert.match(header(mail.raw, 'Subject') ?? '', /mentioned/);
      const list = header(mail.raw, 'List-Unsubscribe') ?? '';
      assert.match(list, /^<https:\/\/commune\.example\/api\/v1\/unsubscribe\?token=[\w-]+>$/);
      assert.equal(header(mail.raw, 'List-Unsubscribe-Post'), 'List-Unsubscribe=One-Click');
      // One click, as a mail client sends it: a form POST, no session.
      const url = new URL(list.slice(1, -1));
      const r = await t.app.request(`${url.pathname}${url.search}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
      assert.equal(r.status, 204);
      const now = await t.get('/api/v1/me/notification-settings', c.tok('bob'));
      assert.equal(now.body.email, 'none');
      await mention('Again @bob');
      await drain();
      assert.equal(smtp.received.length, base + 1, 'unsubscribed: no more email');
    });

    it('an unknown or malformed unsubscribe link is a 404 or 400 with a code', async () => {
      const unknown = await t.post('/api/v1/unsubscribe?token=abcdefghijklmnop', undefined);
      assert.deepEqual(
        [unknown.status, unknown.body.error.code],
        [404, 'unsubscribe_link_unknown'],
      );
      const missing = await t.post('/api/v1/unsubscribe', undefined);
      assert.equal(missing.status, 400);
      assert.ok(missing.body.error.code);
    });

    it('daily: at most one digest a day, even when two senders run at once', async () => {
      const set = await t.put(
        '/api/v1/me/notification-settings',
        { email: 'daily', address: 'bob@example.org' },
        c.tok('bob'),
      );
      assert.equal(set.status, 200, JSON.stringify(set.body));
      const before = smtp.received.length;
      await mention('One @bob');
      await mention('Two @bob');
      await mention('Three @bob');
      await drain();
      // Two processes' senders, each with its own transport, at the same moment.
      const senders = [0, 1].map(() => emailService(t.deps, smtpMailer(t.deps.config.smtp!)));
      const sent = await Promise.all(senders.map((s) => s.sendDigests()));
      assert.equal(sent[0]! + sent[1]!, 1);
      assert.equal(smtp.received.length, before + 1);
      const digest = smtp.received.at(-1)!;
      assert.match(header(digest.raw, 'Subject') ?? '', /notifications for @bob/);
      // Everything unemailed was in it (the earlier "Again" too): nothing is left to send.
      await mention('Four @bob');
      await drain();
      assert.equal(await senders[0]!.sendDigests(), 0, 'the day is not over');
      clock.advance(25 * 3_600_000);
      assert.equal(await senders[1]!.sendDigests(), 1, 'the next day, the next digest');
      assert.equal(await senders[0]!.sendDigests(), 0);
      assert.equal(smtp.received.length, before + 2);
    });
  });
}
