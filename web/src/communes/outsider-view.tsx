import type { Commune } from '../api/types.ts';

/**
 * Says plainly what people outside the commune can see (ADR 0026): a private commune shows
 * them nothing; a visible one its charter, members and discussions, and its books and named
 * ballots only if a decision opened them.
 */
export function OutsiderView({ commune }: { commune: Commune }) {
  return <p className="meta outsider-view">{outsiderSentence(commune)}</p>;
}

export function outsiderSentence(
  c: Pick<Commune, 'visibility' | 'openBooks' | 'openBallots'>,
): string {
  if (c.visibility === 'private') return 'Only members can see this commune.';
  const open = [
    'the charter',
    'the member list',
    'the discussions',
    ...(c.openBooks ? ['the books (balances and payments)'] : []),
    ...(c.openBallots ? ['who voted what'] : []),
  ];
  const closed = [
    ...(c.openBooks ? [] : ['the books (balances and payments)']),
    ...(c.openBallots ? [] : ['who voted what']),
  ];
  const list = (xs: string[]) =>
    xs.length === 1 ? xs[0]! : `${xs.slice(0, -1).join(', ')} and ${xs.at(-1)!}`;
  return `Anyone can see ${list(open)}.${closed.length > 0 ? ` Only members see ${list(closed)}.` : ''}`;
}
