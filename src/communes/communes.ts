import { z } from 'zod';
import { storableText } from '../shared/text.ts';
import { newHandleSchema } from '../identity/identity.ts';

export const CATEGORIES = ['social', 'political', 'religious', 'spiritual', 'other'] as const;
export const JOIN_POLICIES = ['open', 'application', 'invite'] as const;
export const VISIBILITIES = ['public', 'unlisted', 'private'] as const;
export const MAX_MEMBERS = 150;

export type Category = (typeof CATEGORIES)[number];
export type JoinPolicy = (typeof JOIN_POLICIES)[number];
export type Visibility = (typeof VISIBILITIES)[number];
export type Role = 'member' | 'steward';

const text = storableText;
const tag = text().trim().toLowerCase().min(1).max(40);
const uniqueTags = (tags: string[]): string[] => [...new Set(tags)];

// Field rules shared by creation and amendment; defaults belong to creation only.
const charterFields = {
  name: text().trim().min(1).max(100),
  vision: text().trim().min(1).max(5000),
  category: z.enum(CATEGORIES),
  tags: z.array(tag).max(20).transform(uniqueTags),
  joinPolicy: z.enum(JOIN_POLICIES),
  visibility: z.enum(VISIBILITIES),
  maxMembers: z.number().int().min(2).max(MAX_MEMBERS, `must be at most ${MAX_MEMBERS}`),
  agreements: z.array(text().trim().min(1).max(1000)).max(50),
};

export const charterSchema = z.object({
  handle: newHandleSchema,
  ...charterFields,
  tags: charterFields.tags.default([]),
  maxMembers: charterFields.maxMembers.default(MAX_MEMBERS),
  agreements: charterFields.agreements.default([]),
});
export type Charter = z.infer<typeof charterSchema>;

/** A steward's (or later an amend_charter proposal's) change; the handle never changes. */
export const amendmentSchema = z
  .strictObject(charterFields)
  .partial()
  .refine(
    (a) => Object.values(a).some((v) => v !== undefined),
    'name at least one field to change',
  );
export type Amendment = z.infer<typeof amendmentSchema>;

/**
 * What a commune shows beyond its members. Charter, member list and discussions of a
 * visible commune are anyone's; the books (ledger) and named ballots are members' until a
 * change_governance decision opens them (ADR 0026).
 */
export type Disclosure = { books: boolean; ballots: boolean };
export const CLOSED: Disclosure = { books: false, ballots: false };

export type Commune = Charter & {
  id: string;
  memberCount: number;
  createdAt: string;
  openBooks: boolean;
  openBallots: boolean;
};

/** What a caller may do in a commune; private communes resolve to not_found for outsiders. */
export type CommuneAccess = {
  communeId: string;
  handle: string;
  visibility: Visibility;
  role: Role | null;
  /** What the commune opened to outsiders. */
  open: Disclosure;
};

export const canSee = (visibility: Visibility, role: Role | null): boolean =>
  visibility !== 'private' || role !== null;

/** A transaction or the database itself; services pass it down so cross-context work commits as one. */

export const INVITE_DAYS = 7;

export const applicationSchema = z.object({
  message: text().trim().max(2000).optional(),
  acceptAgreements: z.literal(true, 'must be true: joining means accepting the agreements'),
  inviteCode: z.string().min(1).max(100).optional(),
});
export type ApplicationInput = z.infer<typeof applicationSchema>;

export const communeListQuery = z.object({
  q: text().trim().max(100).optional(),
  tag: tag.optional(),
  category: z.enum(CATEGORIES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: text().max(400).optional(),
  // Never by size or activity: there is no sort by member count.
  sort: z
    .enum(['name', 'affinity'])
    .default('name')
    .meta({ description: 'By name, or by affinity (to `near`, else to the caller’s communes)' }),
  near: z
    .string()
    .regex(/^[a-z0-9_]{2,30}$/, 'a commune handle')
    .optional()
    .meta({ description: 'With sort=affinity: the commune whose affinity orders the list' }),
});
export type CommuneListQuery = z.infer<typeof communeListQuery>;

/** How near a commune is, in a list sorted by affinity. */
export type Nearness = { score: number; degree: number | null; reasons: string[] };

/** The commune as the API shows it; viewerRole tells the caller where they stand. */
export type CommuneView = Commune & { viewerRole: Role | null; affinity?: Nearness };

export type Member = { handle: string; displayName: string; role: Role; joinedAt: string };
export type PendingApplication = {
  id: string;
  handle: string;
  displayName: string;
  message: string;
  createdAt: string;
};
export type ApplicationDetails = {
  id: string;
  accountId: string;
  handle: string;
  message: string;
  status: 'pending' | 'approved' | 'rejected';
};
/** A member with their account id, for other contexts (decisions counts who may vote). */
export type RosterEntry = { id: string; handle: string; role: Role };
export type JoinStatus = 'member' | 'pending';

/**
 * What a request to join leads to. Admission is the members' decision by default: in an
 * application commune even an invited person applies (the invite only lets them in to
 * ask). A member's invite is the admission only where the commune chose invite-only
 * membership, and an open commune admits everyone.
 */
export function joinOutcome(
  policy: JoinPolicy,
  hasInvite: boolean,
): JoinStatus | 'invite_required' {
  if (policy === 'open') return 'member';
  if (policy === 'application') return 'pending';
  return hasInvite ? 'member' : 'invite_required';
}

/** After a steward leaves, a commune that still has members needs a new one (see membershipView.eldest). */
export const leavesStewardless = (stewardsLeft: number, membersLeft: number): boolean =>
  membersLeft > 0 && stewardsLeft === 0;

/** Private communes are hidden from outsiders; a valid invite is how an outsider finds one. */
export const isHiddenFrom = (
  visibility: Visibility,
  role: Role | null,
  holdsInvite = false,
): boolean => !canSee(visibility, role) && !holdsInvite;

export const inviteExpiry = (now: Date): Date => new Date(now.getTime() + INVITE_DAYS * 86_400_000);
