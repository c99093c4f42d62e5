// Affinity in words: the communes nearest a commune (on its page) or nearest the signed-in
// person (in discovery), each with the reasons the server gives. Never a size or a count of
// followers: the score is a share of what two communes have in common.
import type { Commune, Schema } from '../api/types.ts';
import { communePath } from '../communes/labels.ts';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { ErrorNotice, Loading } from '../ui/page.tsx';
import { useApi } from '../ui/use-api.ts';
import './affinity.css';

type Entry = Schema<'AffinityEntry'>;

/** "35 %", its space unbreakable so a narrow screen never leaves the % alone on a line. */
const percent = (score: number) => `${Math.round(score * 100)}\u00a0%`;

function Reasons({ reasons }: { reasons: string[] }) {
  if (reasons.length === 0) return null;
  return (
    <ul className="affinity-reasons">
      {reasons.map((r) => (
        <li key={r}>{r}</li>
      ))}
    </ul>
  );
}

/** On a commune's page: the communes nearest it, and why. */
export function AffinitySection({ handle }: { handle: string }) {
  const near = useApi<Entry[]>(`/communes/${encodeURIComponent(handle)}/affinity?limit=5`);
  return (
    <section aria-labelledby="affinity" className="panel" aria-busy={near.loading}>
      <h2 id="affinity">Near in spirit</h2>
      {near.loading && !near.data ? <Loading what="related communes" /> : null}
      {near.error ? <ErrorNotice error={near.error} what="related communes" /> : null}
      {near.data && near.data.length === 0 ? (
        <p className="muted">
          No related communes yet: shared tags, members, alliances and exchanges make them.
        </p>
      ) : null}
      {near.data && near.data.length > 0 ? (
        <ol className="affinity-list">
          {near.data.map((e) => (
            <li key={e.commune}>
              <Link to={communePath(e.commune)}>{e.name}</Link>{' '}
              <span className="handle">@{e.commune}</span>{' '}
              <span className="muted">{percent(e.score)} in common</span>
              <Reasons reasons={e.reasons} />
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}

/** In discovery, for a signed-in person: communes near theirs, by affinity (never by size). */
export function NearYou() {
  const { me } = useSession();
  const near = useApi<{ items: Commune[] }>(me ? '/communes?sort=affinity&limit=6' : null);
  if (!me || me.communes.length === 0) return null;
  return (
    <section aria-labelledby="near-you" className="panel" aria-busy={near.loading}>
      <h2 id="near-you">Near your communes</h2>
      {near.loading && !near.data ? <Loading what="communes near yours" /> : null}
      {near.error ? <ErrorNotice error={near.error} what="communes near yours" /> : null}
      {near.data && near.data.items.length === 0 ? (
        <p className="muted">Nothing related yet.</p>
      ) : null}
      {near.data && near.data.items.length > 0 ? (
        <ol className="affinity-list">
          {near.data.items.map((c) => (
            <li key={c.handle}>
              <Link to={communePath(c.handle)}>{c.name}</Link>{' '}
              <span className="handle">@{c.handle}</span>
              {c.affinity ? (
                <>
                  {' '}
                  <span className="muted">{percent(c.affinity.score)} in common</span>
                  <Reasons reasons={c.affinity.reasons} />
                </>
              ) : null}
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}
