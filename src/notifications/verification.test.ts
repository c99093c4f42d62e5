import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { localSmtp, smtpEnv, verificationToken, type LocalSmtp } from '../../test/support/smtp.ts';
import { waitFor } from '../../test/support/wait.ts';
import { manualClock } from '../communes/communes.fixtures.ts';
import { availableDatabases } from '../db/testing.ts';
import { communeOf, crew, jobsOf } from '../decisions/decisions.fixtures.ts';
import { emailService } from './email.service.ts';
import { smtpMailer } from './mailer.ts';
import { hashToken } from './verification.ts';

const SETTINGS = '/api/v1/me/notification-settings';
const RESEND = '/api/v1/me/notification-settings/verification';

for (const { kind, skip } of await availableDatabases()) {
  describe(`email address verification through a local SMTP server on ${kind}`, { skip }, () => {
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
      await communeOf(t, c, 'verify', ['ada', 'bob', 'cat', 'dan']);
    });
    after(async () => {
      await t.close();
      await smtp.close();
    });

    const to = (address: string) => smtp.received.filter((m) => m.to.includes(address));
    const mention = async (who: string) => {
      const r = await t.post(
        '/api/v1/communes/verify/threads',
        { title: 'Hello', body: `Look @${who}` },
        c.tok('ada'),
      );
      assert.equal(r.status, 201, JSON.stringify(r.body));
      await jobsOf(t).drain();
      await jobsOf(t).drain();
    };

    it('a new address gets only its link until it is verified, then notification email', async () => {
      const set = await t.put(
        SETTINGS,
        { email: 'immediate', address: 'bob@example.org' },
        c.tok('bob'),
      );
      assert.equal(set.status, 200, JSON.stringify(set.body));
      assert.equal(set.body.addressVerified, false);
      assert.ok(set.body.verificationSentAt, 'the link went out');
      const token = await verificationToken(smtp, 'bob@example.org');
      const link = to('bob@example.org')[0]!;
      assert.match(link.raw, /https:\/\/commune\.example\/verify-email\?token=/);
      // Only the token's hash is kept.
      const rows = await t.deps.db.selectFrom('email_verifications').selectAll().execute();
      assert.ok(rows.every((r) => r.token_hash !== token));
      assert.ok(rows.some((r) => r.token_hash === hashToken(token)));

      await mention('bob');
      assert.equal(to('bob@example.org').length, 1, 'unverified: no notification email');

      const ok = await t.post('/api/v1/verify-email', { token });
      assert.deepEqual([ok.status, ok.body], [200, { address: 'bob@example.org' }]);
      const now = await t.get(SETTINGS, c.tok('bob'));
      assert.deepEqual([now.body.addressVerified, now.body.verificationSentAt], [true, null]);

      await mention('bob');
      await waitFor(() => to('bob@example.org').length === 2, { message: 'the mention email' });
      assert.match(to('bob@example.org')[1]!.raw, /mentioned/);

      const again = await t.post('/api/v1/verify-email', { token });
      assert.deepEqual([again.status, again.body.error.code], [409, 'verification_link_used']);
      const resend = await t.post(RESEND, undefined, c.tok('bob'));
      assert.deepEqual(
        [resend.status, resend.body.error.code],
        [409, 'email_address_verified_already'],
      );
    });

    it('the digest skips an unverified address too', async () => {
      const set = await t.put(
        SETTINGS,
        { email: 'daily', address: 'dan@example.org' },
        c.tok('dan'),
      );
      assert.equal(set.status, 200);
      await mention('dan');
      const sent = await emailService(t.deps, smtpMailer(t.deps.config.smtp!)).sendDigests();
      assert.equal(sent, 0);
      assert.equal(to('dan@example.org').length, 1, 'the link only');
    });

    it('garbage, unknown and expired links are clear 4xx answers', async () => {
      for (const body of [{ token: 'x' }, { token: 'A'.repeat(43) }]) {
        const r = await t.post('/api/v1/verify-email', body);
        assert.deepEqual([r.status, r.body.error.code], [404, 'verification_link_unknown']);
      }
      for (const body of [{}, { token: 'A'.repeat(201) }, { token: 'a', more: 1 }, 'nope']) {
        const r = await t.post('/api/v1/verify-email', body);
        assert.equal(r.status, 400, JSON.stringify(body));
        assert.ok(r.body.error.code);
      }
      await t.put(SETTINGS, { address: 'cat@example.org' }, c.tok('cat'));
      const token = await verificationToken(smtp, 'cat@example.org');
      clock.advance(24 * 3_600_000 + 1);
      const r = await t.post('/api/v1/verify-email', { token });
      assert.deepEqual([r.status, r.body.error.code], [422, 'verification_link_expired']);
      const s = await t.get(SETTINGS, c.tok('cat'));
      assert.deepEqual([s.body.addressVerified, s.body.verificationSentAt], [false, null]);
    });

    it('resending is limited; a new link or a new address ends the old link', async () => {
      assert.equal((await t.post(RESEND, undefined)).status, 401);
      const none = await t.post(RESEND, undefined, c.tok('ada'));
      assert.deepEqual([none.status, none.body.error.code], [422, 'email_address_missing']);

      clock.advance(61_000);
      const first = await t.post(RESEND, undefined, c.tok('cat'));
      assert.equal(first.status, 202, JSON.stringify(first.body));
      const old = await verificationToken(smtp, 'cat@example.org', 1);
      const soon = await t.post(RESEND, undefined, c.tok('cat'));
      assert.deepEqual([soon.status, soon.body.error.code], [429, 'verification_too_soon']);
      assert.ok(Number(soon.headers.get('retry-after')) > 0);

      clock.advance(61_000);
      assert.equal((await t.post(RESEND, undefined, c.tok('cat'))).status, 202);
      const newer = await verificationToken(smtp, 'cat@example.org', 2);
      const stale = await t.post('/api/v1/verify-email', { token: old });
      assert.deepEqual([stale.status, stale.body.error.code], [404, 'verification_link_unknown']);

      // A changed address: the pending link stops working, the new address gets its own.
      clock.advance(61_000);
      await t.put(SETTINGS, { address: 'cat@example.net' }, c.tok('cat'));
      const gone = await t.post('/api/v1/verify-email', { token: newer });
      assert.deepEqual([gone.status, gone.body.error.code], [404, 'verification_link_unknown']);
      const net = await verificationToken(smtp, 'cat@example.net');
      assert.equal((await t.post('/api/v1/verify-email', { token: net })).status, 200);

      // Five links a day at most, whatever asks for them (a changed address included).
      clock.advance(61_000);
      await t.put(SETTINGS, { address: 'cat@example.org' }, c.tok('cat'));
      clock.advance(61_000);
      assert.equal((await t.post(RESEND, undefined, c.tok('cat'))).status, 202, 'the fifth');
      clock.advance(61_000);
      const sent = to('cat@example.com').length;
      await t.put(SETTINGS, { address: 'cat@example.com' }, c.tok('cat'));
      assert.equal(to('cat@example.com').length, sent, 'a sixth link does not go out');
      const s = await t.get(SETTINGS, c.tok('cat'));
      assert.deepEqual([s.body.addressVerified, s.body.verificationSentAt], [false, null]);
      const capped = await t.post(RESEND, undefined, c.tok('cat'));
      assert.deepEqual([capped.status, capped.body.error.code], [429, 'verification_too_soon']);
      clock.advance(24 * 3_600_000);
      assert.equal((await t.post(RESEND, undefined, c.tok('cat'))).status, 202);
    });
  });
}

describe('email address verification without an SMTP server', () => {
  it('says so instead of pretending to send', async () => {
    const t = await startTestApp('sqlite');
    try {
      const tok = await t.person('eve');
      const set = await t.put(SETTINGS, { address: 'eve@example.org' }, tok);
      assert.deepEqual([set.status, set.body.verificationSentAt], [200, null]);
      const r = await t.post(RESEND, undefined, tok);
      assert.deepEqual([r.status, r.body.error.code], [422, 'email_not_configured']);
    } finally {
      await t.close();
    }
  });
});
