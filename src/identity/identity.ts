import { z } from 'zod';
import { storableText } from '../shared/text.ts';

export const HANDLE_PATTERN = /^[a-z0-9_]{2,30}$/;
export const handleSchema = z.string().regex(HANDLE_PATTERN, 'must be 2–30 characters of a–z, 0–9 or _');

export const signUpSchema = z.object({
  handle: handleSchema,
  password: z.string().min(10, 'must be at least 10 characters').max(1000),
  displayName: storableText().trim().min(1).max(100).optional(),
});
export type SignUp = z.infer<typeof signUpSchema>;

export const signInSchema = z.object({
  handle: storableText().max(100),
  password: z.string().max(1000),
});

export type Account = { id: string; handle: string; displayName: string };
export type Viewer = Account & { csrfToken: string; via: 'bearer' | 'cookie'; tokenHash: string };

export const SESSION_DAYS = 30;

/** Sign-in throttling: failures counted over a window, per handle and per address. */
export const SIGN_IN_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_HANDLE = 5;
export const MAX_FAILURES_PER_ADDRESS = 20;

export const isThrottled = (failuresForHandle: number, failuresForAddress: number): boolean =>
  failuresForHandle >= MAX_FAILURES_PER_HANDLE || failuresForAddress >= MAX_FAILURES_PER_ADDRESS;
