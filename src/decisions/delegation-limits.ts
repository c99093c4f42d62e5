// Caps and pages for delegations. Pure: the service and repository apply them.
import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../shared/cursor.ts';

/** Topic delegations one member may keep in a commune (general delegation not counted). */
export const MAX_TOPIC_DELEGATIONS = 50;

/** Where a page of delegations ends: the last delegator's handle and topic ('' for general). */
export type DelegationCursor = { from: string; topic: string };

export const encodeDelegationCursor = (c: DelegationCursor): string =>
  encodeCursor([c.from, c.topic]);

export function decodeDelegationCursor(cursor: string): DelegationCursor | undefined {
  const parts = decodeCursor(cursor, 2);
  return parts && { from: parts[0], topic: parts[1] };
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
