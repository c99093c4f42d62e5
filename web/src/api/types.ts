// Shapes of what the API answers come from its OpenAPI document (npm run gen:api writes
// schema.gen.ts); a few request shapes are still the server's own types, imported as types.
import type { Charter } from '../../../src/communes/communes.ts';
import type { Page } from '../../../src/shared/pagination.ts';
import type { components } from './schema.gen.ts';

/** A schema of the OpenAPI document by name. */
export type Schema<N extends keyof components['schemas']> = components['schemas'][N];

export type Commune = Schema<'Commune'>;
export type Member = Schema<'Member'>;
export type JoinResult = Schema<'JoinResult'>;
export type Invite = Schema<'Invite'>;
export type Account = Schema<'Account'>;
export type Category = Commune['category'];
export type JoinPolicy = Commune['joinPolicy'];
export type Visibility = Commune['visibility'];
export type Role = Member['role'];

export type { Charter, Page };

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

export type Me = Schema<'Me'>;
/** One of the signed-in person's sessions (GET /me/sessions). */
export type SessionInfo = Schema<'SessionInfo'>;
export type SessionCreated = Schema<'Session'>;

/** A person as the server names them: a handle, or an object carrying one. */
export type PersonRef = string | { handle: string; displayName?: string | null } | null | undefined;

/** A pending application, as GET /communes/{c}/applications lists it. */
export type Application = Schema<'PendingApplication'>;

export type Author = Schema<'Author'>;
export type Thread = Schema<'Thread'>;
export type Comment = Schema<'Comment'>;
export type ThreadWithComments = Schema<'ThreadWithComments'>;
export type PostEdit = Schema<'PostEdit'>;
export type ModerationEntry = Schema<'ModerationEntry'>;
export type ReadPosition = Schema<'ReadPosition'>;
export type ProposalComments = Schema<'ProposalComments'>;

export type Filter = Schema<'Filter'>;
export type FilterKind = Filter['kind'];
export const FILTER_KINDS: readonly FilterKind[] = ['word', 'person', 'thread', 'commune'];
