import type { Deps } from '../deps.ts';
import { eventBus, type EventPublisher } from '../events/events.service.ts';
import { newId } from '../shared/ids.ts';
import { toPage, type Page } from '../shared/pagination.ts';
import { fail, notFound, ok, type Result } from '../shared/result.ts';
import {
  DEFAULT_CURRENCY,
  PURSE,
  derivedId,
  monthOf,
  requestHash,
  type Currency,
  type CurrencyUpdate,
  type Ledger,
  type LedgerAccount,
  type LimitChange,
  type StatementLine,
  type Transfer,
  type TransferInput,
} from './ledger.ts';
import { batchSizeRefusal, inBatch, memberRequest } from './member-payment.ts';
import { csvCell } from './csv.ts';
import { ledgerRepository } from './ledger.repository.ts';
import { Locked } from './locked.ts';
import {
  auditProblems,
  demurrageCharge,
  leaveRefusal,
  post,
  releaseHold,
  type AccountState,
} from './posting.ts';
import { transact, type Executor } from '../db/transaction.ts';
import { publicView, transfersRepository, type TransferRow } from './transfers.repository.ts';
import { transfersService, type Created, type TransferRequest } from './transfers.service.ts';

/** Who changes a limit or the currency: a steward, or null for a passed decision. */
export type Changer = { id: string; handle: string } | null;

const currencyOnly = ({
  demurragePeriod: _p,
  ...c
}: Currency & { demurragePeriod: string | null }): Currency => c;
const accountView = (a: AccountState): LedgerAccount => ({
  owner: a.handle,
  balance: a.balance,
  creditLimit: a.creditLimit,
  held: a.held,
  frozen: a.frozen,
});
const accountNotFound = (owner: string) =>
  fail('not_found', 'account_not_found', `${owner} has no account in this commune`);

// List cursors: the last row's (createdAt, id), opaque to clients.
const encodeCursor = (t: Transfer): string =>
  Buffer.from(`${t.createdAt}|${t.id}`).toString('base64url');
function decodeCursor(s: string): { createdAt: string; id: string } | undefined {
  const [createdAt, id, extra] = Buffer.from(s, 'base64url').toString('utf8').split('|');
  return createdAt && id && extra === undefined ? { createdAt, id } : undefined;
}
const badCursor = () =>
  fail('invalid_input', 'invalid_cursor', 'before: not a cursor this list gave out', 'before');

/**
 * The ledger of each commune: accounts following membership, reads, currency and limits;
 * writes go to transfersService, which publishes transfer_posted through `events`.
 */
