import { isUniqueViolation } from '../db/database.ts';
import type { Deps } from '../deps.ts';
import type { EventPublisher } from '../events/events.service.ts';
import { newId } from '../shared/ids.ts';
import { err, fail, ok, type AppError, type Result } from '../shared/result.ts';
import { coalescer } from './coalescer.ts';
import {
  DEFAULT_TIMEOUT_SECONDS,
  PURSE,
  requestHash,
  type Transfer,
  type TransferCode,
  type TransferStatus,
} from './ledger.ts';
import { ledgerRepository } from './ledger.repository.ts';
import { Locked } from './locked.ts';
import {
  post,
  releaseHold,
  reserve,
  settleHold,
  type AccountState,
  type Entry,
} from './posting.ts';
import { transact, type Executor } from '../db/transaction.ts';
import { publicView, transfersRepository, type TransferRow } from './transfers.repository.ts';

export type Payer = { kind: 'member'; accountId: string } | { kind: 'purse' };
/** Who resolves a pending transfer: a member through the API, or the system (a passed decision). */
export type Actor = { kind: 'member'; handle: string } | { kind: 'system' };

export type TransferRequest = {
  id: string;
  to: string;
  amount: number;
  memo: string;
  pending?: boolean;
  timeoutSeconds?: number | undefined;
  reverses?: string | undefined;
  code?: TransferCode;
};
export type Created = { transfers: Transfer[]; replayed: boolean };
type CreateOptions = { by: string | null; tx?: Executor | undefined; batch?: boolean };
type Job = { communeId: string; payer: string; request: TransferRequest; hash: string };

const EXPIRY_CHUNK = 500;
const GROUP_COMMIT = 256;
const rule = (code: string, message: string, field?: string): AppError => ({
  type: 'rule_violation',
  code,
  message,
  ...(field ? { field } : {}),
});
const conflict = (id: string, extra = '', field = 'id') =>
  fail(
    'conflict',
    'idempotency_conflict',
    `The id ${id} was already used for a different transfer${extra}`,
    field,
  );

