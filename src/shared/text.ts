import { z } from 'zod';

/** PostgreSQL text cannot hold NUL, and lone surrogates would be silently replaced: refuse both up front. */
export const isStorableText = (s: string): boolean => s.isWellFormed() && !s.includes('\u0000');
export const STORABLE_TEXT_MESSAGE = 'must be valid Unicode text without NUL characters';

/** A string every database stores exactly as given; use it for every free-text field. */
export const storableText = () => z.string().refine(isStorableText, STORABLE_TEXT_MESSAGE);
