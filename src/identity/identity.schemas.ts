import { z } from 'zod';

// What the identity routes answer, as the OpenAPI document and the web app see it.

export const accountSchema = z
  .object({ id: z.string(), handle: z.string(), displayName: z.string() })
  .meta({ id: 'Account' });

export const sessionSchema = z
  .object({
    token: z.string().meta({ description: 'The bearer token; the cookie carries the same' }),
    csrfToken: z.string().meta({ description: 'Send as X-CSRF-Token on cookie-signed writes' }),
    account: accountSchema,
  })
  .meta({ id: 'Session' });

export const meSchema = z
  .object({
    id: z.string(),
    handle: z.string(),
    displayName: z.string(),
    communes: z.array(
      z.object({ handle: z.string(), role: z.enum(['member', 'steward']) }).meta({
        id: 'MembershipSummary',
      }),
    ),
    csrfToken: z.string().meta({ description: 'The session’s CSRF token, for a page reload' }),
  })
  .meta({ id: 'Me' });

export const sessionInfoSchema = z
  .object({
    id: z.string(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    expiresAt: z.string(),
    userAgent: z.string().nullable(),
    current: z.boolean().meta({ description: 'The session this request came with' }),
  })
  .meta({ id: 'SessionInfo' });

export const sessionPageSchema = z
  .object({ items: z.array(sessionInfoSchema), next: z.string().nullable() })
  .meta({ id: 'SessionPage' });

export const sessionParams = z.object({
  id: z.string().meta({ description: 'A session’s id, as GET /me/sessions lists it' }),
});
