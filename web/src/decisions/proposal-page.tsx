import { useCallback, useState } from 'react';
import { seg } from '../api/client.ts';
import { actionError, decisionPaths, type Proposal } from '../api/decisions.ts';
import { ledgerPaths, type Ledger } from '../api/ledger.ts';
import type { Commune } from '../api/types.ts';
import { DiffParts } from '../inventory/diff-view.tsx';
import { roleIn } from '../communes/commune-page.tsx';
import { pursePath } from '../ledger/paths.ts';
import { ProposalDiscussion } from '../discussions/proposal-discussion.tsx';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { ErrorNotice, Loading, PageHeading, When } from '../ui/page.tsx';
import { useApi, useReloadWhile } from '../ui/use-api.ts';
import { LiveBanner, useLive } from '../ui/use-live.tsx';
import { BallotList } from './ballot-list.tsx';
import { Ballot, describeVote } from './ballots.tsx';
import { charterChanges } from './charter-diff.ts';
import { ClosesIn } from './countdown.tsx';
import {
  HIDE_RESULTS_LABELS,
  METHOD_LABELS,
  STATUS_LABELS,
  decisionsPath,
  optionLabel,
  quorumWords,
  thresholdWords,
} from './labels.ts';
import { ruleSentence } from './rule-sentence.ts';
import { AuthorDecides, CloseNow, OutcomeForm } from './proposal-controls.tsx';
import { ProposalEdit } from './proposal-edit.tsx';
import { Results } from './results.tsx';
import { actionStatus, describeAction } from './summary.ts';

/** A proposal that passed but whose action could not run is not shown as a success. */
export function StatusBadge({
  status,
  action,
}: {
  status: Proposal['status'];
  action?: Proposal['action'];
}) {
  if (status === 'passed' && action && actionError(action.result))
    return <span className="badge status-failed">Passed, but its action failed</span>;
  return <span className={`badge status-${status}`}>{STATUS_LABELS[status]}</span>;
}

/** The rules this proposal is decided by, in words. */
function Rules({ p }: { p: Proposal }) {
  const threshold = thresholdWords(p.method, p.threshold, p.thresholdBasis);
  const sentence = ruleSentence(p, p.tally?.eligible ?? null);
  return (
    <dl className="facts">
      <dt>To pass</dt>
      <dd className="rule-sentence">{sentence.charAt(0).toUpperCase() + sentence.slice(1)}.</dd>
      <dt>Method</dt>
      <dd>{METHOD_LABELS[p.method]}</dd>
      {threshold ? (
        <>
          <dt>Threshold</dt>
          <dd>{threshold}</dd>
        </>
      ) : null}
      <dt>Quorum</dt>
      <dd>{quorumWords(p.quorum)}</dd>
      {p.method === 'allocation' && p.budget !== null ? (
        <>
          <dt>Budget</dt>
          <dd>{p.budget} points each</dd>
        </>
      ) : null}
      <dt>Ballots</dt>
      <dd>
        {p.anonymous
          ? 'Anonymous: nobody sees who voted how, and a vote cannot be changed'
          : 'Named: members see who voted how'}
      </dd>
      <dt>Results</dt>
      <dd>{HIDE_RESULTS_LABELS[p.hideResults]}</dd>
      {p.topic ? (
        <>
          <dt>Topic</dt>
          <dd>{p.topic}</dd>
        </>
      ) : null}
    </dl>
  );
}

/** Actions whose params hold amounts in the commune's currency. */
const MONEY_ACTIONS: ReadonlySet<string> = new Set(['spend', 'set_credit_limit', 'form_alliance']);

/** An amendment's changes against the charter as it stands now. */
function CharterDiff({ commune, params }: { commune: Commune; params: Record<string, unknown> }) {
  const changes = charterChanges(commune, params);
  return (
    <div className="diff charter-diff">
      {changes.map((c) => (
        <section key={c.field} className="diff-field" aria-label={`Changes to ${c.label}`}>
          <h3 className="small-heading">{c.label}</h3>
          {c.kind === 'text' ? (
            <p className="diff-text prewrap">
              <DiffParts parts={c.parts} />
            </p>
          ) : (
            <p>
              <del>{c.from}</del> → <ins>{c.to}</ins>
            </p>
          )}
        </section>
      ))}
    </div>
  );
}

