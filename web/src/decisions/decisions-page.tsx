import { useState } from 'react';
import { seg } from '../api/client.ts';
import {
  ACTION_TYPES,
  STATUSES,
  actionError,
  decisionPaths,
  type GovernanceView,
  type Proposal,
  type ProposalStatus,
} from '../api/decisions.ts';
import { ledgerPaths, type Ledger } from '../api/ledger.ts';
import type { Commune } from '../api/types.ts';
import { roleIn } from '../communes/commune-page.tsx';
import { communePath } from '../communes/labels.ts';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { SelectField } from '../ui/fields.tsx';
import { ErrorNotice, Loading, PageHeading, When } from '../ui/page.tsx';
import { useApi, usePagedList } from '../ui/use-api.ts';
import { ClosesIn } from './countdown.tsx';
import {
  ACTION_LABELS,
  METHOD_LABELS,
  STATUS_LABELS,
  delegationPath,
  newProposalPath,
  percent,
  plural,
  proposalPath,
} from './labels.ts';
import { StatusBadge } from './proposal-page.tsx';
import { actionStatus, describeAction, tallySummary } from './summary.ts';

/** One line of the log: what was asked, how it stands, and what its action did. */
function LogEntry({ p, ledger }: { p: Proposal; ledger: Ledger | null }) {
  const status = actionStatus(p, ledger?.currency ?? null);
  const e = actionError(p.action?.result);
  return (
    <li className="log-entry">
      <div className="log-head">
        <Link to={proposalPath(p.id)} className="log-title">
          {p.title}
        </Link>
        <StatusBadge status={p.status} action={p.action} />
      </div>
      <p className="meta">
        <span>{METHOD_LABELS[p.method]}</span>
        {p.author ? <span>by @{p.author}</span> : <span>opened by the commune</span>}
        {p.topic ? <span>topic: {p.topic}</span> : null}
        <span>
          {p.status === 'open' ? (
            <ClosesIn closesAt={p.closesAt} />
          ) : (
            <>
              closed <When iso={p.closedAt ?? p.closesAt} />
            </>
          )}
        </span>
      </p>
      <p className="small">
        {p.tally
          ? tallySummary(p.tally)
          : p.hideResults === 'until_close'
            ? 'Results hidden until the proposal closes.'
            : 'Results hidden until you vote.'}
      </p>
      {p.action ? (
        <p className={`small action-status ${status?.tone ?? 'info'}`}>
          {ACTION_LABELS[p.action.type]}: {describeAction(p.action, ledger?.currency ?? null)}.{' '}
          <strong>{status?.text}</strong>
          {e ? ` (${e.code})` : null}
        </p>
      ) : null}
      {p.outcome ? <p className="small outcome">Outcome: {p.outcome}</p> : null}
    </li>
  );
}

/** How the commune decides each kind of action. */
function GovernanceTable({ handle }: { handle: string }) {
  const g = useApi<GovernanceView>(decisionPaths.governance(handle));
  if (g.error) return <p className="muted">Could not load the governance: {g.error.message}</p>;
  if (!g.data) return <Loading what="the governance" />;
  const rules = g.data.rules;
  const days = (h: number) => (h % 24 === 0 ? plural(h / 24, 'day') : plural(h, 'hour'));
  return (
    <dl className="governance">
      {ACTION_TYPES.filter((t) => rules[t]).map((t) => {
        const r = rules[t];
        return (
          <div key={t}>
            <dt>{ACTION_LABELS[t]}</dt>
            <dd>
              {METHOD_LABELS[r.method]}
              {r.threshold !== null
                ? `, ${r.method === 'majority' ? 'more than' : 'at least'} ${percent(r.threshold)} of ${r.thresholdBasis === 'eligible' ? 'all members' : 'votes cast'}`
                : ''}
              {r.quorum > 0 ? `, quorum ${percent(r.quorum)}` : ''}, open {days(r.durationHours)}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}

/** The commune's decisions: propose, the decision log, delegation and governance. */
export function DecisionsPage({ handle }: { handle: string }) {
  const session = useSession();
  const commune = useApi<Commune>(`/communes/${seg(handle)}`);
  const [status, setStatus] = useState<ProposalStatus | ''>('');
  const log = usePagedList<Proposal>(decisionPaths.proposals(handle, status || null));
  const ledger = useApi<Ledger>(ledgerPaths.ledger(handle));
  const role = commune.data ? roleIn(commune.data, session.me?.communes) : null;
  const name = commune.data?.name ?? `@${handle}`;
  const heading = <PageHeading title={`Decisions of ${name}`}>Decisions of {name}</PageHeading>;

  if (commune.error) {
    return (
      <section className="narrow">
        {heading}
        <ErrorNotice error={commune.error} what={`the decisions of @${handle}`} />
      </section>
    );
  }
  return (
    <div className="decisions-page">
      <header className="page-header">
        {heading}
        <p>
          <Link to={communePath(handle)}>Back to {name}</Link>
          {role ? (
            <>
              {' · '}
              <Link to={delegationPath(handle)}>Delegation</Link>
            </>
          ) : null}
        </p>
        {role ? (
          <p>
            <Link to={newProposalPath(handle)} className="button">
              New proposal
            </Link>
          </p>
        ) : null}
      </header>
      <div className="ledger-layout">
        <div className="ledger-main">
          <section aria-labelledby="log" className="panel">
            <div className="section-head">
              <h2 id="log">Decision log</h2>
              <SelectField
                label="Show"
                name="status"
                options={[
                  { value: '', label: 'Every proposal' },
                  ...STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] })),
                ]}
                value={status}
                onChange={(e) => setStatus(e.target.value as ProposalStatus | '')}
              />
            </div>
            {log.error ? <ErrorNotice error={log.error} what="the decision log" /> : null}
            {log.loading && !log.data ? <Loading what="the decision log" /> : null}
            {log.data && log.data.length === 0 ? (
              <p className="muted">No proposals {status ? 'with this status ' : ''}yet.</p>
            ) : null}
            {log.data && log.data.length > 0 ? (
              <ul className="decision-log">
                {log.data.map((p) => (
                  <LogEntry key={p.id} p={p} ledger={ledger.data} />
                ))}
              </ul>
            ) : null}
            {log.more ? (
              <button
                type="button"
                className="secondary"
                onClick={log.more}
                disabled={log.loadingMore}
              >
                Show older proposals
              </button>
            ) : null}
          </section>
        </div>
        <div className="ledger-side">
          <section aria-labelledby="governance" className="panel">
            <h2 id="governance">How we decide actions</h2>
            <GovernanceTable handle={handle} />
          </section>
        </div>
      </div>
    </div>
  );
}