export function ledgerService(deps: Deps, events: EventPublisher = eventBus(deps)) {
  const writes = transfersService(deps, events);
  const accounts = (ex: Executor = deps.db) => ledgerRepository(ex, deps.dialect);
  const transfers = (ex: Executor = deps.db) => transfersRepository(ex, deps.dialect);
  const now = () => deps.clock.now().toISOString();

  async function ensureLedger(tx: Executor, communeId: string): Promise<Currency> {
    const found = await accounts(tx).findCurrency(communeId);
    if (found) return found;
    const at = now();
    await accounts(tx).insertCurrency(communeId, DEFAULT_CURRENCY, at);
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

  /** Accounts follow membership: ledger.subscribers.ts calls these inside the membership transactions. */
  const membership = {
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
      const handle = await accounts(tx).personHandle(accountId);
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

  /** Reads show holds as they are: due expiries are applied first. */
  async function freshen(communeId: string): Promise<void> {
    const next = await accounts().nextHoldExpiry(communeId);
    if (next !== null && next <= now()) await writes.expireDue(communeId);
  }

  async function accountOf(communeId: string, owner: string): Promise<Result<AccountState>> {
    const a = await accounts().findByHandle(communeId, owner);
    return a ? ok(a) : accountNotFound(owner);
  }

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
    await accounts(tx).insertLimitChange({
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
      const found = await accounts(t).findCurrency(communeId);
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
      await accounts(t).updateCurrency(communeId, next, now());
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
      const currency = await accounts(t).findCurrency(s.communeId);
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
      const currency = await accounts(t).findCurrency(communeId);
      if (!currency) return notFound('Ledger');
      if (currency.demurrageBasisPoints === 0) return ok({ charged: 0, total: 0 });
      const at = now();
      const locked = new Locked(await accounts(t).lock(communeId, { all: true }));
      if (!(await accounts(t).claimDemurragePeriod(communeId, period)))
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
      await writes.announcePosted(t, writes.postedRows(rows));
      return ok({ charged: rows.length, total: rows.reduce((n, r) => n + Number(r.amount), 0) });
    });
  }

  return {
    membership,
    chargeDemurrage,
    updateCurrency,
    setCreditLimit,
    reserveFromPurse: writes.reserveFromPurse,
    postPending: writes.postPending,
    voidPending: writes.voidPending,
    expireDue: writes.expireDue,
    settle: writes.settle,

    /**
     * A member pays from their own account through the API: the request rules
     * (member-payment.ts), then the one write path. A batch applies all or none.
     */
    async payAsMember(
      communeId: string,
      payer: { id: string; handle: string },
      inputs: TransferInput[],
      batch = false,
    ): Promise<Result<Created>> {
      if (batch) {
        const size = batchSizeRefusal(inputs.length);
        if (!size.ok) return size;
      }
      const requests: TransferRequest[] = [];
      for (const [i, input] of inputs.entries()) {
        const r = memberRequest(input, payer.handle);
        if (!r.ok) return batch ? inBatch(i, r.error) : r;
        requests.push(r.value);
      }
      return writes.create(communeId, { kind: 'member', accountId: payer.id }, requests, {
        by: payer.id,
        batch,
      });
    },

    /** A member pays from their own account: one transfer, or a batch that applies all or none. */
    pay: (communeId: string, payerId: string, requests: TransferRequest[], batch = false) =>
      writes.create(communeId, { kind: 'member', accountId: payerId }, requests, {
        by: payerId,
        batch,
      }),

    async ledger(communeId: string): Promise<Result<Ledger>> {
      await freshen(communeId);
      const found = await accounts().findCurrency(communeId);
      if (!found) return notFound('Ledger');
      const currency = currencyOnly(found);
      const rows = await accounts().visibleAccounts(communeId);
      return ok({
        currency,
        accounts: rows.map(accountView),
        sum: rows.reduce((n, a) => n + a.balance, 0),
      });
    },

    async transfer(communeId: string, id: string): Promise<Result<Transfer>> {
      await freshen(communeId);
      const t = await transfers().find(communeId, id);
      return t
        ? ok(publicView(t))
        : fail('not_found', 'transfer_not_found', 'No such transfer in this commune');
    },

    async transfers(
      communeId: string,
      q: { account?: string | undefined; limit: number; before?: string | undefined },
    ): Promise<Result<Page<Transfer>>> {
      const before = q.before === undefined ? undefined : decodeCursor(q.before);
      if (q.before !== undefined && !before) return badCursor();
      let accountId: string | undefined;
      if (q.account !== undefined) {
        const a = await accountOf(communeId, q.account);
        if (!a.ok) return a;
        accountId = a.value.id;
      }
      await freshen(communeId);
      const rows = await transfers().list(communeId, q.limit, {
        ...(accountId ? { accountId } : {}),
        ...(before ? { before } : {}),
      });
      return ok(toPage(rows, q.limit, encodeCursor));
    },

    async statement(
      communeId: string,
      owner: string,
      q: { limit: number; before?: string | undefined },
    ): Promise<Result<Page<StatementLine> & { account: LedgerAccount }>> {
      const before = q.before === undefined ? undefined : Number(q.before);
      if (before !== undefined && !(Number.isSafeInteger(before) && before > 0)) return badCursor();
      await freshen(communeId);
      const a = await accountOf(communeId, owner);
      if (!a.ok) return a;
      const lines = await transfers().statement(
        a.value.id,
        q.limit,
        before === undefined ? {} : { before },
      );
      return ok({ account: accountView(a.value), ...toPage(lines, q.limit, (l) => String(l.seq)) });
    },

    /** The whole statement, oldest first, as CSV. */
    async statementCsv(communeId: string, owner: string): Promise<Result<string>> {
      const a = await accountOf(communeId, owner);
      if (!a.ok) return a;
      const out = ['seq,at,transfer_id,counterparty,amount,balance,code,memo'];
      for (let after = 0; ;) {
        const lines = (await transfers().statement(a.value.id, 1000, { after })).slice(0, 1000);
        for (const l of lines)
          out.push(
            [l.seq, l.at, l.transferId, l.counterparty, l.amount, l.balance, l.code, l.memo]
              .map(csvCell)
              .join(','),
          );
        if (lines.length < 1000) break;
        after = lines[lines.length - 1]!.seq;
      }
      return ok(out.join('\r\n') + '\r\n');
    },

    /** Checks the books: sum zero, each balance equal to its postings, holds equal to pending, limits kept. */
    async audit(
      communeId: string,
    ): Promise<Result<{ accounts: number; sum: number; problems: string[] }>> {
      const rows = await accounts().audit(communeId);
      if (rows.length === 0) return notFound('Ledger');
      return ok({
        accounts: rows.length,
        sum: rows.reduce((n, r) => n + r.account.balance, 0),
        problems: auditProblems(rows),
      });
    },

    async limitChanges(
      communeId: string,
      q: { limit: number; before?: string | undefined },
    ): Promise<Result<Page<LimitChange>>> {
      const rows = await accounts().limitChanges(communeId, q.limit, q.before);
      return ok(toPage(rows, q.limit, (c) => c.id));
    },

    /** Communes with demurrage on that chargeDemurrage has not charged for `period` yet (the background job's list). */
    communesDueDemurrage: (period = monthOf(deps.clock.now())): Promise<string[]> =>
      accounts().communesDueDemurrage(period),
  };
}
export type LedgerService = ReturnType<typeof ledgerService>;
