import type { Dialect } from '../db/database.ts';
import { prepared } from '../db/prepared.ts';
import type { Executor } from '../db/transaction.ts';

// Named ballots with their voters' handles: a read view (ADR 0013) joining identity's accounts.

export type NamedVote = { voterId: string; voterHandle: string; vote: unknown; castAt: string };

const namedQuery = prepared<
  { voter_id: string; handle: string; vote: string; cast_at: string },
  [proposalId: string]
>((db) =>
  db
    .selectFrom('votes')
    .innerJoin('accounts', 'accounts.id', 'votes.voter_id')
    .select(['votes.voter_id', 'accounts.handle', 'votes.vote', 'votes.cast_at'])
    .where('votes.proposal_id', '=', '')
    .orderBy('votes.cast_at')
    .orderBy('accounts.handle'),
);

export function votesView(db: Executor, dialect: Dialect) {
  return {
    /** Oldest first, then by handle. */
    async named(proposalId: string): Promise<NamedVote[]> {
      const rows = await namedQuery(db, dialect, proposalId);
      return rows.map((r) => ({
        voterId: r.voter_id,
        voterHandle: r.handle,
        vote: JSON.parse(r.vote) as unknown,
        castAt: r.cast_at,
      }));
    },
  };
}
