import type { Dialect } from '../db/database.ts';
import { prepared } from '../db/prepared.ts';
import type { Executor } from '../db/transaction.ts';
import type { ActionResult } from './actions/actions.ts';
import type { ActionType } from './governance.ts';
import { basisOf } from './governance.repository.ts';
import type { MethodName } from './method-shapes.ts';
import type { HideResults, PresentedTally, ProposalRecord, ProposalStatus } from './proposals.ts';

// Proposals as they are shown: with the commune's handle and the author's and outcome
// writer's handles. A read view (ADR 0013): it joins communes and identity's accounts;
// writes stay in proposals.repository.ts.

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

const byId = prepared<Row, [id: string]>((db) => baseQuery(db).where('p.id', '=', ''));

export function proposalsView(db: Executor, dialect: Dialect) {
  return {
    async find(id: string): Promise<ProposalRecord | undefined> {
      const [r] = await byId(db, dialect, id);
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
  };
}
