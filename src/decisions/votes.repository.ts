import { randomInt, randomUUID } from 'node:crypto';
import type { Executor } from '../db/transaction.ts';

/** Fisher–Yates with a cryptographic source: the order must not be guessable. */
function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = randomInt(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Named ballots (one per voter, replaced on a new vote) and anonymous ones (an urn and a list of who voted). */
export function votesRepository(db: Executor) {
  return {
    /** Whether anyone has voted, named or anonymously (editing stops at the first vote). */
    async any(proposalId: string): Promise<boolean> {
      const named = await db
        .selectFrom('votes')
        .select('proposal_id')
        .where('proposal_id', '=', proposalId)
        .limit(1)
        .executeTakeFirst();
      if (named) return true;
      const receipt = await db
        .selectFrom('ballot_receipts')
        .select('proposal_id')
        .where('proposal_id', '=', proposalId)
        .limit(1)
        .executeTakeFirst();
      return receipt !== undefined;
    },

    async upsert(
      proposalId: string,
      voterId: string,
      vote: unknown,
      castAt: string,
    ): Promise<void> {
      const text = JSON.stringify(vote);
      await db
        .insertInto('votes')
        .values({ proposal_id: proposalId, voter_id: voterId, vote: text, cast_at: castAt })
        .onConflict((oc) =>
          oc.columns(['proposal_id', 'voter_id']).doUpdateSet({ vote: text, cast_at: castAt }),
        )
        .execute();
    },

    /** Records that a member voted on an anonymous proposal; false when they already had. */
    async addReceipt(proposalId: string, voterId: string): Promise<boolean> {
      const r = await db
        .insertInto('ballot_receipts')
        .values({ proposal_id: proposalId, voter_id: voterId })
        .onConflict((oc) => oc.columns(['proposal_id', 'voter_id']).doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
    },

    async receipts(proposalId: string): Promise<string[]> {
      const rows = await db
        .selectFrom('ballot_receipts')
        .select('voter_id')
        .where('proposal_id', '=', proposalId)
        .execute();
      return rows.map((r) => r.voter_id);
    },

    /** Anonymous ballots in no meaningful order. */
    async anonymous(proposalId: string): Promise<unknown[]> {
      const rows = await db
        .selectFrom('anonymous_ballots')
        .select('vote')
        .where('proposal_id', '=', proposalId)
        .orderBy('id')
        .execute();
      return rows.map((r) => JSON.parse(r.vote) as unknown);
    },

    /**
     * Puts a ballot into the urn by dealing every ballot again: fresh random ids, random
     * order, written by this one transaction. Row order, ids and (on PostgreSQL) the
     * inserting transaction are then the same for all ballots, so none of them tells which
     * ballot came last, and so whose it is. Costs O(ballots) per vote; a commune has ≤ 150.
     */
    async addAnonymous(proposalId: string, vote: unknown): Promise<void> {
      const rows = await db
        .selectFrom('anonymous_ballots')
        .select('vote')
        .where('proposal_id', '=', proposalId)
        .execute();
      await db.deleteFrom('anonymous_ballots').where('proposal_id', '=', proposalId).execute();
      const urn = shuffled([...rows.map((r) => r.vote), JSON.stringify(vote)]);
      await db
        .insertInto('anonymous_ballots')
        .values(urn.map((v) => ({ id: randomUUID(), proposal_id: proposalId, vote: v })))
        .execute();
    },
  };
}
