import type { Deps } from '../deps.ts';
import { newId } from '../shared/ids.ts';
import { toPage, type Page } from '../shared/pagination.ts';
import { fail, notFound, ok, type Result } from '../shared/result.ts';
import {
  PURSE,
  derivedId,
  monthOf,
  requestHash,
  type Currency,
  type CurrencyUpdate,
  type LimitChange,
} from './ledger.ts';
import { accountsRepository } from './accounts.repository.ts';
import { accountNotFound } from './accounts.service.ts';
import { currencyRepository } from './currency.repository.ts';
import { Locked } from './locked.ts';
import { demurrageCharge, post } from './posting.ts';
import { transact, type Executor } from '../db/transaction.ts';
import { transfersRepository, type TransferRow } from './transfers.repository.ts';
import type { TransfersService } from './transfers.service.ts';

/** Who changes a limit or the currency: a steward, or null for a passed decision. */
export type Changer = { id: string; handle: string } | null;

export const currencyOnly = ({
  demurragePeriod: _p,
  ...c
}: Currency & { demurragePeriod: string | null }): Currency => c;

/** The currency of each commune: its settings, credit limits and their log, and demurrage. */
export function currencyService(deps: Deps, writes: TransfersService) {
  const accounts = (ex: Executor = deps.db) => accountsRepository(ex, deps.dialect);
  const currencies = (ex: Executor = deps.db) => currencyRepository(ex);
  const transfers = (ex: Executor = deps.db) => transfersRepository(ex, deps.dialect);
  const now = () => deps.clock.now().toISOString();

  async function logLimit(
    tx: Executor,
    c: {
      communeId: string;
      accountId: string | null;
      owner: string;
      oldLimit: number;
      newLimit: number;
      by: Changer;
    },
  ) {
    await currencies(tx).insertLimitChange({
      id: newId(),
      communeId: c.communeId,
      accountId: c.accountId,
      owner: c.owner,
      oldLimit: c.oldLimit,
      newLimit: c.newLimit,
      changedBy: c.by?.id ?? null,
      changedByHandle: c.by?.handle ?? null,
      via: c.by ? 'steward' : 'decision',
      at: now(),
    });
  }

  /** A steward's change now, a decision's later; limits may not drop below what accounts already use. */
  async function updateCurrency(
    communeId: string,
    patch: CurrencyUpdate,
    by: Changer,
    tx?: Executor,
  ): Promise<Result<Currency>> {
    return transact(deps, tx, async (t) => {
      const found = await currencies(t).findCurrency(communeId);
      if (!found) return notFound('Ledger');
      const current = currencyOnly(found);
      const next: Currency = { ...current };
      for (const [k, v] of Object.entries(patch))
        if (v !== undefined) (next as Record<string, unknown>)[k] = v;
      if (next.decimals !== current.decimals && (await transfers(t).hasAny(communeId))) {
        return fail(
          'rule_violation',
          'decimals_locked',
          'Decimal places cannot change once transfers exist: every amount would change meaning',
          'decimals',
        );
      }
      const limitChanged = next.defaultCreditLimit !== current.defaultCreditLimit;
      const maxChanged = next.maxBalance !== current.maxBalance;
      if (limitChanged || maxChanged) {
        const locked = new Locked(await accounts(t).lock(communeId, { all: true }));
        await writes.expireHolds(t, locked, now());
        const members = [...locked.byId.values()].filter((s) => s.kind === 'member');
        if (limitChanged) {
          const followers = new Set(await accounts(t).defaultLimitAccounts(communeId));
          const short = members.find(
            (s) => followers.has(s.id) && s.balance - s.held < -next.defaultCreditLimit,
          );
          if (short) {
            return fail(
              'rule_violation',
              'limit_below_balance',
              `${short.handle} already uses ${short.held - short.balance} of credit; the default limit cannot go below that`,
              'defaultCreditLimit',
            );
          }
          await accounts(t).applyDefaultLimit(communeId, next.defaultCreditLimit);
          await logLimit(t, {
            communeId,
            accountId: null,
            owner: 'default',
            oldLimit: current.defaultCreditLimit,
            newLimit: next.defaultCreditLimit,
            by,
          });
        }
        if (maxChanged) {
          const over =
            next.maxBalance === null
              ? undefined
              : members.find((s) => s.balance > next.maxBalance!);
          if (over)
            return fail(
              'rule_violation',
              'max_below_balance',
              `${over.handle} already holds ${over.balance}; the maximum cannot go below that`,
              'maxBalance',
            );
          await accounts(t).applyMaxBalance(communeId, next.maxBalance);
        }
      }
      await currencies(t).updateCurrency(communeId, next, now());
      return ok(next);
    });
  }

  /** Sets one member's limit (null: back to the default) or the default ("default"); every change is logged. */
  async function setCreditLimit(
    tx: Executor | undefined,
    s: { communeId: string; owner: string; limit: number | null; by: Changer },
  ): Promise<Result<{ owner: string; creditLimit: number; overridden: boolean }>> {
    if (s.owner === 'default') {
      if (s.limit === null)
        return fail('invalid_input', 'invalid_input', 'limit: the default needs a number', 'limit');
      const r = await updateCurrency(s.communeId, { defaultCreditLimit: s.limit }, s.by, tx);
      return r.ok
        ? ok({ owner: 'default', creditLimit: r.value.defaultCreditLimit, overridden: false })
        : r;
    }
    if (s.owner === PURSE)
      return fail(
        'rule_violation',
        'purse_limit_fixed',
        'The purse never goes below zero; its limit cannot change',
      );
    return transact(deps, tx, async (t) => {
      const found = await accounts(t).findByHandle(s.communeId, s.owner);
      const currency = await currencies(t).findCurrency(s.communeId);
      if (!found || !currency) return accountNotFound(s.owner);
      const locked = new Locked(await accounts(t).lock(s.communeId, { ids: [found.id] }));
      await writes.expireHolds(t, locked, now());
      const a = locked.get(found.id)!;
      const limit = s.limit ?? currency.defaultCreditLimit;
      if (a.balance - a.held < -limit) {
        return fail(
          'rule_violation',
          'limit_below_balance',
          `${a.handle} already uses ${a.held - a.balance} of credit; the limit cannot go below that`,
          'limit',
        );
      }
      await accounts(t).setLimit(a.id, limit, s.limit !== null);
      await logLimit(t, {
        communeId: s.communeId,
        accountId: a.id,
        owner: a.handle,
        oldLimit: a.creditLimit,
        newLimit: limit,
        by: s.by,
      });
      return ok({ owner: a.handle, creditLimit: limit, overridden: s.limit !== null });
    });
  }

  /**
   * Moves the month's demurrage from positive balances to the purse as explicit transfers
   * (code "demurrage"). Each period is charged once.
   */
  async function chargeDemurrage(
    communeId: string,
    period = monthOf(deps.clock.now()),
    tx?: Executor,
  ): Promise<Result<{ charged: number; total: number }>> {
    return transact(deps, tx, async (t) => {
      const currency = await currencies(t).findCurrency(communeId);
      if (!currency) return notFound('Ledger');
      if (currency.demurrageBasisPoints === 0) return ok({ charged: 0, total: 0 });
      const at = now();
      const locked = new Locked(await accounts(t).lock(communeId, { all: true }));
      if (!(await currencies(t).claimDemurragePeriod(communeId, period)))
        return ok({ charged: 0, total: 0 });
      await writes.expireHolds(t, locked, at);
      const purse = locked.purse!;
      const memo = `Demurrage ${period}: ${currency.demurrageBasisPoints / 100} %`;
      const rows: TransferRow[] = [];
      for (const s of locked.byId.values()) {
        const amount = demurrageCharge(s, currency.demurrageBasisPoints);
        const moved = amount > 0 ? post(s, purse, amount) : undefined;
        if (!moved?.ok) continue;
        const e = moved.value;
        rows.push({
          id: derivedId('demurrage', communeId, period, s.id),
          commune_id: communeId,
          code: 'demurrage',
          from_account_id: s.id,
          to_account_id: purse.id,
          amount,
          memo,
          status: 'posted',
          body_hash: requestHash(communeId, s.ownerId ?? s.id, {
            to: PURSE,
            amount,
            memo,
            code: 'demurrage',
          }),
          created_by: null,
          created_at: at,
          timeout_at: null,
          resolved_at: at,
          reverses: null,
          from_seq: e.fromSeq,
          from_balance: e.fromBalance,
          to_seq: e.toSeq,
          to_balance: e.toBalance,
        });
      }
      if ((await transfers(t).insert(rows)) < rows.length)
        throw new Error(`demurrage for ${period} collided with existing transfers`);
      await locked.save(t, deps);
      await writes.announcePosted(t, writes.postedRows(rows, locked));
      return ok({ charged: rows.length, total: rows.reduce((n, r) => n + Number(r.amount), 0) });
    });
  }
  return {
    chargeDemurrage,
    updateCurrency,
    setCreditLimit,

    async limitChanges(
      communeId: string,
      q: { limit: number; before?: string | undefined },
    ): Promise<Result<Page<LimitChange>>> {
      const rows = await currencies().limitChanges(communeId, q.limit, q.before);
      return ok(toPage(rows, q.limit, (c) => c.id));
    },

    /** Communes with demurrage on that chargeDemurrage has not charged for `period` yet (the background job's list). */
    communesDueDemurrage: (period = monthOf(deps.clock.now())): Promise<string[]> =>
      currencies().communesDueDemurrage(period),
  };
}
