import { decisionPaths, type BallotView, type Proposal } from '../api/decisions.ts';
import { When } from '../ui/page.tsx';
import { useApi } from '../ui/use-api.ts';
import { describeVote } from './ballots.tsx';

/**
 * Every ballot with its reason, once the viewer may see results. `round` changes after each
 * vote, so the list follows the tally.
 */
export function BallotList({ proposal, round }: { proposal: Proposal; round: string }) {
  const loaded = useApi<{ items: BallotView[]; anonymous: boolean }>(
    proposal.tally ? `${decisionPaths.ballots(proposal.id)}?v=${encodeURIComponent(round)}` : null,
  );
  const items = loaded.data?.items;
  if (!proposal.tally || !items) return null;
  return (
    <section aria-labelledby="ballots" className="ballot-list">
      <h3 id="ballots">{proposal.anonymous ? 'Ballots (anonymous)' : 'Who voted how'}</h3>
      {items.length === 0 ? (
        <p className="muted small">No votes yet.</p>
      ) : (
        <ul className="ballots">
          {items.map((b, i) => (
            <li key={b.voter ?? i}>
              <span className="voter">{b.voter ? `@${b.voter}` : `Ballot ${i + 1}`}</span>
              <span>{describeVote(proposal, b.vote) ?? 'voted'}</span>
              {b.castAt ? (
                <span className="muted small">
                  <When iso={b.castAt} />
                </span>
              ) : null}
              {b.reason ? <blockquote className="prewrap">{b.reason}</blockquote> : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
