// The server's own types where they are the same, imported as types only (erased from the bundle).
import type {
  Category,
  Charter,
  JoinPolicy,
  Member,
  Role,
  Visibility,
} from '../../../src/communes/communes.ts';
import type { FilterKind } from '../../../src/discussions/filters.ts';
import type { Account } from '../../../src/identity/identity.ts';
import type { Page } from '../../../src/shared/pagination.ts';

export type { Account, Category, Charter, FilterKind, JoinPolicy, Member, Page, Role, Visibility };

/** Shapes of the public API (see /api/openapi.json). Extra fields are ignored. */

export const CATEGORIES: readonly Category[] = [
  'social',
  'political',
  'religious',
  'spiritual',
  'other',
];
export const JOIN_POLICIES: readonly JoinPolicy[] = ['open', 'application', 'invite'];
export const VISIBILITIES: readonly Visibility[] = ['public', 'unlisted', 'private'];
export const MAX_MEMBERS = 150;

export type Me = {
  id: string;
  handle: string;
  displayName: string;
  communes: { handle: string; role: Role }[];
  csrfToken?: string;
};
/** One of the signed-in person's sessions (GET /me/sessions). */
export type SessionInfo = {
  id: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string;
  userAgent: string | null;
  current: boolean;
};
export type SessionCreated = { token: string; csrfToken: string; account?: Account };

export type Commune = Charter & {
  memberCount: number;
  createdAt: string;
  viewerRole?: Role | null;
};

/** A person as the server names them: a handle, or an object carrying one. */
export type PersonRef = string | { handle: string; displayName?: string | null } | null | undefined;

export type Application = {
  id: string;
  applicant?: PersonRef;
  handle?: string;
  displayName?: string;
  message?: string | null;
  status?: string;
  createdAt?: string;
};

export type JoinResult = { id: string; status: 'member' | 'pending' };
export type Invite = { code: string; expiresAt?: string };

export type Thread = {
  id: string;
  title: string;
  body: string;
  html: string;
  author: PersonRef;
  createdAt: string;
  commune?: string;
};

export type Comment = {
  id: string;
  body: string;
  html: string;
  author: PersonRef;
  inReplyTo: string | null;
  source: 'local' | 'fediverse';
  createdAt: string;
};

export type ThreadWithComments = { thread: Thread; comments: Comment[] };

export const FILTER_KINDS: readonly FilterKind[] = ['word', 'person', 'thread', 'commune'];
export type Filter = { id: string; kind: FilterKind; value: string; createdAt?: string };
