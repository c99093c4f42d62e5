import type { Deps } from '../deps.ts';
import type { Executor } from '../db/transaction.ts';
import { ok, type Result } from '../shared/result.ts';
import { coalescer } from './coalescer.ts';
import type { Transfer } from './ledger.ts';
import type { Locked } from './locked.ts';
import { publicView, transfersRepository, type TransferRow } from './transfers.repository.ts';
import { conflict, type TransferSteps } from './transfer-steps.ts';
import type { Created, Payer, TransferRequest } from './transfers.types.ts';

type Job = { communeId: string; payer: string; request: TransferRequest; hash: string };

const GROUP_COMMIT = 256;

/** Single member transfers on SQLite, coalesced into one write transaction per group. */
export function groupCommit(deps: Deps, steps: TransferSteps) {
  const transfers = (ex: Executor) => transfersRepository(ex, deps.dialect);
  const { announcePosted, postedRows, lockFor, payerState, evaluate } = steps;

  /**
   * SQLite has one writer: single transfers arriving together are written in one transaction,
   * each judged on its own against the states the ones before it left. Every answer waits for the commit.
   */
  async function writeGroup(jobs: Job[]): Promise<Result<Created>[]> {
    return deps.db.transaction().execute(async (tx) => {
      const now = deps.clock.now();
      const results: Result<Created>[] = [];
      // Ids are unique per commune: every lookup here is keyed by both.
      const key = (j: Job) => `${j.communeId} ${j.request.id}`;
      const prior = new Map<string, string>();
      const here = new Map<string, { hash: string; view: Transfer | null }>();
      const lockedBy = new Map<string, Locked>();
      for (const communeId of new Set(jobs.map((j) => j.communeId))) {
        const mine = jobs.filter((j) => j.communeId === communeId);
        const hashes = await transfers(tx).hashesOf(
          communeId,
          mine.map((j) => j.request.id),
        );
        for (const [id, hash] of hashes) prior.set(`${communeId} ${id}`, hash);
        const payers = mine.map((j): Payer => ({ kind: 'member', accountId: j.payer }));
        lockedBy.set(
          communeId,
          await lockFor(
            tx,
            communeId,
            payers,
            mine.map((j) => j.request),
            now.toISOString(),
          ),
        );
      }
      const rows: TransferRow[] = [];
      for (const j of jobs) {
        const taken = prior.has(key(j))
          ? { hash: prior.get(key(j))!, view: null }
          : here.get(key(j));
        if (taken) {
          const view =
            taken.view ?? publicView((await transfers(tx).find(j.communeId, j.request.id))!);
          results.push(
            taken.hash === j.hash
              ? ok({ transfers: [view], replayed: true })
              : conflict(j.request.id),
          );
          continue;
        }
        const locked = lockedBy.get(j.communeId)!;
        const from = payerState(locked, { kind: 'member', accountId: j.payer });
        const r = from.ok
          ? await evaluate(tx, j.communeId, locked, from.value, j.request, j.hash, j.payer, now)
          : from;
        if (r.ok) {
          rows.push(r.value.row);
          here.set(key(j), { hash: j.hash, view: r.value.view });
        }
        results.push(r.ok ? ok({ transfers: [r.value.view], replayed: false }) : r);
      }
      if ((await transfers(tx).insert(rows)) < rows.length)
        throw new Error('group commit: a transfer id was taken inside the write lock');
      for (const locked of lockedBy.values()) await locked.save(tx, deps);
      await announcePosted(tx, postedRows(rows));
      return results;
    });
  }
  return coalescer(writeGroup, GROUP_COMMIT);
}