function ActionPanel({
  p,
  ledger,
  commune,
}: {
  p: Proposal;
  ledger: Ledger | null;
  commune: Commune | null;
}) {
  if (!p.action) return null;
  const money = MONEY_ACTIONS.has(p.action.type);
  const status = actionStatus(p, ledger?.currency ?? null);
  return (
    <section aria-labelledby="action" className="panel">
      <h2 id="action">If it passes</h2>
      <p>{describeAction(p.action, money ? (ledger?.currency ?? null) : null)}.</p>
      {p.action.type === 'amend_charter' &&
      commune &&
      !p.action.executed &&
      p.action.params.hidden !== true ? (
        <CharterDiff commune={commune} params={p.action.params} />
      ) : null}
      {status ? (
        <p className={`action-status ${status.tone}`} role="status">
          <strong>{status.text}</strong>
          {p.action.executed && p.action.type === 'spend' ? (
            <>
              {' · '}
              <Link to={pursePath(p.commune)}>See the purse</Link>
            </>
          ) : null}
        </p>
      ) : null}
    </section>
  );
}

/** Where the viewer stands: their vote, or where it goes if they do not vote. */
function YourVote({ p, role, onVoted }: { p: Proposal; role: string | null; onVoted: () => void }) {
  const v = p.viewerVote;
  const open = p.status === 'open' && new Date(p.closesAt).getTime() > Date.now();
  const opens = new Date(p.opensAt).getTime();
  const mine = describeVote(p, v?.vote);
  if (!role) return <p className="muted">Members of the commune vote here.</p>;
  return (
    <>
      {v?.voted ? (
        <p className="you-voted">
          You voted{mine ? `: ${mine}` : ''}
          {v.castAt ? (
            <>
              {' '}
              (<When iso={v.castAt} />)
            </>
          ) : null}
          .{open && !p.anonymous ? ' You can change your vote until it closes.' : ''}
        </p>
      ) : v?.delegatedTo ? (
        <p className="you-voted">Unless you vote yourself, your vote goes to @{v.delegatedTo}.</p>
      ) : null}
      {!open ? null : opens > Date.now() ? (
        <p className="muted">
          Voting opens <When iso={p.opensAt} />.
        </p>
      ) : p.anonymous && v?.voted ? (
        <p className="muted">Anonymous votes are cast once and cannot be changed.</p>
      ) : (
        <Ballot proposal={p} onVoted={onVoted} />
      )}
    </>
  );
}

