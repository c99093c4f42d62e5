import type { Category, Commune, JoinPolicy, Visibility } from '../api/types.ts';

export const categoryLabel = (c: Category | string) => (c ? c[0]?.toUpperCase() + c.slice(1) : '');

export const JOIN_POLICY_LABELS: Record<JoinPolicy, string> = {
  open: 'Open',
  application: 'By application',
  invite: 'By invitation',
};

export const JOIN_POLICY_HINTS: Record<JoinPolicy, string> = {
  open: 'Anyone who accepts the agreements may join.',
  application: 'The members decide together on each request to join.',
  invite: 'People join through invite links that members create.',
};

export const JOIN_POLICY_SHORT: Record<JoinPolicy, string> = {
  open: 'Open to join',
  application: 'Join by application',
  invite: 'Join by invitation',
};

export const VISIBILITY_LABELS: Record<Visibility, string> = {
  public: 'Public',
  unlisted: 'Unlisted',
  private: 'Private',
};

export const VISIBILITY_HINTS: Record<Visibility, string> = {
  public: 'Listed in Discover; anyone can read the charter.',
  unlisted: 'Not listed; anyone with the link can read the charter.',
  private: 'Only members can see the commune at all.',
};

/** Capacity, not popularity: how much room the commune has left. */
export const capacity = (c: Pick<Commune, 'memberCount' | 'maxMembers'>) =>
  `${c.memberCount} / ${c.maxMembers} members`;

export const isFull = (c: Pick<Commune, 'memberCount' | 'maxMembers'>) =>
  c.memberCount >= c.maxMembers;

export const communePath = (handle: string) => `/communes/${encodeURIComponent(handle)}`;
