import { useEffect, useState } from 'react';
import type { ApiError } from '../api/client.ts';
import { communePaths } from '../api/communes.ts';
import type { Proposal } from '../api/decisions.ts';
import { ledgerPaths, loadPages, type Currency, type Ledger } from '../api/ledger.ts';
import { networkApi, networkPaths, type Alliance } from '../api/network.ts';
import { communePath } from '../communes/labels.ts';
import { proposalPath } from '../decisions/labels.ts';
import { formatMoney } from '../ledger/money.ts';
import { Link } from '../router.tsx';
import { FormError } from '../ui/fields.tsx';
import { Loading, When } from '../ui/page.tsx';
import { useApi } from '../ui/use-api.ts';
import { useLive } from '../ui/use-live.tsx';
import { AllianceForm, rateText } from './alliance-form.tsx';
import './network.css';

/** Open proposals are few; this caps the look-up all the same. */
const OPEN_PROPOSALS_CAP = 1000;

/** What may change this section: an alliance's steps and the proposals that decide them. */
const LIVE_CHANGES = new Set([
  'alliance_requested',
  'alliance_formed',
  'alliance_ended',
  'proposal_opened',
  'proposal_closed',
  'refresh',
]);

type OpenAlliance = { id: string; type: 'form_alliance' | 'end_alliance'; partner: string };

/** The open form_alliance / end_alliance proposals of a commune, for its members. */
function useOpenAllianceProposals(commune: string, enabled: boolean, round: number) {
  const [open, setOpen] = useState<OpenAlliance[]>([]);
  useEffect(() => {
    if (!enabled) return;
    const abort = new AbortController();
    void loadPages<Proposal>(communePaths.openProposals(commune), {
      cap: OPEN_PROPOSALS_CAP,
      signal: abort.signal,
    }).then((r) => {
      if (abort.signal.aborted || !r.ok) return;
      setOpen(
        r.value.items.flatMap((p) => {
          const a = p.action;
          const partner = a?.params.commune;
          if (!a || (a.type !== 'form_alliance' && a.type !== 'end_alliance')) return [];
          return typeof partner === 'string' ? [{ id: p.id, type: a.type, partner }] : [];
        }),
      );
    });
    return () => abort.abort();
  }, [commune, enabled, round]);
  return open;
}

/** Who has paid whom more across the alliance, in words. */
function balanceWords(a: Alliance, currency: Currency): string {
  if (a.balance === 0) return 'Trade is even.';
  const amount = formatMoney(Math.abs(a.balance), currency);
  return a.balance > 0
    ? `Our members have paid @${a.commune}’s ${amount} more than they paid ours.`
    : `@${a.commune}’s members have paid ours ${amount} more than we paid theirs.`;
}

function Terms({ a, currency }: { a: Alliance; currency: Currency }) {
  return (
    <p className="terms">
      Trade limit ±{formatMoney(a.tradeLimit, currency)} · rate {rateText(a.rate)} (units of @
      {a.commune}’s currency for one of ours)
    </p>
  );
}

