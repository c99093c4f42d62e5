import type { Deps } from '../deps.ts';
import { newId } from '../shared/ids.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { DEFAULT_CURRENCY, PURSE, type Currency } from './ledger.ts';
import { handlesRepository } from '../identity/handles.repository.ts';
import { accountsRepository } from './accounts.repository.ts';
import { currencyRepository } from './currency.repository.ts';
import { Locked } from './locked.ts';
import { leaveRefusal, releaseHold } from './posting.ts';
import type { Executor } from '../db/transaction.ts';
import { transfersRepository } from './transfers.repository.ts';
import type { TransfersService } from './transfers.service.ts';

export const accountNotFound = (owner: string) =>
  fail('not_found', 'account_not_found', `${owner} has no account in this commune`);

/** Accounts follow membership: ledger.subscribers.ts calls these inside the membership transactions. */
export function accountsService(deps: Deps, writes: TransfersService) {
  const accounts = (ex: Executor = deps.db) => accountsRepository(ex, deps.dialect);
  const currencies = (ex: Executor = deps.db) => currencyRepository(ex);
  const transfers = (ex: Executor = deps.db) => transfersRepository(ex, deps.dialect);
  const now = () => deps.clock.now().toISOString();

  async function ensureLedger(tx: Executor, communeId: string): Promise<Currency> {
    const found = await currencies(tx).findCurrency(communeId);
    if (found) return found;
    const at = now();
    await currencies(tx).insertCurrency(communeId, DEFAULT_CURRENCY, at);
    await accounts(tx).insertAccount({
      id: newId(),
      communeId,
      kind: 'purse',
      ownerId: null,
      handle: PURSE,
      creditLimit: 0,
      maxBalance: null,
      at,
    });
    return DEFAULT_CURRENCY;
  }
  return {
    async openLedger(tx: Executor, communeId: string): Promise<void> {
      await ensureLedger(tx, communeId);
    },
    async openAccount(tx: Executor, communeId: string, accountId: string): Promise<void> {
      const currency = await ensureLedger(tx, communeId);
      const existing = await accounts(tx).findByOwner(communeId, accountId);
      if (existing) {
        // Coming back thaws the old account, balance and all.
        const locked = new Locked(await accounts(tx).lock(communeId, { ids: [existing.id] }));
        locked.get(existing.id)!.frozen = false;
        await locked.save(tx, deps);
        return;
      }
      // Kept on the ledger account, so ledger reads need no join into identity.
      const handle = await handlesRepository(tx).handleOf(accountId);
      if (handle === undefined) throw new Error(`openAccount: no person ${accountId}`);
      await accounts(tx).insertAccount({
        id: newId(),
        communeId,
        kind: 'member',
        ownerId: accountId,
        handle,
        creditLimit: currency.defaultCreditLimit,
        maxBalance: currency.maxBalance,
        at: now(),
      });
    },
    /** Freezes a leaver's account; refused while their balance is not zero. */
    async freezeAccount(tx: Executor, communeId: string, accountId: string): Promise<Result<void>> {
      const mine = await accounts(tx).findByOwner(communeId, accountId);
      if (!mine) return ok(undefined);
      const at = now();
      // Only the leaver's row is locked: their own holds are voided; payments waiting to come in
      // stay pending and are refused at posting (the account is frozen) or run out.
      const locked = new Locked(await accounts(tx).lock(communeId, { ids: [mine.id] }));
      await writes.expireHolds(tx, locked, at);
      const me = locked.get(mine.id)!;
      const allowed = leaveRefusal(me);
      if (!allowed.ok) return allowed;
      for (const p of await transfers(tx).pendingInvolving(me.id)) {
        if (
          p.fromAccountId === me.id &&
          (await transfers(tx).resolve(communeId, p.id, 'voided', at))
        )
          releaseHold(me, p.amount);
      }
      me.nextHoldExpiry = null;
      me.frozen = true;
      await locked.save(tx, deps);
      return ok(undefined);
    },
  };
}
