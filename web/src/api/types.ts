/** Shapes of the public API (see /api/openapi.json). Extra fields are ignored. */

export type Role = 'member' | 'steward';
export type Category = 'social' | 'political' | 'religious' | 'spiritual' | 'other';
export type JoinPolicy = 'open' | 'application' | 'invite';
export type Visibility = 'public' | 'unlisted' | 'private';

export const CATEGORIES: readonly Category[] = ['social', 'political', 'religious', 'spiritual', 'other'];
export const JOIN_POLICIES: readonly JoinPolicy[] = ['open', 'application', 'invite'];
export const VISIBILITIES: readonly Visibility[] = ['public', 'unlisted', 'private'];
export const MAX_MEMBERS = 150;

export type Page<T> = { items: T[]; next: string | null };

export type Me = { id: string; handle: string; displayName: string; communes: { handle: string; role: Role }[]; csrfToken?: string };
export type Account = { id: string; handle: string; displayName: string };
export type SessionCreated = { token: string; csrfToken: string; account?: Account };

export type Charter = {
  handle: string;
  name: string;
  vision: string;
  category: Category;
  tags: string[];
  joinPolicy: JoinPolicy;
  visibility: Visibility;
  maxMembers: number;
  agreements: string[];
};

export type Commune = Charter & { memberCount: number; createdAt: string; viewerRole?: Role | null };

export type Member = { handle: string; displayName: string; role: Role; joinedAt: string };

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

export type Thread = { id: string; title: string; body: string; html: string; author: PersonRef; createdAt: string; commune?: string };

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

export type FilterKind = 'word' | 'person' | 'thread' | 'commune';
export const FILTER_KINDS: readonly FilterKind[] = ['word', 'person', 'thread', 'commune'];
export type Filter = { id: string; kind: FilterKind; value: string; createdAt?: string };
