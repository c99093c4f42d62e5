import type { ReactNode } from 'react';
import {
  PURSE,
  type Currency,
  type LedgerAccount,
  type LimitChange,
  type StatementLine,
  type Transfer,
} from '../api/ledger.ts';
import { Link } from '../router.tsx';
import { When } from '../ui/page.tsx';
import { formatAmount, formatChange, formatMoney, pluralUnit } from './money.ts';
import { accountPath } from './paths.ts';

/** A wide table scrolls inside its own box (reachable by keyboard), never the whole page. */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}

export function AccountLink({
  commune,
  owner,
  me,
  clearing = false,
}: {
  commune: string;
  owner: string;
  me?: string | undefined;
  /** The owner is an allied commune: the account is our trade balance with it. */
  clearing?: boolean;
}) {
  const text = owner === PURSE ? 'The purse' : clearing ? `@${owner} (clearing)` : `@${owner}`;
  return (
    <Link to={accountPath(commune, owner)}>
      {text}
      {owner === me ? ' (you)' : null}
    </Link>
  );
}

/** Every account of the commune: everyone sees everyone's, that is the point. */
export function AccountsTable({
  commune,
  accounts,
  currency,
  me,
}: {
  commune: string;
  accounts: LedgerAccount[];
  currency: Currency;
  me?: string | undefined;
}) {
  const units = pluralUnit(currency.unit);
  const sorted = [...accounts].sort((a, b) =>
    a.owner === PURSE ? -1 : b.owner === PURSE ? 1 : a.owner.localeCompare(b.owner),
  );
  return (
    <TableScroll label="Accounts">
      <table className="ledger-table">
        <caption className="visually-hidden">Every account in this commune, in {units}</caption>
        <thead>
          <tr>
            <th scope="col">Account</th>
            <th scope="col" className="num">
              Balance
            </th>
            <th scope="col" className="num">
              Lowest allowed
            </th>
            <th scope="col" className="num">
              Held
            </th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((a) => (
            <tr key={a.owner} className={a.frozen ? 'frozen' : undefined}>
              <th scope="row">
                <AccountLink commune={commune} owner={a.owner} me={me} />
                {a.frozen ? <span className="badge frozen-badge">frozen (left)</span> : null}
              </th>
              <td className="num">{formatAmount(a.balance, currency.decimals)}</td>
              <td className="num">
                {a.owner === PURSE ? '0' : formatAmount(-a.creditLimit, currency.decimals)}
              </td>
              <td className="num">{a.held > 0 ? formatAmount(a.held, currency.decimals) : '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

const STATUS_WORDS: Record<string, string> = {
  pending: 'pending',
  voided: 'voided',
  expired: 'expired',
};

/** Transfers, newest first: who paid whom, how much, what for. */
export function TransferList({
  commune,
  transfers,
  currency,
  clearing = [],
}: {
  commune: string;
  transfers: Transfer[];
  currency: Currency;
  /** Owners of clearing accounts (allied communes' handles), shown as such. */
  clearing?: string[];
}) {
  const isClearing = (t: Transfer, owner: string) =>
    t.code === 'clearing' && clearing.includes(owner);
  if (transfers.length === 0) return <p className="muted">No transfers yet.</p>;
  return (
    <ul className="transfers">
      {transfers.map((t) => (
        <li key={t.id} className={t.status !== 'posted' ? 'not-posted' : undefined}>
          <span className="parties">
            <AccountLink commune={commune} owner={t.from} clearing={isClearing(t, t.from)} />{' '}
            <span aria-hidden="true">→</span>
            <span className="visually-hidden">paid</span>{' '}
            <AccountLink commune={commune} owner={t.to} clearing={isClearing(t, t.to)} />
          </span>
          <strong className="amount">{formatMoney(t.amount, currency)}</strong>
          {t.memo ? <span className="memo">{t.memo}</span> : null}
          <span className="muted small">
            <When iso={t.createdAt} />
            {STATUS_WORDS[t.status] ? (
              <span className="badge">{STATUS_WORDS[t.status]}</span>
            ) : null}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** One account's postings with the balance after each: a bank statement. */
export function StatementTable({
  commune,
  lines,
  currency,
}: {
  commune: string;
  lines: StatementLine[];
  currency: Currency;
}) {
  if (lines.length === 0) return <p className="muted">Nothing has moved on this account yet.</p>;
  return (
    <TableScroll label="Statement">
      <table className="ledger-table statement">
        <caption className="visually-hidden">
          Postings, newest first, with the balance after each, in {pluralUnit(currency.unit)}
        </caption>
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">With</th>
            <th scope="col">What for</th>
            <th scope="col" className="num">
              Change
            </th>
            <th scope="col" className="num">
              Balance
            </th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => (
            <tr key={`${l.seq}-${l.transferId}`}>
              <td>
                <When iso={l.at} />
              </td>
              <td>
                <AccountLink commune={commune} owner={l.counterparty} />
              </td>
              <td className="memo">
                {l.memo || (
                  <span className="muted">
                    {l.code === 'payment' ? '–' : l.code.replace('_', ' ')}
                  </span>
                )}
              </td>
              <td className={`num ${l.amount < 0 ? 'out' : 'in'}`}>
                {formatChange(l.amount, currency.decimals)}
              </td>
              <td className="num">{formatAmount(l.balance, currency.decimals)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** The log of limit changes: who changed whose limit, from what to what. */
export function LimitChanges({
  changes,
  currency,
}: {
  changes: LimitChange[];
  currency: Currency;
}) {
  if (changes.length === 0) return <p className="muted">No limit has been changed yet.</p>;
  return (
    <ul className="limit-changes">
      {changes.map((c) => (
        <li key={c.id}>
          {c.owner === 'default' ? 'The default' : `@${c.owner}`}:{' '}
          {formatMoney(-c.oldLimit, currency)} → {formatMoney(-c.newLimit, currency)}
          <span className="muted small">
            {' '}
            by {c.via === 'decision' ? 'a decision' : c.changedBy ? `@${c.changedBy}` : 'a steward'}
            , <When iso={c.at} />
          </span>
        </li>
      ))}
    </ul>
  );
}