/** Every write of the ledger: transfers, batches, two-phase holds and their expiry. */
export function transfersService(deps: Deps, events: EventPublisher) {
  const accounts = (ex: Executor) => ledgerRepository(ex, deps.dialect);
  const transfers = (ex: Executor) => transfersRepository(ex, deps.dialect);

  /**
   * transfer_posted for every transfer that moved money, in the transaction that wrote it
   * (a pending one announces itself when it is posted). Money already moved cannot be
   * refused by a subscriber: one that tries is a bug.
   */
  async function announcePosted(
    tx: Executor,
    posted: { id: string; communeId: string }[],
  ): Promise<void> {
    const told = await events.publish(
      tx,
      posted.map((t) => ({ type: 'transfer_posted', communeId: t.communeId, transferId: t.id })),
    );
    if (!told.ok) throw new Error(`a transfer_posted subscriber refused: ${told.error.code}`);
  }
  const postedRows = (rows: TransferRow[]) =>
    rows.filter((r) => r.status === 'posted').map((r) => ({ id: r.id, communeId: r.commune_id }));

  /** Releases holds that ran out on locked accounts (those whose earliest hold is due, or all of `force`). */
  async function expireHolds(
    tx: Executor,
    locked: Locked,
    now: string,
    force?: string[],
  ): Promise<number> {
    const due =
      force ??
      [...locked.byId.values()]
        .filter((a) => a.nextHoldExpiry !== null && a.nextHoldExpiry <= now)
        .map((a) => a.id);
    if (due.length === 0) return 0;
    const repo = transfers(tx);
    let expired = 0;
    for (;;) {
      const holds = await repo.duePending(now, EXPIRY_CHUNK, { fromAccountIds: due });
      for (const h of holds) {
        if (await repo.resolve(h.communeId, h.id, 'expired', now)) {
          releaseHold(locked.get(h.fromAccountId)!, h.amount);
          expired += 1;
        }
      }
      if (holds.length < EXPIRY_CHUNK) break;
    }
    for (const id of due) locked.get(id)!.nextHoldExpiry = await repo.earliestHold(id);
    await locked.save(tx, deps);
    return expired;
  }

  /** Locks the payers' and payees' accounts of one commune (id order), after expiring due holds. */
  async function lockFor(
    tx: Executor,
    communeId: string,
    payers: Payer[],
    requests: TransferRequest[],
    at: string,
  ): Promise<Locked> {
    const locked = new Locked(
      await accounts(tx).lock(communeId, {
        ownerIds: payers.flatMap((p) => (p.kind === 'member' ? [p.accountId] : [])),
        handles: [...new Set(requests.map((r) => r.to).filter((h) => h !== PURSE))],
        purse: payers.some((p) => p.kind === 'purse') || requests.some((r) => r.to === PURSE),
      }),
    );
    await expireHolds(tx, locked, at);
    return locked;
  }

  const payerState = (locked: Locked, payer: Payer): Result<AccountState> => {
    const from = payer.kind === 'purse' ? locked.purse : locked.owner(payer.accountId);
    if (from) return ok(from);
    return payer.kind === 'purse'
      ? fail('not_found', 'ledger_not_found', 'This commune has no ledger')
      : err(rule('payer_not_member', 'Only members of this commune can pay here'));
  };

  async function checkReversal(
    tx: Executor,
    communeId: string,
    r: TransferRequest,
    from: AccountState,
    to: AccountState,
  ): Promise<AppError | null> {
    const original = await transfers(tx).find(communeId, r.reverses!);
    if (!original)
      return rule('reversal_unknown', 'The transfer to reverse is not in this commune');
    if (original.status !== 'posted')
      return rule('reversal_not_posted', 'Only a posted transfer can be reversed');
    if (original.toAccountId !== from.id || original.fromAccountId !== to.id)
      return rule(
        'reversal_mismatch',
        'A reversal goes back from the payee of the original to its payer',
      );
    if (r.amount > original.amount)
      return rule(
        'reversal_too_large',
        `A reversal returns at most the original ${original.amount}`,
      );
    if (r.pending) return rule('reversal_not_pending', 'A reversal is posted at once');
    if (await transfers(tx).reversalOf(communeId, original.id))
      return rule('already_reversed', 'That transfer has already been reversed');
    return null;
  }

  /** One transfer against locked accounts; the states change only when it is accepted. */
  async function evaluate(
    tx: Executor,
    communeId: string,
    locked: Locked,
    from: AccountState,
    r: TransferRequest,
    hash: string,
    by: string | null,
    now: Date,
  ): Promise<Result<{ row: TransferRow; view: Transfer }>> {
    const at = now.toISOString();
    const to = r.to === PURSE ? locked.purse : locked.member(r.to);
    if (!to) return err(rule('payee_not_member', `${r.to} is not a member of this commune`, 'to'));
    if (r.reverses !== undefined && to.id !== from.id) {
      const refused = await checkReversal(tx, communeId, r, from, to);
      if (refused) return err(refused);
    }
    const timeoutAt = r.pending
      ? new Date(now.getTime() + (r.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000).toISOString()
      : null;
    let entry: Entry | null = null;
    if (timeoutAt !== null) {
      const held = reserve(from, to, r.amount, timeoutAt);
      if (!held.ok) return held;
    } else {
      const moved = post(from, to, r.amount);
      if (!moved.ok) return moved;
      entry = moved.value;
    }
    const status: TransferStatus = entry ? 'posted' : 'pending';
    const code = r.code ?? (r.reverses !== undefined ? 'reversal' : 'payment');
    const resolvedAt = entry ? at : null;
    return ok({
      row: {
        id: r.id,
        commune_id: communeId,
        code,
        from_account_id: from.id,
        to_account_id: to.id,
        amount: r.amount,
        memo: r.memo,
        status,
        body_hash: hash,
        created_by: by,
        created_at: at,
        timeout_at: timeoutAt,
        resolved_at: resolvedAt,
        reverses: r.reverses ?? null,
        from_seq: entry?.fromSeq ?? null,
        from_balance: entry?.fromBalance ?? null,
        to_seq: entry?.toSeq ?? null,
        to_balance: entry?.toBalance ?? null,
      },
      view: {
        id: r.id,
        from: from.handle,
        to: to.handle,
        amount: r.amount,
        memo: r.memo,
        createdAt: at,
        status,
        code,
        timeoutAt,
        resolvedAt,
        reverses: r.reverses ?? null,
      },
    });
  }

  /** A batch (or one transfer): each checked in order against the state the ones before left; all or none. */
  async function apply(
    tx: Executor,
    communeId: string,
    payer: Payer,
    requests: TransferRequest[],
    hashes: string[],
    o: CreateOptions,
  ): Promise<Result<Created>> {
    const now = deps.clock.now();
    const locked = await lockFor(tx, communeId, [payer], requests, now.toISOString());
    const from = payerState(locked, payer);
    if (!from.ok) return from;
    const rows: TransferRow[] = [];
    const views: Transfer[] = [];
    for (let i = 0; i < requests.length; i += 1) {
      const r = await evaluate(
        tx,
        communeId,
        locked,
        from.value,
        requests[i]!,
        hashes[i]!,
        o.by,
        now,
      );
      if (!r.ok) {
        const e = r.error;
        return err(
          o.batch
            ? {
                ...e,
                message: `transfer ${i}: ${e.message}`,
                field: e.field ? `transfers.${i}.${e.field}` : `transfers.${i}`,
              }
            : e,
        );
      }
      rows.push(r.value.row);
      views.push(r.value.view);
    }
    // A taken id means a retry or a clash; nothing of this request may stay. The caller sorts out which.
    if ((await transfers(tx).insert(rows)) < rows.length)
      return fail('conflict', 'idempotency_conflict', 'A transfer id is already taken');
    await locked.save(tx, deps);
    await announcePosted(tx, postedRows(rows));
    return ok({ transfers: views, replayed: false });
  }

  /** After a refusal: were these ids applied before? The same meaning replays; anything else conflicts. */
  async function replay(
    ex: Executor,
    communeId: string,
    requests: TransferRequest[],
    hashes: string[],
    batch: boolean,
  ): Promise<Result<Created> | null> {
    const found = await transfers(ex).findMany(
      communeId,
      requests.map((r) => r.id),
    );
    if (found.size === 0) return null;
    const idField = (i: number) => (batch ? `transfers.${i}.id` : 'id');
    for (let i = 0; i < requests.length; i += 1) {
      const f = found.get(requests[i]!.id);
      if (f && f.bodyHash !== hashes[i])
        return conflict(f.id, batch ? ` (transfer ${i})` : '', idField(i));
    }
    if (found.size < requests.length) {
      const i = requests.findIndex((r) => found.has(r.id));
      return fail(
        'conflict',
        'idempotency_conflict',
        `Transfer ${i} (${requests[i]!.id}) was applied by an earlier request; a batch applies all or none, so send new ids only`,
        idField(i),
      );
    }
    return ok({ transfers: requests.map((r) => publicView(found.get(r.id)!)), replayed: true });
  }

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
  const grouped = coalescer(writeGroup, GROUP_COMMIT);

  async function create(
    communeId: string,
    payer: Payer,
    requests: TransferRequest[],
    o: CreateOptions,
  ): Promise<Result<Created>> {
    const payerKey = payer.kind === 'purse' ? PURSE : payer.accountId;
    const hashes = requests.map((r) => requestHash(communeId, payerKey, r));
    const firstIndex = new Map<string, number>();
    for (let i = 0; i < requests.length; i += 1) {
      const id = requests[i]!.id;
      const j = firstIndex.get(id);
      if (j !== undefined)
        return fail(
          'invalid_input',
          'duplicate_id',
          `Transfers ${j} and ${i} share the id ${id}`,
          `transfers.${i}.id`,
        );
      firstIndex.set(id, i);
    }
    const single = requests[0]!;
    if (
      deps.dialect === 'sqlite' &&
      !o.tx &&
      !o.batch &&
      requests.length === 1 &&
      payer.kind === 'member' &&
      single.reverses === undefined
    ) {
      return grouped({ communeId, payer: payer.accountId, request: single, hash: hashes[0]! });
    }
    let result: Result<Created>;
    try {
      result = await transact(deps, o.tx, (t) => apply(t, communeId, payer, requests, hashes, o));
    } catch (e) {
      // Two reversals of one transfer raced; the unique key on `reverses` decided.
      if (o.tx || !isUniqueViolation(e) || !requests.some((r) => r.reverses !== undefined)) throw e;
      result = err(rule('already_reversed', 'That transfer has already been reversed'));
    }
    if (result.ok) return result;
    return (await replay(o.tx ?? deps.db, communeId, requests, hashes, o.batch ?? false)) ?? result;
  }

  /** Posts or voids a pending transfer. Authority is checked first; the state under the row locks. */
  async function settle(
    communeId: string,
    id: string,
    action: 'post' | 'void',
    actor: Actor,
    o: { tx?: Executor | undefined } = {},
  ): Promise<Result<Transfer>> {
    const pre = await transfers(o.tx ?? deps.db).find(communeId, id);
    if (!pre) return fail('not_found', 'transfer_not_found', 'No such transfer in this commune');
    if (pre.from === PURSE && actor.kind !== 'system')
      return err(
        rule('purse_requires_decision', 'The purse pays out only through a passed spend proposal'),
      );
    if (
      actor.kind === 'member' &&
      actor.handle !== pre.from &&
      (action === 'post' || actor.handle !== pre.to)
    ) {
      return fail(
        'forbidden',
        'not_your_transfer',
        action === 'post'
          ? 'Only the payer can post a pending transfer'
          : 'Only the payer or the payee can void a pending transfer',
      );
    }
    const target: TransferStatus = action === 'post' ? 'posted' : 'voided';
    const done = await transact(
      deps,
      o.tx,
      async (t): Promise<Result<{ transfer: Transfer; refusal: AppError | null }>> => {
        const at = deps.clock.now().toISOString();
        const locked = new Locked(
          await accounts(t).lock(pre.communeId, { ids: [pre.fromAccountId, pre.toAccountId] }),
        );
        await expireHolds(t, locked, at);
        const current = (await transfers(t).find(communeId, id))!;
        const transfer = publicView(current);
        if (current.status === target) return ok({ transfer, refusal: null });
        // Refusals are kept as values, not rollbacks: an expiry found on the way must still commit.
        if (current.status !== 'pending')
          return ok({
            transfer,
            refusal: rule(
              'transfer_not_pending',
              `The transfer is ${current.status}, no longer pending`,
            ),
          });
        const from = locked.get(current.fromAccountId)!;
        const to = locked.get(current.toAccountId)!;
        let entry: Entry | undefined;
        if (action === 'post') {
          const moved = settleHold(from, to, current.amount);
          if (!moved.ok) return ok({ transfer, refusal: moved.error });
          entry = moved.value;
        } else {
          releaseHold(from, current.amount);
        }
        await transfers(t).resolve(communeId, id, target, at, entry);
        from.nextHoldExpiry = await transfers(t).earliestHold(from.id);
        await locked.save(t, deps);
        if (entry) await announcePosted(t, [{ id, communeId: current.communeId }]);
        return ok({ transfer: { ...transfer, status: target, resolvedAt: at }, refusal: null });
      },
    );
    if (!done.ok) return done;
    return done.value.refusal ? err(done.value.refusal) : ok(done.value.transfer);
  }

  /** Expires every hold past its timeout (the job runner's entry point); returns how many. */
  async function expireDue(communeId?: string): Promise<number> {
    let total = 0;
    for (;;) {
      const at = deps.clock.now().toISOString();
      const due = await transfers(deps.db).duePending(
        at,
        EXPIRY_CHUNK,
        communeId === undefined ? {} : { communeId },
      );
      const byCommune = new Map<string, Set<string>>();
      for (const h of due)
        (byCommune.get(h.communeId) ?? byCommune.set(h.communeId, new Set()).get(h.communeId)!).add(
          h.fromAccountId,
        );
      for (const [cid, payers] of byCommune) {
        const ids = [...payers];
        const r = await transact(deps, undefined, async (t) =>
          ok(await expireHolds(t, new Locked(await accounts(t).lock(cid, { ids })), at, ids)),
        );
        if (r.ok) total += r.value;
      }
      if (due.length < EXPIRY_CHUNK) return total;
    }
  }

  return {
    create,
    settle,
    expireDue,
    expireHolds,
    announcePosted,
    postedRows,

    /** For a passed spend proposal: holds the amount on the purse, inside the decision's transaction. */
    async reserveFromPurse(
      tx: Executor | undefined,
      s: {
        communeId: string;
        to: string;
        amount: number;
        memo: string;
        id?: string;
        timeoutSeconds?: number;
      },
    ): Promise<Result<Transfer>> {
      const request: TransferRequest = {
        id: s.id ?? newId(),
        to: s.to,
        amount: s.amount,
        memo: s.memo,
        pending: true,
        timeoutSeconds: s.timeoutSeconds,
        code: 'purse_spend',
      };
      const r = await create(s.communeId, { kind: 'purse' }, [request], { by: null, tx });
      return r.ok ? ok(r.value.transfers[0]!) : r;
    },
    postPending: (tx: Executor | undefined, communeId: string, id: string) =>
      settle(communeId, id, 'post', { kind: 'system' }, { tx }),
    voidPending: (tx: Executor | undefined, communeId: string, id: string) =>
      settle(communeId, id, 'void', { kind: 'system' }, { tx }),
  };
}
export type TransfersService = ReturnType<typeof transfersService>;
