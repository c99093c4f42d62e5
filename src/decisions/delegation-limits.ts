// Caps and pages for delegations. Pure: the service and repository apply them.
import { z } from 'zod';

/** Topic delegations one member may keep in a commune (general delegation not counted). */
export const MAX_TOPIC_DELEGATIONS = 50;

/** Where a page of delegations ends: the last delegator's handle and topic ('' for general). */
export type DelegationCursor = { from: string; topic: string };

export const encodeDelegationCursor = (c: DelegationCursor): string =>
  Buffer.from(JSON.stringify([c.from, c.topic])).toString('base64url');

export function decodeDelegationCursor(cursor: string): DelegationCursor | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(v) &&
      v.length === 2 &&
      typeof v[0] === 'string' &&
      typeof v[1] === 'string' &&
      !`${v[0]}${v[1]}`.includes('\u0000')
    )
      return { from: v[0], topic: v[1] };
  } catch {
    // not a cursor this list gave out
  }
  return undefined;
}

export const delegationsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  after: z
    .string()
    .max(200)
    .refine((s) => decodeDelegationCursor(s) !== undefined, 'not a cursor this list gave out')
    .optional(),
});
export type DelegationsQuery = z.infer<typeof delegationsQuery>;
