import { isUniqueViolation } from '../db/database.ts';
import type { Deps } from '../deps.ts';
import type { EventPublisher } from '../events/events.service.ts';
import { newId } from '../shared/ids.ts';
import { err, fail, ok, type Result } from '../shared/result.ts';
import { PURSE, requestHash, type Transfer } from './ledger.ts';
import { transact, type Executor } from '../db/transaction.ts';
import { publicView, transfersRepository, type TransferRow } from './transfers.repository.ts';
import { groupCommit } from './group-commit.ts';
import { holdsService } from './holds.service.ts';
import { conflict, rule, transferSteps } from './transfer-steps.ts';
import type { CreateOptions, Created, Payer, TransferRequest } from './transfers.types.ts';

/** Every write of the ledger: transfers, batches, two-phase holds and their expiry. */
export function transfersService(deps: Deps, events: EventPublisher) {
  const transfers = (ex: Executor) => transfersRepository(ex, deps.dialect);
  const steps = transferSteps(deps, events);
  const { announcePosted, postedRows, expireHolds, lockFor, payerState, evaluate } = steps;
  const holds = holdsService(deps, steps);
  const grouped = groupCommit(deps, steps);

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
    await announcePosted(tx, postedRows(rows, locked));
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

  async function create(
    communeId: string,
    payer: Payer,
    requests: TransferRequest[],
    o: CreateOptions,
  ): Promise<Result<Created>> {
    const payerKey =
      payer.kind === 'purse'
        ? PURSE
        : payer.kind === 'clearing'
          ? `clearing:${payer.partnerId}`
          : payer.accountId;
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
      !o.tx &&
      !o.batch &&
      requests.length === 1 &&
      payer.kind === 'member' &&
      single.reverses === undefined &&
      single.toClearing === undefined
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

  return {
    create,
    settle: holds.settle,
    /** Resolves once no single transfer is queued or being written (before closing the database). */
    idle: grouped.idle,
    expireDue: holds.expireDue,
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
    postPending: holds.postPending,
    voidPending: holds.voidPending,
  };
}
export type TransfersService = ReturnType<typeof transfersService>;
