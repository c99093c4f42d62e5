import type { Deps } from '../deps.ts';
import type { Executor } from '../db/transaction.ts';
import { ok, type Result } from '../shared/result.ts';
import { groupRepository } from './group.repository.ts';
import { PURSE } from './ledger.ts';
import { coalescer } from './coalescer.ts';
import type { Transfer } from './ledger.ts';
import { Locked } from './locked.ts';
import { publicView, transfersRepository, type TransferRow } from './transfers.repository.ts';
import { conflict, type TransferSteps } from './transfer-steps.ts';
import type { Created, Payer, TransferRequest } from './transfers.types.ts';

type Job = { communeId: string; payer: string; request: TransferRequest; hash: string };

const GROUP_COMMIT = 256;

/** Single member transfers, coalesced into one write transaction per group (ADR 0021). */
export function groupCommit(deps: Deps, steps: TransferSteps) {
  const transfers = (ex: Executor) => transfersRepository(ex, deps.dialect);
  const { announcePosted, postedRows, lockFor, payerState, evaluate, expireHolds } = steps;

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
      await announcePosted(tx, postedRows(rows, lockedBy.values()));
      return results;
    });
  }
  /**
   * PostgreSQL: one transaction per group, in five round trips (begin, lock, write, events,
   * commit) however many transfers it holds. Ids are not looked up first: a taken id shows
   * as a transfer the write skipped, and the group runs again, looking them up after its locks.
   */
  async function writeGroupPg(jobs: Job[]): Promise<Result<Created>[]> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await deps.db.transaction().execute((tx) => attemptPg(tx, jobs, attempt > 0));
      } catch (e) {
        if (attempt >= MAX_ATTEMPTS || !(e instanceof IdTaken || isDeadlock(e))) throw e;
      }
    }
  }

  async function attemptPg(tx: Executor, jobs: Job[], lookFirst: boolean) {
    const now = deps.clock.now();
    const at = now.toISOString();
    const key = (communeId: string, id: string) => `${communeId} ${id}`;
    const communes = [...new Set(jobs.map((j) => j.communeId))].sort();
    const lockedBy = new Map<string, Locked>();
    const prior = new Map<string, string>();
    // Communes in id order, accounts in id order within each: the order every writer locks in.
    for (const communeId of communes) {
      const mine = jobs.filter((j) => j.communeId === communeId);
      const wanted = mine.map((j) => j.request);
      const locked = new Locked(
        await groupRepository(tx).lock(communeId, {
          ownerIds: [...new Set(mine.map((j) => j.payer))],
          handles: [...new Set(wanted.filter((r) => r.to !== PURSE).map((r) => r.to))],
          purse: wanted.some((r) => r.to === PURSE),
        }),
      );
      await expireHolds(tx, locked, at);
      lockedBy.set(communeId, locked);
      if (lookFirst) await lookUp(tx, communeId, mine, prior);
    }
    const results: Result<Created>[] = [];
    const here = new Map<string, { hash: string; view: Transfer }>();
    const rows: TransferRow[] = [];
    const refused: Job[] = [];
    for (const j of jobs) {
      const k = key(j.communeId, j.request.id);
      const taken = prior.has(k) ? { hash: prior.get(k)!, view: null } : here.get(k);
      if (taken) {
        results.push(await answerTaken(tx, j, taken));
        continue;
      }
      const locked = lockedBy.get(j.communeId)!;
      const from = payerState(locked, { kind: 'member', accountId: j.payer });
      const r = from.ok
        ? await evaluate(tx, j.communeId, locked, from.value, j.request, j.hash, j.payer, now)
        : from;
      if (r.ok) {
        rows.push(r.value.row);
        here.set(k, { hash: j.hash, view: r.value.view });
      } else refused.push(j);
      results.push(r.ok ? ok({ transfers: [r.value.view], replayed: false }) : r);
    }
    // A refusal may be the retry of a transfer already applied: that one is answered as before.
    if (!lookFirst && refused.length > 0) {
      for (const communeId of new Set(refused.map((j) => j.communeId)))
        await lookUp(
          tx,
          communeId,
          refused.filter((j) => j.communeId === communeId),
          prior,
        );
      for (const [i, j] of jobs.entries()) {
        const hash = prior.get(key(j.communeId, j.request.id));
        if (hash !== undefined && !results[i]!.ok)
          results[i] = await answerTaken(tx, j, { hash, view: null });
      }
    }
    const accounts = [...lockedBy.values()].flatMap((l) => l.takeChanges());
    // Ids in one order for every writer, so that two groups never wait on each other's ids.
    const sorted = [...rows].sort((a, b) =>
      a.commune_id === b.commune_id ? (a.id < b.id ? -1 : 1) : a.commune_id < b.commune_id ? -1 : 1,
    );
    if (rows.length > 0 || accounts.length > 0) {
      if ((await groupRepository(tx).write(sorted, accounts)) < rows.length) throw new IdTaken();
    }
    await announcePosted(tx, postedRows(rows, lockedBy.values()));
    return results;
  }

  async function lookUp(tx: Executor, communeId: string, mine: Job[], into: Map<string, string>) {
    const hashes = await transfers(tx).hashesOf(
      communeId,
      mine.map((j) => j.request.id),
    );
    for (const [id, hash] of hashes) into.set(`${communeId} ${id}`, hash);
  }

  async function answerTaken(
    tx: Executor,
    j: Job,
    taken: { hash: string; view: Transfer | null },
  ): Promise<Result<Created>> {
    if (taken.hash !== j.hash) return conflict(j.request.id);
    const view = taken.view ?? publicView((await transfers(tx).find(j.communeId, j.request.id))!);
    return ok({ transfers: [view], replayed: true });
  }

  return coalescer(deps.dialect === 'postgres' ? writeGroupPg : writeGroup, GROUP_COMMIT);
}

const MAX_ATTEMPTS = 5;

/** The write skipped a transfer whose id another writer took after this group began. */
class IdTaken extends Error {
  constructor() {
    super('group commit: a transfer id was taken meanwhile');
  }
}

/** PostgreSQL broke a deadlock by failing this transaction: it can run again. */
const isDeadlock = (e: unknown) => (e as { code?: string })?.code === '40P01';
