import { useState } from 'react';
import { PURSE, ledgerPaths, type Ledger, type StatementLine } from '../api/ledger.ts';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { ErrorNotice, Loading, PageHeading } from '../ui/page.tsx';
import { useApi, usePagedList } from '../ui/use-api.ts';
import { AccountFlowsChart, PurseBalanceChart } from './charts.tsx';
import { formatMoney } from './money.ts';
import { ledgerPagePath } from './paths.ts';
import { windowStart } from './series.ts';
import { StatementTable } from './tables.tsx';
import { useAllPages } from './use-pages.ts';

/** The purse chart reads at most this many postings; older history is left out and the caption says so. */
const SERIES_CAP = 1000;
const lineTime = (l: StatementLine) => l.at;

/**
 * One account's statement with its running balance, a CSV of all of it, and charts: money in
 * and out over 90 days, and for the purse its balance over time.
 */
export function AccountPage({ handle, owner }: { handle: string; owner: string }) {
  const session = useSession();
  const isPurse = owner === PURSE;
  const mine = session.me?.handle === owner;
  const ledger = useApi<Ledger>(ledgerPaths.ledger(handle));
  const lines = usePagedList<StatementLine>(ledgerPaths.statement(handle, owner, 50));
  const [since] = useState(() => windowStart(new Date()).toISOString());
  // The purse's whole (capped) history draws its balance line; a member's last 90 days draw the flows.
  const history = useAllPages<StatementLine>(
    ledgerPaths.statement(handle, owner),
    isPurse ? { cap: SERIES_CAP } : { cap: SERIES_CAP, since, at: lineTime },
  );

  const title = isPurse ? 'The common purse' : mine ? 'Your statement' : `Statement of @${owner}`;
  const heading = <PageHeading title={`${title} · @${handle}`}>{title}</PageHeading>;
  const back = (
    <p>
      <Link to={ledgerPagePath(handle)}>Back to the ledger of @{handle}</Link>
    </p>
  );
  const error = ledger.error ?? lines.error;
  if (error) {
    return (
      <section className="narrow">
        {heading}
        {back}
        <ErrorNotice
          error={error}
          what={isPurse ? `the purse of @${handle}` : `the account @${owner} in @${handle}`}
        />
      </section>
    );
  }
  if (!ledger.data) return <Loading what="the statement" />;

  const { currency } = ledger.data;
  const account = ledger.data.accounts.find((a) => a.owner === owner);
  if (!account) {
    return (
      <section className="narrow">
        {heading}
        {back}
        <p className="notice warning" role="alert">
          @{owner} has no account in @{handle}.
        </p>
      </section>
    );
  }

  const whose = isPurse ? 'the purse' : mine ? 'your account' : `@${owner}`;
  return (
    <div className="ledger-page">
      <header className="page-header">
        {heading}
        {back}
        <p className="balance-line">
          {isPurse ? 'The purse holds' : mine ? 'Your balance is' : `The balance of @${owner} is`}{' '}
          <strong className="balance">{formatMoney(account.balance, currency)}</strong>
          {account.frozen ? <span className="badge frozen-badge">frozen (left)</span> : null}
        </p>
        <p className="muted">
          {isPurse
            ? 'Any member may pay into the purse from the ledger page. It pays out only through a spend proposal the commune has passed.'
            : `Can go down to ${formatMoney(-account.creditLimit, currency)}${account.held > 0 ? `; ${formatMoney(account.held, currency)} held for pending payments` : ''}.`}
        </p>
      </header>
      <section aria-labelledby="charts" className="panel">
        <h2 id="charts">At a glance</h2>
        {history.items ? (
          <div className="charts">
            {isPurse ? (
              <PurseBalanceChart
                lines={history.items}
                complete={history.complete}
                balance={account.balance}
                currency={currency}
              />
            ) : null}
            <AccountFlowsChart
              lines={history.items}
              complete={history.complete}
              currency={currency}
              whose={whose}
            />
          </div>
        ) : history.error ? (
          <p className="muted">
            Could not load the history for the charts: {history.error.message}
          </p>
        ) : (
          <Loading what="the charts" />
        )}
      </section>
      <section aria-labelledby="statement" className="panel">
        <div className="section-head">
          <h2 id="statement">Statement</h2>
          <a
            className="button small secondary"
            href={ledgerPaths.statementCsv(handle, owner)}
            download
          >
            Download as CSV
          </a>
        </div>
        <p className="muted small">
          Newest first. The balance column is the running balance right after each posting.
        </p>
        {lines.loading && !lines.data ? <Loading what="the statement" /> : null}
        {lines.data ? (
          <StatementTable commune={handle} lines={lines.data} currency={currency} />
        ) : null}
        {lines.more ? (
          <button
            type="button"
            className="secondary"
            onClick={lines.more}
            disabled={lines.loadingMore}
          >
            Show older postings
          </button>
        ) : null}
      </section>
    </div>
  );
}
