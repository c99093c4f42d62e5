import { sql } from 'kysely';
import type { ActionResult } from './actions/actions.ts';
import type { ActionType } from './governance.ts';
import { basisOf } from './governance.repository.ts';
import type { HideResults, PresentedTally, ProposalRecord, ProposalStatus } from './proposals.ts';
import type { MethodName } from './method-shapes.ts';
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
const parsed = <T>(s: string | null): T | null => (s === null ? null : (JSON.parse(s) as T));
const share = (v: number | string | null): number | null => (v === null ? null : Number(v));

function baseQuery(db: Executor) {
  return db
    .selectFrom('proposals as p')
    .innerJoin('communes as c', 'c.id', 'p.commune_id')
    .leftJoin('accounts as a', 'a.id', 'p.author_id')
    .leftJoin('accounts as o', 'o.id', 'p.outcome_by')
    .selectAll('p')
    .select([
      'c.handle as commune_handle',
      'a.handle as author_handle',
      'o.handle as outcome_handle',
    ]);
}
type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>['executeTakeFirstOrThrow']>>;

const toRecord = (r: Row): ProposalRecord => ({
  id: r.id,
  communeId: r.commune_id,
  communeHandle: r.commune_handle,
  authorId: r.author_id,
  authorHandle: r.author_handle,
  title: r.title,
  body: r.body,
  method: r.method as MethodName,
  options: JSON.parse(r.options) as string[],
  quorum: Number(r.quorum),
  threshold: share(r.threshold),
  thresholdBasis: basisOf(r.threshold, r.threshold_basis),
  budget: r.budget === null ? null : Number(r.budget),
  anonymous: Number(r.anonymous) === 1,
  hideResults: r.hide_results as HideResults,
  topic: r.topic,
  opensAt: r.opens_at,
  closesAt: r.closes_at,
  status: r.status,
  action:
    r.action_type === null
      ? null
      : {
          type: r.action_type as ActionType,
          params: JSON.parse(r.action_params ?? '{}') as Record<string, unknown>,
        },
  subjectId: r.subject_id,
  actionExecuted: Number(r.action_executed) === 1,
  actionResult: parsed<ActionResult>(r.action_result),
  authorDecision: r.author_decision,
  tally: parsed<PresentedTally>(r.tally),
  outcome: r.outcome,
  outcomeBy: r.outcome_handle,
  outcomeAt: r.outcome_at,
  createdAt: r.created_at,
  closedAt: r.closed_at,
});

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

    async find(id: string): Promise<ProposalRecord | undefined> {
      const r = await baseQuery(db).where('p.id', '=', id).executeTakeFirst();
      return r && toRecord(r);
    },

    /** Newest first; `before` is the id the previous page ended on. */
    async list(
      communeId: string,
      q: { status?: ProposalStatus | undefined; before?: string | undefined; limit: number },
    ): Promise<ProposalRecord[]> {
      let query = baseQuery(db).where('p.commune_id', '=', communeId);
      if (q.status) query = query.where('p.status', '=', q.status);
      if (q.before) query = query.where('p.id', '<', q.before);
      const rows = await query
        .orderBy('p.id', 'desc')
        .limit(q.limit + 1)
        .execute();
      return rows.map(toRecord);
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

/** Handles for account ids (the applicant an admission proposal is about). */
export async function handleOfAccount(
  db: Executor,
  accountId: string,
): Promise<string | undefined> {
  const r = await db
    .selectFrom('accounts')
    .select('handle')
    .where('id', '=', accountId)
    .executeTakeFirst();
  return r?.handle;
}

/** A commune's handle by id (a mirrored alliance proposal names the asker). */
export async function handleOfCommune(
  db: Executor,
  communeId: string,
): Promise<string | undefined> {
  const r = await db
    .selectFrom('communes')
    .select('handle')
    .where('id', '=', communeId)
    .executeTakeFirst();
  return r?.handle;
}

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
