import { canSee, type Disclosure, type Role, type Visibility } from './communes.ts';

/**
 * What a route asks of its caller in a commune: to see it, to see it signed in, to be a
 * member, or to be a steward. 'books' and 'ballots' read the ledger and named ballots: a
 * member's need, unless the commune opened them, then a visitor's.
 */
export type Need = 'visitor' | 'signed_in' | 'member' | 'steward' | 'books' | 'ballots';
export const NEEDS: readonly Need[] = [
  'visitor',
  'signed_in',
  'member',
  'steward',
  'books',
  'ballots',
];

/** Where one caller stands in one commune. */
export type Standing = {
  visibility: Visibility;
  role: Role | null;
  signedIn: boolean;
  /** A valid invite lets an outsider find a private commune (to join it, nothing else). */
  holdsInvite?: boolean;
  /** What the commune opened to outsiders; absent: nothing. */
  open?: Disclosure;
};

export type Refusal = 'hidden' | 'not_signed_in' | 'members_only' | 'stewards_only';

/**
 * The one access rule. Order matters: a private commune is hidden from outsiders before
 * anything else (even "sign in first" would confirm it exists); then sign-in, then the role.
 */
export function permit(need: Need, s: Standing): Refusal | null {
  if (!canSee(s.visibility, s.role) && !s.holdsInvite) return 'hidden';
  if (need === 'books' || need === 'ballots') return s.open?.[need] ? null : permit('member', s);
  if (need === 'visitor') return null;
  if (!s.signedIn) return 'not_signed_in';
  if (need === 'member' && s.role === null) return 'members_only';
  if (need === 'steward' && s.role !== 'steward') return 'stewards_only';
  return null;
}