export function ProposalPage({ id }: { id: string }) {
  const session = useSession();
  const loaded = useApi<Proposal>(decisionPaths.proposal(id));
  const p = loaded.data;
  const commune = useApi<Commune>(p ? `/communes/${seg(p.commune)}` : null);
  const wantsLedger = p?.action ? MONEY_ACTIONS.has(p.action.type) : false;
  const ledger = useApi<Ledger>(p && wantsLedger ? ledgerPaths.ledger(p.commune) : null);
  const { reload } = loaded;
  // The closing job runs at closesAt: once the time is up, look again until it has run.
  const [timeUp, setTimeUp] = useState(false);
  const ended = useCallback(() => setTimeUp(true), []);
  useReloadWhile(timeUp && p?.status === 'open', reload);
  // Votes (the tally), the outcome and the discussion appear as they happen (ADR 0028).
  const [heard, setHeard] = useState(0);
  const live = useLive(`?proposal=${encodeURIComponent(id)}`, (e) => {
    reload();
    if (e.type.startsWith('comment_') || e.type === 'refresh') setHeard((n) => n + 1);
  });

  if (loaded.error) {
    return (
      <section className="narrow">
        <PageHeading title="Proposal">Proposal</PageHeading>
        <ErrorNotice error={loaded.error} what="this proposal" onRetry={reload} />
      </section>
    );
  }
  if (!p) return <Loading what="the proposal" />;

  const role = commune.data ? roleIn(commune.data, session.me?.communes) : null;
  const me = session.me?.handle;
  const isAuthor = me !== undefined && p.author === me;
  const open = p.status === 'open';
  const canClose = open && p.method !== 'advice' && (isAuthor || role === 'steward');
  const name = commune.data?.name ?? `@${p.commune}`;
  // A fresh key after every change, so the ballots list follows the tally.
  const showOptions =
    p.options.length > 0 && !(p.method === 'majority' && p.options.join() === 'yes,no');
  const round = `${p.status}:${p.tally?.castWeight ?? ''}:${p.viewerVote?.castAt ?? ''}`;

  return (
    <div className="proposal-page">
      <LiveBanner state={live} />
      <header className="page-header">
        <p className="breadcrumb">
          <Link to={decisionsPath(p.commune)}>Decisions of {name}</Link>
        </p>
        <PageHeading title={p.title}>{p.title}</PageHeading>
        <p className="meta">
          <StatusBadge status={p.status} action={p.action} />
          <span>{METHOD_LABELS[p.method]}</span>
          <span>{p.author ? `Proposed by @${p.author}` : 'Opened by the commune'}</span>
          <span>
            <When iso={p.createdAt} />
          </span>
        </p>
        <p className="countdown">
          {open ? (
            <ClosesIn closesAt={p.closesAt} onEnded={ended} />
          ) : (
            <>
              Closed <When iso={p.closedAt ?? p.closesAt} />
            </>
          )}
        </p>
      </header>
      <div className="proposal-layout">
        <div className="proposal-main">
          {p.body || showOptions ? (
            <section aria-label="The proposal" className="panel">
              {p.body ? <p className="prewrap">{p.body}</p> : null}
              {showOptions ? (
                <>
                  <h2 className="small-heading">Options</h2>
                  <ol className="option-list">
                    {p.options.map((o) => (
                      <li key={o}>{optionLabel(p.method, o)}</li>
                    ))}
                  </ol>
                </>
              ) : null}
            </section>
          ) : null}
          {open && isAuthor ? (
            <ProposalEdit key={p.title + p.body} proposal={p} onSaved={reload} />
          ) : null}
          <section aria-labelledby="vote" className="panel">
            <h2 id="vote">Your vote</h2>
            <YourVote p={p} role={role} onVoted={reload} />
          </section>
          {p.method === 'advice' && open && isAuthor ? (
            <section aria-labelledby="decide" className="panel">
              <h2 id="decide">Decide</h2>
              <AuthorDecides proposal={p} onChanged={reload} />
            </section>
          ) : null}
          <section aria-labelledby="results" className="panel">
            <h2 id="results">Results</h2>
            <Results proposal={p} />
            <BallotList key={round} proposal={p} round={round} />
          </section>
          <ProposalDiscussion
            proposalId={p.id}
            commune={p.commune}
            member={role !== null}
            heard={heard}
          />
        </div>
        <aside className="proposal-side" aria-label="About this proposal">
          <ActionPanel p={p} ledger={ledger.data} commune={commune.data} />
          <section aria-labelledby="rules" className="panel">
            <h2 id="rules">How it is decided</h2>
            <Rules p={p} />
            {canClose ? <CloseNow proposal={p} onChanged={reload} /> : null}
          </section>
          {!open && (p.outcome || isAuthor || role === 'steward') ? (
            <section aria-labelledby="outcome" className="panel">
              <h2 id="outcome">Outcome</h2>
              {p.outcome ? (
                <>
                  <p className="prewrap">{p.outcome}</p>
                  <p className="muted small">
                    {p.outcomeBy ? `Recorded by @${p.outcomeBy}` : 'Recorded'}{' '}
                    <When iso={p.outcomeAt ?? undefined} />
                  </p>
                </>
              ) : null}
              {role && (isAuthor || role === 'steward') ? (
                <OutcomeForm proposal={p} onChanged={reload} />
              ) : null}
            </section>
          ) : null}
        </aside>
      </div>
    </div>
  );
}
