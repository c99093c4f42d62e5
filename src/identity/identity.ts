import { z } from 'zod';
import { storableText } from '../shared/text.ts';

export const HANDLE_PATTERN = /^[a-z0-9_]{2,30}$/;
/** Words the API itself gives meaning to where a handle may stand (`to: "purse"`, `/members/me`). */
export const RESERVED_HANDLES: ReadonlySet<string> = new Set([
  'purse',
  'me',
  'system',
  'admin',
  'api',
  'commune',
]);
/** A handle as the API refers to one (`to: "purse"` is a handle-shaped word). */
export const handleSchema = z
  .string()
  .regex(HANDLE_PATTERN, 'must be 2–30 characters of a–z, 0–9 or _');
/** A handle someone is claiming for a new person or commune. */
export const newHandleSchema = handleSchema.refine((h) => !RESERVED_HANDLES.has(h), 'is reserved');

export const signUpSchema = z.object({
  handle: newHandleSchema,
  password: z.string().min(10, 'must be at least 10 characters').max(1000),
  displayName: storableText().trim().min(1).max(100).optional(),
});
export type SignUp = z.infer<typeof signUpSchema>;

export const signInSchema = z.object({
  handle: storableText().max(100),
  password: z.string().max(1000),
});

export const changePasswordSchema = z.object({
  current: z.string().max(1000),
  next: z.string().min(10, 'must be at least 10 characters').max(1000),
});

export type Account = { id: string; handle: string; displayName: string };
export type Viewer = Account & {
  csrfToken: string;
  via: 'bearer' | 'cookie';
  tokenHash: string;
  /** The session's public id, as GET /me/sessions shows it. */
  sessionId: string;
};

export const SESSION_DAYS = 30;
