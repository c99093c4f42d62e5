import { requireViewer, signedIn } from '../http/auth.ts';
import { declareRoute, jsonBody, jsonResponse, mount, openApiApp } from '../http/declare.ts';
import { respond, sendError } from '../http/errors.ts';
import {
  verificationSentSchema,
  verifiedSchema,
  verifyEmailSchema,
} from './notifications.schemas.ts';
import type { VerificationService } from './verification.service.ts';

const tag = 'notifications';

export const resendVerification = declareRoute({
  method: 'post',
  path: '/me/notification-settings/verification',
  operationId: 'resendEmailVerification',
  summary:
    'Send a new link to verify the notification email address (earlier links stop working); at most one a minute and five a day',
  tag,
  access: 'signed_in',
  responses: { 202: jsonResponse(verificationSentSchema, 'The link went out') },
  errors: [
    'email_address_missing',
    'email_address_verified_already',
    'email_not_configured',
    'email_not_sent',
    'verification_too_soon',
  ],
});

export const verifyEmail = declareRoute({
  method: 'post',
  path: '/verify-email',
  operationId: 'verifyEmail',
  summary:
    'Verify a notification email address with the token of the emailed link (once, within 24 hours); no sign-in needed',
  tag,
  access: 'public',
  request: { body: jsonBody(verifyEmailSchema) },
  responses: { 200: jsonResponse(verifiedSchema, 'The address is verified') },
  errors: [
    'verification_link_unknown',
    'verification_link_used',
    'verification_link_expired',
    'verification_address_changed',
  ],
});

export function verificationRoutes(verification: VerificationService) {
  const app = openApiApp();
  mount(app, resendVerification, [requireViewer], async (c) => {
    const r = await verification.resend(signedIn(c).id);
    return r.ok ? c.json(r.value, 202) : sendError(c, r.error);
  });
  mount(app, verifyEmail, [], async (c) =>
    respond(c, await verification.confirm(c.req.valid('json').token)),
  );
  return app;
}
