import { ledgerFail } from './ledger.errors.ts';
import { err, ok, type AppError, type Result } from '../shared/result.ts';
import { PURSE } from './ledger.ts';

// How movements change account states, checked one by one. Services lock the rows, run
// these rules in memory, then write the results in the same transaction.

export type AccountState = {
  id: string;
  kind: 'member' | 'purse' | 'clearing';
  /** The member's handle, "purse", or an allied commune's handle (its clearing account). */
  handle: string;
  ownerId: string | null;
  balance: number;
  /** Pending debits: reserved, not yet moved. */
  held: number;
  /** A floor below zero; the purse's is 0. */
  creditLimit: number;
  maxBalance: number | null;
  frozen: boolean;
  /** Postings on this account so far; a statement line's number. */
  seq: number;
  nextHoldExpiry: string | null;
};

/** Where a posted movement left both accounts. */
export type Entry = { fromSeq: number; fromBalance: number; toSeq: number; toBalance: number };

/** What the payer may still spend: balance above the floor, minus holds. */
export const spendable = (a: AccountState): number => a.balance - a.held + a.creditLimit;

export const withinLimits = (a: AccountState): boolean =>
  a.held >= 0 &&
  a.balance - a.held >= -a.creditLimit &&
  (a.maxBalance === null || a.balance <= a.maxBalance);

export function refuseDebit(a: AccountState, amount: number): AppError | null {
  if (a.frozen)
    return {
      type: 'rule_violation',
      code: 'account_frozen',
      message: `The account of ${a.handle} is frozen: no payments go to or from it`,
    };
  if (spendable(a) - amount >= 0) return null;
  if (a.kind === 'purse') {
    return {
      type: 'rule_violation',
      code: 'purse_insufficient_funds',
      message: `The purse holds ${a.balance - a.held} available; ${amount} was asked`,
    };
  }
  return {
    type: 'rule_violation',
    code: 'credit_limit_exceeded',
    message: `This would take ${a.handle} below the credit limit of -${a.creditLimit}: at most ${Math.max(0, spendable(a))} can be paid now`,
  };
}

export function refuseCredit(b: AccountState, amount: number): AppError | null {
  if (b.frozen)
    return {
      type: 'rule_violation',
      code: 'payee_frozen',
      message: `${b.handle} has left the commune; their account is frozen`,
    };
  if (b.maxBalance !== null && b.balance + amount > b.maxBalance) {
    return {
      type: 'rule_violation',
      code: 'max_balance_exceeded',
      message: `This would take ${b.handle} above the maximum balance of ${b.maxBalance}`,
    };
  }
  return null;
}

function move(from: AccountState, to: AccountState, amount: number): Entry {
  from.balance -= amount;
  from.seq += 1;
  to.balance += amount;
  to.seq += 1;
  return { fromSeq: from.seq, fromBalance: from.balance, toSeq: to.seq, toBalance: to.balance };
}

function distinct(from: AccountState, to: AccountState): AppError | null {
  if (from.id !== to.id) return null;
  return {
    type: 'rule_violation',
    code: 'self_payment',
    message: from.handle === PURSE ? 'The purse cannot pay itself' : 'You cannot pay yourself',
  };
}

/** An immediate transfer: both sides checked, then moved. States change only on success. */
export function post(from: AccountState, to: AccountState, amount: number): Result<Entry> {
  const refused = distinct(from, to) ?? refuseDebit(from, amount) ?? refuseCredit(to, amount);
  return refused ? err(refused) : ok(move(from, to, amount));
}

/** The first phase: the amount is held on the payer and counts against the limit. */
export function reserve(
  from: AccountState,
  to: AccountState,
  amount: number,
  timeoutAt: string,
): Result<void> {
  const refused = distinct(from, to) ?? refuseDebit(from, amount) ?? refuseCredit(to, amount);
  if (refused) return err(refused);
  from.held += amount;
  if (from.nextHoldExpiry === null || timeoutAt < from.nextHoldExpiry)
    from.nextHoldExpiry = timeoutAt;
  return ok(undefined);
}

/** Posts a hold. The payer's room does not change (the hold already counted); the payee is checked again. */
export function settleHold(from: AccountState, to: AccountState, amount: number): Result<Entry> {
  if (from.held < amount) throw new Error(`hold of ${amount} missing on ${from.id}`);
  const refused = refuseCredit(to, amount);
  if (refused) return err(refused);
  from.held -= amount;
  return ok(move(from, to, amount));
}

export function releaseHold(from: AccountState, amount: number): void {
  if (from.held < amount) throw new Error(`hold of ${amount} missing on ${from.id}`);
  from.held -= amount;
}

/**
 * The month's demurrage on a positive balance, rounded down, and never more than the
 * account could pay without crossing its floor.
 */
export function demurrageCharge(a: AccountState, basisPoints: number): number {
  if (a.kind !== 'member' || a.frozen || a.balance <= 0 || basisPoints <= 0) return 0;
  const due = Number((BigInt(a.balance) * BigInt(basisPoints)) / 10_000n);
  return Math.max(0, Math.min(due, spendable(a)));
}

/** A member may leave with a positive or zero balance; a debt must be settled first. */
export function leaveRefusal(a: AccountState): Result<void> {
  if (a.balance >= 0) return ok(undefined);
  return ledgerFail(
    'negative_balance',
    `Your balance is ${a.balance}: pay it back to members or the purse before leaving (or ask for a decision to write it off)`,
    { details: { balance: a.balance } },
  );
}

export const snapshot = (a: AccountState): AccountState => ({ ...a });
export const changed = (a: AccountState, before: AccountState): boolean =>
  a.balance !== before.balance ||
  a.held !== before.held ||
  a.seq !== before.seq ||
  a.nextHoldExpiry !== before.nextHoldExpiry ||
  a.frozen !== before.frozen;

/** An account beside what its transfers say (from the repository's audit query). */
export type AccountAudit = {
  account: AccountState;
  postedIn: number;
  postedOut: number;
  pendingOut: number;
  postings: number;
};

/** Everything that would make a commune's books wrong; empty when they are right. */
export function auditProblems(rows: AccountAudit[]): string[] {
  const problems: string[] = [];
  const sum = rows.reduce((n, r) => n + r.account.balance, 0);
  if (sum !== 0) problems.push(`balances sum to ${sum}, not 0`);
  for (const { account: a, postedIn, postedOut, pendingOut, postings } of rows) {
    if (a.balance !== postedIn - postedOut)
      problems.push(
        `${a.handle}: balance ${a.balance}, but its postings sum to ${postedIn - postedOut}`,
      );
    if (a.held !== pendingOut)
      problems.push(`${a.handle}: holds ${a.held}, but its pending transfers sum to ${pendingOut}`);
    if (a.seq !== postings)
      problems.push(`${a.handle}: sequence ${a.seq}, but it has ${postings} postings`);
    if (!withinLimits(a))
      problems.push(`${a.handle}: balance ${a.balance} with ${a.held} held is beyond its limits`);
  }
  return problems;
}
