// Sending email: the one side effect outside the database, behind this small port so that
// the rest of the context never sees nodemailer.
import nodemailer from 'nodemailer';
import type { SmtpConfig } from '../config.ts';
import type { Email } from './email.ts';

export type Mailer = { send(to: string, email: Email): Promise<void> };

export function smtpMailer(config: SmtpConfig): Mailer {
  const transport = nodemailer.createTransport({
    host: config.host,
    port: config.port,
    secure: config.secure,
    ...(config.user !== null ? { auth: { user: config.user, pass: config.password ?? '' } } : {}),
    // A slow or silent server fails the job (retried later) instead of holding it.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  return {
    async send(to, email) {
      await transport.sendMail({
        from: config.from,
        to,
        subject: email.subject,
        text: email.text,
        html: email.html,
        headers: email.headers,
      });
    },
  };
}
