import { sql } from 'kysely';
import type { ActionResult } from './actions/actions.ts';
import type { PresentedTally, ProposalRecord, ProposalStatus } from './proposals.ts';
import type { Executor } from '../db/transaction.ts';

export type NewProposal = Omit<
  ProposalRecord,
  | 'communeHandle'
  | 'authorHandle'
  | 'status'
  | 'actionExecuted'
  | 'actionResult'
  | 'authorDecision'
  | 'tally'
  | 'outcome'
  | 'outcomeBy'
  | 'outcomeAt'
  | 'closedAt'
>;

export type Closing = {
  status: Exclude<ProposalStatus, 'open'>;
  tally: PresentedTally;
  closedAt: string;
  actionExecuted: boolean;
  actionResult: ActionResult | null;
};

const json = (v: unknown): string | null =>
  v === null || v === undefined ? null : JSON.stringify(v);

export function proposalsRepository(db: Executor) {
  return {
    async insert(p: NewProposal): Promise<void> {
      await db
        .insertInto('proposals')
        .values({
          id: p.id,
          commune_id: p.communeId,
          author_id: p.authorId,
          title: p.title,
          body: p.body,
          method: p.method,
          options: JSON.stringify(p.options),
          quorum: p.quorum,
          threshold: p.threshold,
          threshold_basis: p.thresholdBasis,
          budget: p.budget,
          anonymous: p.anonymous ? 1 : 0,
          hide_results: p.hideResults,
          topic: p.topic,
          opens_at: p.opensAt,
          closes_at: p.closesAt,
          status: 'open',
          action_type: p.action?.type ?? null,
          action_params: json(p.action?.params),
          subject_id: p.subjectId,
          action_result: null,
          author_decision: null,
          tally: null,
          outcome: null,
          outcome_by: null,
          outcome_at: null,
          created_at: p.createdAt,
          closed_at: null,
        })
        .execute();
    },

    /**
     * Takes the proposal's row lock if it is still open (false: it is not). Votes and the
     * close both start here, so a vote either lands before the close counts or is refused.
     */
    async lockOpen(id: string): Promise<boolean> {
      const r = await db
        .updateTable('proposals')
        .set((eb) => ({ revision: eb('revision', '+', 1) }))
        .where('id', '=', id)
        .where('status', '=', 'open')
        .executeTakeFirst();
      return r.numUpdatedRows > 0n;
    },

    async close(id: string, c: Closing): Promise<void> {
      await db
        .updateTable('proposals')
        .set({
          status: c.status,
          tally: JSON.stringify(c.tally),
          closed_at: c.closedAt,
          action_executed: c.actionExecuted ? 1 : 0,
          action_result: json(c.actionResult),
        })
        .where('id', '=', id)
        .execute();
    },

    async setAuthorDecision(id: string, decision: 'passed' | 'rejected'): Promise<void> {
      await db
        .updateTable('proposals')
        .set({ author_decision: decision })
        .where('id', '=', id)
        .execute();
    },

    async setText(id: string, title: string, body: string): Promise<void> {
      await db.updateTable('proposals').set({ title, body }).where('id', '=', id).execute();
    },

    async setOutcome(id: string, outcome: string, by: string, at: string): Promise<void> {
      await db
        .updateTable('proposals')
        .set({ outcome, outcome_by: by, outcome_at: at })
        .where('id', '=', id)
        .execute();
    },

    /** The open admission proposal of an applicant, if any. */
    async openAdmission(communeId: string, applicantId: string): Promise<string | undefined> {
      const r = await db
        .selectFrom('proposals')
        .select('id')
        .where('commune_id', '=', communeId)
        .where('subject_id', '=', applicantId)
        .where('action_type', '=', 'admit_member')
        .where('status', '=', 'open')
        .orderBy('id', 'desc')
        .executeTakeFirst();
      return r?.id;
    },
  };
}
export type ProposalsRepository = ReturnType<typeof proposalsRepository>;

/**
 * Runs `work` in a savepoint of the caller's transaction: on an error Result or a throw,
 * everything it wrote is undone and the transaction goes on (a failed action must not
 * undo the close that ran it).
 */
export async function inSavepoint<T>(
  tx: Executor,
  work: () => Promise<T>,
  failed: (value: T) => boolean,
): Promise<T> {
  await sql`savepoint decision_action`.execute(tx);
  try {
    const value = await work();
    await sql
      .raw(
        failed(value)
          ? 'rollback to savepoint decision_action'
          : 'release savepoint decision_action',
      )
      .execute(tx);
    return value;
  } catch (e) {
    await sql`rollback to savepoint decision_action`.execute(tx);
    throw e;
  }
}
