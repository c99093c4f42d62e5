import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from './config.ts';

describe('config', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({});
    assert.deepEqual(c, {
      ok: true,
      value: {
        port: 3000,
        databaseUrl: 'sqlite:./data/commune.db',
        publicUrl: 'http://localhost:3000',
        logLevel: 'info',
        signUpsPerHour: 5,
        timeouts: { requestMs: 30_000, headersMs: 10_000, keepAliveMs: 5_000 },
        files: { dir: './data/files', maxPerItem: 10, maxBytes: 10 * 1024 * 1024 },
        smtp: null,
        live: {
          maxConnections: 2000,
          maxPerPerson: 16,
          bufferBytes: 65_536,
          heartbeatMs: 25_000,
          lifetimeMs: 900_000,
        },
      },
    });
  });
  it('refuses a live updates limit that is not a positive whole number', () => {
    for (const [variable, value] of [
      ['LIVE_MAX_CONNECTIONS', '0'],
      ['LIVE_BUFFER_BYTES', 'lots'],
      ['LIVE_HEARTBEAT_MS', '-5'],
    ] as const) {
      const c = loadConfig({ [variable]: value });
      assert.equal(c.ok, false);
      assert.equal(!c.ok && c.error.variable, variable);
    }
  });
  it('derives PUBLIC_URL from PORT and trims its slash', () => {
    const c = loadConfig({ PORT: '8080' });
    assert.equal(c.ok && c.value.publicUrl, 'http://localhost:8080');
    const d = loadConfig({ PUBLIC_URL: 'https://commune.example/' });
    assert.equal(d.ok && d.value.publicUrl, 'https://commune.example');
  });
  it('reads the server time-outs', () => {
    const c = loadConfig({
      REQUEST_TIMEOUT_MS: '2000',
      HEADERS_TIMEOUT_MS: '1000',
      KEEP_ALIVE_TIMEOUT_MS: '500',
    });
    assert.deepEqual(c.ok && c.value.timeouts, {
      requestMs: 2000,
      headersMs: 1000,
      keepAliveMs: 500,
    });
  });
  it('reads the file limits and folder', () => {
    const c = loadConfig({
      FILES_DIR: '/srv/files',
      ITEM_FILES_MAX: '3',
      ITEM_FILE_MAX_BYTES: '1000',
    });
    assert.deepEqual(c.ok && c.value.files, { dir: '/srv/files', maxPerItem: 3, maxBytes: 1000 });
  });
  it('rejects bad values by name', () => {
    const bad = [
      { PORT: 'abc' },
      { PORT: '70000' },
      { DATABASE_URL: 'mysql://x' },
      { PUBLIC_URL: 'not a url' },
      { SIGN_UPS_PER_HOUR: '0' },
      { SIGN_UPS_PER_HOUR: 'many' },
      { REQUEST_TIMEOUT_MS: '0' },
      { HEADERS_TIMEOUT_MS: 'soon' },
      { KEEP_ALIVE_TIMEOUT_MS: '1.5' },
      { HEADERS_TIMEOUT_MS: '60000' },
      { FILES_DIR: ' ' },
      { ITEM_FILES_MAX: '0' },
      { ITEM_FILES_MAX: 'ten' },
      { ITEM_FILE_MAX_BYTES: '-1' },
      { ITEM_FILE_MAX_BYTES: String(2 * 1024 * 1024 * 1024) },
    ];
    for (const env of bad) {
      const c = loadConfig(env);
      assert.equal(c.ok, false);
      if (!c.ok) assert.equal(c.error.variable, Object.keys(env)[0]);
    }
  });
  it('reads SMTP settings; without SMTP_HOST there is no email', () => {
    const c = loadConfig({
      SMTP_HOST: 'mail.example.org',
      SMTP_PORT: '2525',
      SMTP_USER: 'me',
      SMTP_PASSWORD: 'secret',
      SMTP_FROM: 'commune@example.org',
    });
    assert.deepEqual(c.ok && c.value.smtp, {
      host: 'mail.example.org',
      port: 2525,
      secure: false,
      user: 'me',
      password: 'secret',
      from: 'commune@example.org',
    });
    const tls = loadConfig({ SMTP_HOST: '127.0.0.1', SMTP_SECURE: 'true', SMTP_FROM: 'a@b.org' });
    assert.equal(tls.ok && tls.value.smtp?.port, 465);
  });
  it('refuses oversized or malformed SMTP settings by name, with a message', () => {
    const from = { SMTP_FROM: 'commune@example.org' };
    const bad: [Record<string, string>, string][] = [
      [{ SMTP_HOST: 'x'.repeat(5000), ...from }, 'SMTP_HOST'],
      [{ SMTP_HOST: 'mail example', ...from }, 'SMTP_HOST'],
      [{ SMTP_HOST: 'mail.example.org', SMTP_PORT: '0', ...from }, 'SMTP_PORT'],
      [{ SMTP_HOST: 'mail.example.org', SMTP_PORT: 'smtp', ...from }, 'SMTP_PORT'],
      [{ SMTP_HOST: 'mail.example.org', SMTP_SECURE: 'yes', ...from }, 'SMTP_SECURE'],
      [{ SMTP_HOST: 'mail.example.org', SMTP_USER: 'me', ...from }, 'SMTP_PASSWORD'],
      [{ SMTP_HOST: 'mail.example.org' }, 'SMTP_FROM'],
      [{ SMTP_HOST: 'mail.example.org', SMTP_FROM: 'nobody' }, 'SMTP_FROM'],
      [
        { SMTP_HOST: 'mail.example.org', SMTP_PASSWORD: 'p'.repeat(2000), ...from },
        'SMTP_PASSWORD',
      ],
      [{ SMTP_PORT: '25' }, 'SMTP_HOST'],
    ];
    for (const [env, variable] of bad) {
      const c = loadConfig(env);
      assert.equal(c.ok, false, JSON.stringify(env).slice(0, 80));
      if (!c.ok) {
        assert.equal(c.error.variable, variable, JSON.stringify(env).slice(0, 80));
        assert.ok(c.error.message.length < 300, 'the message does not echo a huge value');
      }
    }
  });
});
