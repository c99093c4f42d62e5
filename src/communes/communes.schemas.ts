import { z } from 'zod';
import { CATEGORIES, JOIN_POLICIES, VISIBILITIES } from './communes.ts';

// What the communes routes answer, as the OpenAPI document and the web app see it.

/** The `hidden` count every filtered list carries, as documented. */
export const HIDDEN_NOTE =
  'How many the caller’s own filters left out of this page (for a list counted once, on the ' +
  'first page); summed over the pages, how many the whole list hides';

const role = z.enum(['member', 'steward']);

export const communeParams = z.object({
  c: z.string().meta({ description: 'The commune’s handle' }),
});

export const communeSchema = z
  .object({
    id: z.string(),
    handle: z.string(),
    name: z.string(),
    vision: z.string(),
    category: z.enum(CATEGORIES),
    tags: z.array(z.string()),
    joinPolicy: z.enum(JOIN_POLICIES),
    visibility: z.enum(VISIBILITIES),
    maxMembers: z.number().int(),
    memberCount: z.number().int(),
    agreements: z.array(z.string()),
    visionHtml: z
      .string()
      .meta({ description: 'The vision as sanitized HTML, rendered like comments' }),
    agreementsHtml: z
      .array(z.string())
      .meta({ description: 'Each agreement as sanitized HTML, in the order of `agreements`' }),
    createdAt: z.string(),
    openBooks: z.boolean().meta({
      description: 'Outsiders may read the ledger (balances, statements, memos, transfers)',
    }),
    openBallots: z.boolean().meta({ description: 'Outsiders may see who voted what' }),
    viewerRole: role.nullable().meta({ description: 'Where the caller stands; null outside' }),
    affinity: z
      .object({
        score: z.number().min(0).max(1),
        degree: z.number().int().nullable(),
        reasons: z.array(z.string()),
      })
      .optional()
      .meta({ description: 'In a list sorted by affinity: how near, and why' }),
  })
  .meta({ id: 'Commune' });

export const communePageSchema = z
  .object({
    items: z.array(communeSchema),
    next: z.string().nullable(),
    hidden: z.number().int().min(0).meta({ description: HIDDEN_NOTE }),
  })
  .meta({ id: 'CommunePage' });

export const joinResultSchema = z
  .object({ id: z.string(), status: z.enum(['member', 'pending']) })
  .meta({ id: 'JoinResult' });

export const pendingApplicationSchema = z
  .object({
    id: z.string(),
    handle: z.string(),
    displayName: z.string(),
    message: z.string(),
    createdAt: z.string(),
  })
  .meta({ id: 'PendingApplication' });

export const pendingApplicationPageSchema = z
  .object({ items: z.array(pendingApplicationSchema), next: z.string().nullable() })
  .meta({ id: 'PendingApplicationPage' });

export const inviteSchema = z
  .object({ code: z.string(), expiresAt: z.string() })
  .meta({ id: 'Invite' });

export const memberSchema = z
  .object({ handle: z.string(), displayName: z.string(), role, joinedAt: z.string() })
  .meta({ id: 'Member' });
