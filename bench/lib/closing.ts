// The database part of bench/decisions.ts: the job queue closes N due proposals, each
// carrying an action, in a freshly migrated database.
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { createContexts } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { openTestDatabase, type DatabaseKind } from '../../src/db/testing.ts';
import { openProposal } from '../../src/decisions/opening.ts';
import { votesRepository } from '../../src/decisions/votes.repository.ts';
import type { StoredAction } from '../../src/decisions/actions/actions.ts';
import type { Deps } from '../../src/deps.ts';
import { jobRunner } from '../../src/jobs/runner.ts';
import { newId } from '../../src/shared/ids.ts';
import { round } from './report.ts';

export type ClosingFigure = {
  database: DatabaseKind;
  proposals: number;
  executed: number;
  seconds: number;
  proposalsPerSecond: number;
  msPerProposal: number;
};

const HOUR = 3_600_000;

/** Actions in turn: a spend from the purse, a credit limit, the currency's name, the charter's vision. */
const actionFor = (i: number): StoredAction =>
  [
    { type: 'spend', params: { to: 'bench_b', amount: 1, memo: `spend ${i}` } },
    { type: 'set_credit_limit', params: { member: 'bench_b', limit: 20 + (i % 7) } },
    { type: 'set_currency', params: { name: `Hours ${i}` } },
    { type: 'amend_charter', params: { vision: `Vision number ${i}` } },
  ][i % 4] as StoredAction;

export async function closeDueProposals(kind: DatabaseKind, count: number): Promise<ClosingFigure> {
  const handle = await openTestDatabase(kind);
  let now = Date.now();
  const config = loadConfig({
    DATABASE_URL: kind === 'sqlite' ? 'sqlite::memory:' : 'postgres://bench',
    SIGN_UPS_PER_HOUR: '1000000',
  });
  if (!config.ok) throw new Error(config.error.message);
  const deps: Deps = {
    db: handle.db,
    dialect: handle.dialect,
    config: config.value,
    logger: pino({ level: 'silent' }),
    clock: { now: () => new Date(now) },
    passwordCost: 10,
  };
  try {
    const contexts = createContexts(deps);
    const ids: string[] = [];
    for (const h of ['bench_a', 'bench_b']) {
      const made = await contexts.identity.signUp(
        { handle: h, password: `password of ${h}` },
        { address: 'bench' },
      );
      if (!made.ok) throw new Error(made.error.message);
      ids.push(made.value.id);
    }
    const [a, b] = ids as [string, string];
    const commune = await contexts.communes.create(
      {
        handle: 'bench_c',
        name: 'Bench',
        vision: 'Measure',
        category: 'other',
        tags: [],
        joinPolicy: 'open',
        visibility: 'public',
        maxMembers: 150,
        agreements: [],
      },
      a,
    );
    if (!commune.ok) throw new Error(commune.error.message);
    const communeId = commune.value.id;
    if (!(await contexts.communes.apply('bench_c', b, { acceptAgreements: true })).ok)
      throw new Error('join failed');
    // Room in the purse for every spend: a's limit is lifted, and a pays in.
    const lifted = await contexts.ledger.setCreditLimit(undefined, {
      communeId,
      owner: 'bench_a',
      limit: count,
      by: null,
    });
    const paid = await contexts.ledger.pay(communeId, a, [
      { id: newId(), to: 'purse', amount: count, memo: 'bench' },
    ]);
    if (!lifted.ok || !paid.ok) throw new Error('funding the purse failed');

    // Due proposals with one yes vote each (quorum 0.5 of two members is met).
    const at = new Date(now).toISOString();
    const closesAt = new Date(now + HOUR).toISOString();
    await handle.db.transaction().execute(async (tx) => {
      for (let i = 0; i < count; i += 1) {
        const id = newId();
        const spend = i % 4 === 0;
        await openProposal(deps, contexts.events, tx, {
          id,
          communeId,
          authorId: a,
          title: `Proposal ${i}`,
          body: '',
          method: 'majority',
          options: ['yes', 'no'],
          quorum: spend ? 0.5 : 0,
          threshold: 0.5,
          thresholdBasis: 'cast',
          budget: null,
          anonymous: false,
          hideResults: 'never',
          topic: null,
          opensAt: at,
          closesAt,
          action: actionFor(i),
          subjectId: null,
          createdAt: at,
        });
        await votesRepository(tx).upsert(id, a, { choice: 'yes' }, at);
      }
    });

    now += 2 * HOUR;
    const runner = jobRunner(deps, contexts.jobs);
    const started = performance.now();
    await runner.tick();
    const seconds = (performance.now() - started) / 1000;

    const rows = await handle.db
      .selectFrom('proposals')
      .select(['status', 'action_executed'])
      .execute();
    const executed = rows.filter(
      (r) => r.status === 'passed' && Number(r.action_executed) === 1,
    ).length;
    const ledger = await contexts.ledger.ledger(communeId);
    if (!ledger.ok || ledger.value.sum !== 0)
      throw new Error('the books do not balance after closing');
    return {
      database: kind,
      proposals: count,
      executed,
      seconds: round(seconds, 2),
      proposalsPerSecond: round(count / seconds, 1),
      msPerProposal: round((seconds * 1000) / count, 2),
    };
  } finally {
    await handle.destroy();
  }
}
