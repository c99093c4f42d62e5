import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { handleSchema } from '../identity/identity.ts';
import type { Result } from '../shared/result.ts';

export const CATEGORIES = ['social', 'political', 'religious', 'spiritual', 'other'] as const;
export const JOIN_POLICIES = ['open', 'application', 'invite'] as const;
export const VISIBILITIES = ['public', 'unlisted', 'private'] as const;
export const MAX_MEMBERS = 150;

export type Category = (typeof CATEGORIES)[number];
export type JoinPolicy = (typeof JOIN_POLICIES)[number];
export type Visibility = (typeof VISIBILITIES)[number];
export type Role = 'member' | 'steward';

const tag = z.string().trim().toLowerCase().min(1).max(40);

export const charterSchema = z.object({
  handle: handleSchema,
  name: z.string().trim().min(1).max(100),
  vision: z.string().trim().min(1).max(5000),
  category: z.enum(CATEGORIES),
  tags: z.array(tag).max(20).default([]),
  joinPolicy: z.enum(JOIN_POLICIES),
  visibility: z.enum(VISIBILITIES),
  maxMembers: z.number().int().min(2).max(MAX_MEMBERS, `must be at most ${MAX_MEMBERS}`).default(MAX_MEMBERS),
  agreements: z.array(z.string().trim().min(1).max(1000)).max(50).default([]),
});
export type Charter = z.infer<typeof charterSchema>;

export type Commune = Charter & { id: string; memberCount: number; createdAt: string };

/** What a caller may do in a commune; private communes resolve to not_found for outsiders. */
export type CommuneAccess = {
  communeId: string;
  handle: string;
  visibility: Visibility;
  role: Role | null;
};

export const canSee = (visibility: Visibility, role: Role | null): boolean => visibility !== 'private' || role !== null;

/** A transaction or the database itself; services pass it down so cross-context work commits as one. */
export type Executor = Kysely<Database>;

/**
 * Other contexts act inside the membership transaction (the ledger opens and freezes accounts).
 * A hook that returns an error aborts the change.
 */
export type MembershipHooks = {
  communeCreated?: (tx: Executor, communeId: string) => Promise<void>;
  memberJoined?: (tx: Executor, communeId: string, accountId: string) => Promise<void>;
  memberLeaving?: (tx: Executor, communeId: string, accountId: string) => Promise<Result<void>>;
};

export const INVITE_DAYS = 7;
