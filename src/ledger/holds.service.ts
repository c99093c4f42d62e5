import type { Deps } from '../deps.ts';
import { err, fail, ok, type AppError, type Result } from '../shared/result.ts';
import { PURSE, type Transfer, type TransferStatus } from './ledger.ts';
import { accountsRepository } from './accounts.repository.ts';
import { Locked } from './locked.ts';
import { releaseHold, settleHold, type Entry } from './posting.ts';
import { transact, type Executor } from '../db/transaction.ts';
import { publicView, transfersRepository } from './transfers.repository.ts';
import { EXPIRY_CHUNK, rule, type TransferSteps } from './transfer-steps.ts';
import type { Actor } from './transfers.types.ts';

/** Two-phase transfers after they are held: posting, voiding, and expiry of the pending ones. */
export function holdsService(deps: Deps, steps: TransferSteps) {
  const accounts = (ex: Executor) => accountsRepository(ex, deps.dialect);
  const transfers = (ex: Executor) => transfersRepository(ex, deps.dialect);
  const { announcePosted, expireHolds } = steps;

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
        if (entry)
          await announcePosted(t, [
            { communeId: current.communeId, transferId: id, payee: to.kind, code: current.code },
          ]);
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
    settle,
    expireDue,
    postPending: (tx: Executor | undefined, communeId: string, id: string) =>
      settle(communeId, id, 'post', { kind: 'system' }, { tx }),
    voidPending: (tx: Executor | undefined, communeId: string, id: string) =>
      settle(communeId, id, 'void', { kind: 'system' }, { tx }),
  };
}
export type HoldsService = ReturnType<typeof holdsService>;
