import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { waitFor } from './wait.ts';

export type Received = { to: string[]; raw: string };
export type LocalSmtp = Awaited<ReturnType<typeof localSmtp>>;

/** A local SMTP server on 127.0.0.1 that keeps what it receives. */
export async function localSmtp() {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        done();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { received, port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** A header of a raw message, unfolded. */
export const header = (raw: string, name: string) =>
  raw
    .split(/\r?\n\r?\n/)[0]!
    .replace(/\r?\n[ \t]+/g, ' ')
    .split(/\r?\n/)
    .find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`))
    ?.slice(name.length + 1)
    .trim();

/** The token of the verification link in the `n`th email (from 0) sent to `address`. */
export async function verificationToken(smtp: LocalSmtp, address: string, n = 0) {
  const mail = await waitFor(
    () => smtp.received.filter((m) => m.to.includes(address) && /confirm/i.test(m.raw))[n],
    { message: `verification email ${n} to ${address}` },
  );
  // Quoted-printable may fold the link; the plain-text part keeps the token on one line.
  const unfolded = mail.raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
  return /\/verify-email\?token=([A-Za-z0-9_-]{43})/.exec(unfolded)![1]!;
}

/** The configuration that sends the app's mail to `smtp`, with links to a fixed public URL. */
export const smtpEnv = (smtp: LocalSmtp): Record<string, string> => ({
  SMTP_HOST: '127.0.0.1',
  SMTP_PORT: String(smtp.port),
  SMTP_FROM: 'commune@example.org',
  PUBLIC_URL: 'https://commune.example',
});
