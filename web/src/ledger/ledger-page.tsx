import { useCallback, useState } from 'react';
import { seg } from '../api/client.ts';
import { ledgerPaths, type Ledger, type LimitChange, type Transfer } from '../api/ledger.ts';
import { networkPaths, type Alliance } from '../api/network.ts';
import type { Commune, Member } from '../api/types.ts';
import { roleIn } from '../communes/commune-page.tsx';
import { communePath } from '../communes/labels.ts';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { ErrorNotice, Loading, PageHeading } from '../ui/page.tsx';
import { useApi, usePagedList } from '../ui/use-api.ts';
import { LiveBanner, useLive } from '../ui/use-live.tsx';
import { BalanceHistogram, CommuneFlowsChart } from './charts.tsx';
import { CreditLimitForm } from './credit-limit-form.tsx';
import { formatMoney, pluralUnit } from './money.ts';
import { PayAcrossForm } from './pay-across-form.tsx';
import { PayForm } from './pay-form.tsx';
import { accountPath, pursePath } from './paths.ts';
import { windowStart } from './series.ts';
import { AccountsTable, LimitChanges, TransferList } from './tables.tsx';
import { useAllPages } from './use-pages.ts';

/** Charts read at most this many transfers; the caption says when it was not all of them. */
const CHART_CAP = 1000;
const transferTime = (t: Transfer) => t.resolvedAt ?? t.createdAt;

/** What the currency is, in a sentence. */
export function CurrencyFacts({ ledger }: { ledger: Ledger }) {
  const c = ledger.currency;
  return (
    <p className="meta">
      <span>
        {c.name} ({c.code}), counted in {pluralUnit(c.unit)}
      </span>
      <span>New members may go down to {formatMoney(-c.defaultCreditLimit, c)}</span>
      {c.maxBalance !== null ? (
        <span>No one holds more than {formatMoney(c.maxBalance, c)}</span>
      ) : null}
      <span>All balances add up to {formatMoney(ledger.sum, c)}</span>
    </p>
  );
}

