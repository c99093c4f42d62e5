import type { Deps } from '../deps.ts';
import type { EventPublisher } from '../events/events.service.ts';
import { err, fail, ok, type AppError, type Result } from '../shared/result.ts';
import { DEFAULT_TIMEOUT_SECONDS, PURSE, type Transfer, type TransferStatus } from './ledger.ts';
import { accountsRepository } from './accounts.repository.ts';
import { Locked } from './locked.ts';
import { post, releaseHold, reserve, type AccountState, type Entry } from './posting.ts';
import type { Executor } from '../db/transaction.ts';
import { transfersRepository, type TransferRow } from './transfers.repository.ts';
import type { Payer, TransferRequest } from './transfers.types.ts';

/** What transfer_posted says of a transfer. */
export type Posted = {
  communeId: string;
  transferId: string;
  payee: AccountState['kind'];
  code: string;
};

export const EXPIRY_CHUNK = 500;
export const rule = (code: string, message: string, field?: string): AppError => ({
  type: 'rule_violation',
  code,
  message,
  ...(field ? { field } : {}),
});
export const conflict = (id: string, extra = '', field = 'id') =>
  fail(
    'conflict',
    'idempotency_conflict',
    `The id ${id} was already used for a different transfer${extra}`,
    field,
  );

/**
 * The steps every write of the ledger shares: locking the accounts, expiring due holds,
 * judging one transfer against locked states, and announcing what moved.
 */
export function transferSteps(deps: Deps, events: EventPublisher) {
  const accounts = (ex: Executor) => accountsRepository(ex, deps.dialect);
  const transfers = (ex: Executor) => transfersRepository(ex, deps.dialect);

  /**
   * transfer_posted for every transfer that moved money, in the transaction that wrote it
   * (a pending one announces itself when it is posted), with the payee's kind and the code
   * that subscribers filter on. Money already moved cannot be refused by a subscriber: one
   * that tries is a bug.
   */
  async function announcePosted(tx: Executor, posted: Posted[]): Promise<void> {
    const told = await events.publish(
      tx,
      posted.map((t) => ({ type: 'transfer_posted', ...t })),
    );
    if (!told.ok) throw new Error(`a transfer_posted subscriber refused: ${told.error.code}`);
  }
  /** The posted rows among `rows`, their payees' kinds read from the accounts locked to write them. */
  const postedRows = (rows: TransferRow[], locked: Locked | Iterable<Locked>): Posted[] => {
    const all = locked instanceof Locked ? [locked] : [...locked];
    const payee = (id: string) => {
      for (const l of all) {
        const a = l.get(id);
        if (a) return a.kind;
      }
      throw new Error(`the payee account ${id} was not locked`);
    };
    return rows
      .filter((r) => r.status === 'posted')
      .map((r) => ({
        communeId: r.commune_id,
        transferId: r.id,
        payee: payee(r.to_account_id),
        code: r.code,
      }));
  };

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
        ownerIds: [
          ...payers.flatMap((p) =>
            p.kind === 'member' ? [p.accountId] : p.kind === 'clearing' ? [p.partnerId] : [],
          ),
          ...requests.flatMap((r) => (r.toClearing ? [r.toClearing] : [])),
        ],
        handles: [
          ...new Set(requests.filter((r) => !r.toClearing && r.to !== PURSE).map((r) => r.to)),
        ],
        purse: payers.some((p) => p.kind === 'purse') || requests.some((r) => r.to === PURSE),
      }),
    );
    await expireHolds(tx, locked, at);
    return locked;
  }

  const payerState = (locked: Locked, payer: Payer): Result<AccountState> => {
    const from =
      payer.kind === 'purse'
        ? locked.purse
        : payer.kind === 'clearing'
          ? locked.clearing(payer.partnerId)
          : locked.owner(payer.accountId);
    if (from) return ok(from);
    if (payer.kind === 'purse')
      return fail('not_found', 'ledger_not_found', 'This commune has no ledger');
    return payer.kind === 'clearing'
      ? err(rule('no_alliance', 'This commune has no clearing account with that commune'))
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
    const to = r.toClearing
      ? locked.clearing(r.toClearing)
      : r.to === PURSE
        ? locked.purse
        : locked.member(r.to);
    if (!to && r.toClearing)
      return err(rule('no_alliance', 'This commune has no clearing account with that commune'));
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

  return { announcePosted, postedRows, expireHolds, lockFor, payerState, evaluate };
}
export type TransferSteps = ReturnType<typeof transferSteps>;