/** Proposes ending one alliance; either side ends it alone, by its own decision. */
function EndAlliance({
  commune,
  partner,
  onProposed,
}: {
  commune: string;
  partner: string;
  onProposed: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  async function propose() {
    setBusy(true);
    const r = await networkApi.proposeEnding(commune, partner);
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setError(null);
    onProposed();
  }
  return (
    <>
      <FormError message={error?.message} />
      <button
        type="button"
        className="secondary small"
        disabled={busy}
        onClick={() => void propose()}
      >
        {busy ? 'Proposing…' : `Propose ending the alliance with @${partner}`}
      </button>
    </>
  );
}

/**
 * A commune's alliances: active ones with their terms and trade balance for everyone who can
 * see the commune; requests, open proposals and the ways to propose or end one for members.
 */
export function AlliancesSection({ handle, isMember }: { handle: string; isMember: boolean }) {
  const [round, setRound] = useState(0);
  const alliances = useApi<Alliance[]>(networkPaths.alliances(handle));
  const ledger = useApi<Ledger>(ledgerPaths.ledger(handle));
  const open = useOpenAllianceProposals(handle, isMember, round);
  const { reload } = alliances;
  const changed = () => {
    reload();
    setRound((n) => n + 1);
  };
  // Requests, formations and endings show up as they happen, in both communes (ADR 0034).
  useLive(`?commune=${encodeURIComponent(handle)}`, (e) => {
    if (LIVE_CHANGES.has(e.type)) changed();
  });

  const currency = ledger.data?.currency;
  const list = alliances.data ?? [];
  const active = list.filter((a) => a.status === 'active');
  const requested = list.filter((a) => a.status === 'requested');
  const ended = list.filter((a) => a.status === 'ended' && a.balance !== 0);
  const openFor = (partner: string, type: OpenAlliance['type']) =>
    open.find((p) => p.partner === partner && p.type === type);
  const asked = open.filter(
    (p) =>
      p.type === 'form_alliance' &&
      !list.some((a) => a.commune === p.partner && a.status !== 'ended'),
  );

  return (
    <section aria-labelledby="alliances" className="panel alliances-section">
      <h2 id="alliances">Alliances</h2>
      {alliances.error ? (
        <p className="muted">Could not load the alliances: {alliances.error.message}</p>
      ) : null}
      {!alliances.data || !currency ? (
        alliances.error ? null : (
          <Loading what="the alliances" />
        )
      ) : (
        <>
          {active.length === 0 ? (
            <p className="muted">No alliances yet.</p>
          ) : (
            <ul className="alliances-list" aria-label="Active alliances">
              {active.map((a) => {
                const ending = openFor(a.commune, 'end_alliance');
                return (
                  <li key={`${a.commune}-${a.since}`} data-alliance={a.commune}>
                    <strong>
                      <Link to={communePath(a.commune)}>@{a.commune}</Link>
                    </strong>{' '}
                    <span className="muted small">
                      allied since <When iso={a.since} />
                    </span>
                    <Terms a={a} currency={currency} />
                    <p className="terms">{balanceWords(a, currency)}</p>
                    {isMember && ending ? (
                      <p>
                        A proposal to end it is open.{' '}
                        <Link to={proposalPath(ending.id)}>Vote on it</Link>
                      </p>
                    ) : isMember ? (
                      <EndAlliance commune={handle} partner={a.commune} onProposed={changed} />
                    ) : null}
                  </li>
                );
              })}
            </ul>
          )}
          {isMember && (requested.length > 0 || asked.length > 0) ? (
            <>
              <h3>Being decided</h3>
              <ul className="alliances-list" aria-label="Alliance requests">
                {requested.map((a) => {
                  const vote = openFor(a.commune, 'form_alliance');
                  return (
                    <li key={`${a.commune}-${a.since}`} data-request={a.commune}>
                      <strong>
                        <Link to={communePath(a.commune)}>@{a.commune}</Link>
                      </strong>{' '}
                      <span className="muted small">
                        asked <When iso={a.since} />
                      </span>
                      <Terms a={a} currency={currency} />
                      {vote ? (
                        <p>
                          An alliance with @{a.commune} is waiting for our decision.{' '}
                          <Link to={proposalPath(vote.id)}>Vote on the proposal</Link>
                        </p>
                      ) : (
                        <p>Waiting for @{a.commune} to decide on these terms.</p>
                      )}
                    </li>
                  );
                })}
                {asked.map((p) => (
                  <li key={p.id} data-request={p.partner}>
                    <strong>@{p.partner}</strong>: our members are deciding whether to ask.{' '}
                    <Link to={proposalPath(p.id)}>Vote on the proposal</Link>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {ended.length > 0 ? (
            <>
              <h3>Ended, with a balance left</h3>
              <ul className="alliances-list">
                {ended.map((a) => (
                  <li key={`${a.commune}-${a.since}`}>
                    @{a.commune}: {balanceWords(a, currency)} No new trade starts; the balance can
                    be settled back to zero.
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {isMember ? (
            <details className="propose-alliance">
              <summary>Propose an alliance</summary>
              <AllianceForm commune={handle} currency={currency} onProposed={changed} />
            </details>
          ) : null}
        </>
      )}
    </section>
  );
}