/** The commune's ledger in the open: every account, every transfer, and the pay form. */
export function LedgerPage({ handle }: { handle: string }) {
  const session = useSession();
  const commune = useApi<Commune>(`/communes/${seg(handle)}`);
  const ledger = useApi<Ledger>(ledgerPaths.ledger(handle));
  const recent = usePagedList<Transfer>(ledgerPaths.transfers(handle, { limit: 20 }));
  const changes = usePagedList<LimitChange>(ledgerPaths.limitChanges(handle));
  const [round, setRound] = useState(0);
  const [since] = useState(() => windowStart(new Date()).toISOString());
  const forCharts = useAllPages<Transfer>(ledgerPaths.transfers(handle), {
    cap: CHART_CAP,
    since,
    at: transferTime,
    round,
  });

  const role = commune.data ? roleIn(commune.data, session.me?.communes) : null;
  const members = useApi<Member[]>(role ? `/communes/${seg(handle)}/members` : null);
  const alliances = useApi<Alliance[]>(role ? networkPaths.alliances(handle) : null);
  const allied = (alliances.data ?? []).filter((a) => a.status === 'active');
  const { reload: reloadLedger } = ledger;
  const { reload: reloadRecent } = recent;
  const { reload: reloadChanges } = changes;
  const changed = useCallback(() => {
    reloadLedger();
    reloadRecent();
    reloadChanges();
    setRound((n) => n + 1);
  }, [reloadLedger, reloadRecent, reloadChanges]);
  // Payments appear as they are made (ADR 0028); the stream carries them only to those who
  // may see the books.
  const live = useLive(`?commune=${encodeURIComponent(handle)}`, (e) => {
    if (e.type === 'transfer_posted' || e.type === 'refresh') changed();
  });

  const name = commune.data?.name ?? `@${handle}`;
  const heading = <PageHeading title={`Ledger of ${name}`}>The ledger of {name}</PageHeading>;
  const error = commune.error ?? ledger.error;
  if (error) {
    return (
      <section className="narrow">
        {heading}
        <ErrorNotice error={error} what={`the ledger of @${handle}`} />
      </section>
    );
  }
  if (!ledger.data || !commune.data) return <Loading what="the ledger" />;

  // Clearing accounts are the trade balances with allies, not members: listed on their own.
  const data = {
    ...ledger.data,
    accounts: ledger.data.accounts.filter((a) => a.kind !== 'clearing'),
  };
  const allies = ledger.data.accounts.filter((a) => a.kind === 'clearing');
  const me = session.me ? data.accounts.find((a) => a.owner === session.me?.handle) : undefined;
  return (
    <div className="ledger-page">
      <LiveBanner state={live} />
      <header className="page-header">
        {heading}
        <p>
          <Link to={communePath(handle)}>Back to {name}</Link>
          {' · '}
          <Link to={pursePath(handle)}>The common purse</Link>
          {me ? (
            <>
              {' · '}
              <Link to={accountPath(handle, me.owner)}>Your statement</Link>
            </>
          ) : null}
        </p>
        <CurrencyFacts ledger={data} />
      </header>
      <div className="ledger-layout">
        <div className="ledger-side">
          {role && me ? (
            <section aria-labelledby="pay" className="panel">
              <h2 id="pay">Pay someone</h2>
              <PayForm
                commune={handle}
                me={me}
                accounts={data.accounts}
                members={members.data}
                currency={data.currency}
                onPaid={changed}
              />
            </section>
          ) : (
            <p className="notice">
              Members of {name} pay each other and the purse here. Everyone who can see the commune
              can see its ledger.
            </p>
          )}
          {role && me && allied.length > 0 ? (
            <section aria-labelledby="pay-across" className="panel">
              <h2 id="pay-across">Pay someone in an allied commune</h2>
              <PayAcrossForm
                commune={handle}
                currency={data.currency}
                alliances={allied}
                onPaid={changed}
              />
            </section>
          ) : null}
          {role ? (
            <section aria-labelledby="limits" className="panel">
              <h2 id="limits">Propose a credit limit</h2>
              <CreditLimitForm
                commune={handle}
                accounts={data.accounts}
                currency={data.currency}
                onChanged={changed}
              />
            </section>
          ) : null}
        </div>
        <div className="ledger-main">
          <section aria-labelledby="accounts" className="panel">
            <h2 id="accounts">Accounts</h2>
            <AccountsTable
              commune={handle}
              accounts={data.accounts}
              currency={data.currency}
              me={session.me?.handle}
            />
          </section>
          {allies.length > 0 ? (
            <section aria-labelledby="allies" className="panel">
              <h2 id="allies">Trade with allied communes</h2>
              <ul>
                {allies.map((a) => (
                  <li key={a.owner}>
                    @{a.owner}: {formatMoney(a.balance, data.currency)} (limit ±
                    {formatMoney(a.creditLimit, data.currency)})
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          <section aria-labelledby="charts" className="panel">
            <h2 id="charts">At a glance</h2>
            <div className="charts">
              <BalanceHistogram accounts={data.accounts} currency={data.currency} />
              {forCharts.items ? (
                <CommuneFlowsChart
                  transfers={forCharts.items}
                  complete={forCharts.complete}
                  currency={data.currency}
                />
              ) : forCharts.error ? (
                <p className="muted">
                  Could not load the transfers for the chart: {forCharts.error.message}
                </p>
              ) : (
                <Loading what="the flows chart" />
              )}
            </div>
          </section>
          <section aria-labelledby="transfers" className="panel">
            <h2 id="transfers">Recent transfers</h2>
            {recent.loading && !recent.data ? <Loading what="transfers" /> : null}
            {recent.data ? (
              <TransferList
                commune={handle}
                transfers={recent.data}
                currency={data.currency}
                clearing={allies.map((a) => a.owner)}
              />
            ) : null}
            {recent.more ? (
              <button
                type="button"
                className="secondary"
                onClick={recent.more}
                disabled={recent.loadingMore}
              >
                Show older transfers
              </button>
            ) : null}
          </section>
          <section aria-labelledby="limit-log" className="panel">
            <h2 id="limit-log">Changes to credit limits</h2>
            {changes.data ? <LimitChanges changes={changes.data} currency={data.currency} /> : null}
            {changes.more ? (
              <button
                type="button"
                className="secondary"
                onClick={changes.more}
                disabled={changes.loadingMore}
              >
                Show older changes
              </button>
            ) : null}
          </section>
        </div>
      </div>
    </div>
  );
}
