import type { TallyOf } from '../api/decisions.ts';
import { TableScroll } from '../ledger/tables.tsx';
import { schulzeTiers } from './summary.ts';

type Ranked = TallyOf<'ranked'>;

const fmt = (n: number) => String(Number(n.toFixed(2)));

/** Five shades, as classes (no inline styles under the CSP): 0 lightest … 4 darkest. */
const heat = (value: number, max: number) =>
  max <= 0 ? 0 : Math.min(4, Math.round((value / max) * 4));

/** d[i][j] as a heatmap table: rows are "prefer this", columns "over that". */
function PairwiseMatrix({ tally }: { tally: Ranked }) {
  const { options, pairwise: d } = tally;
  const max = Math.max(0, ...d.flat());
  return (
    <TableScroll label="Pairwise preferences">
      <table className="pairwise">
        <caption>
          Pairwise preferences: each cell counts the votes that prefer the row's option to the
          column's. A marked cell means the row's option beats the column's head to head.
        </caption>
        <thead>
          <tr>
            <td />
            {options.map((o, j) => (
              <th key={o} scope="col">
                <span className="visually-hidden">over </span>
                {j + 1}. {o}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {options.map((row, i) => (
            <tr key={row}>
              <th scope="row">
                {i + 1}. {row}
                {tally.winner === row ? <span className="badge">Schulze winner</span> : null}
              </th>
              {options.map((col, j) => {
                if (i === j) {
                  return (
                    <td key={col} className="self">
                      <span aria-hidden="true">–</span>
                      <span className="visually-hidden">same option</span>
                    </td>
                  );
                }
                const v = d[i]?.[j] ?? 0;
                const wins = v > (d[j]?.[i] ?? 0);
                return (
                  <td key={col} className={`heat-${heat(v, max)}${wins ? ' wins' : ''}`}>
                    {fmt(v)}
                    {wins ? (
                      <>
                        <span aria-hidden="true"> ▲</span>
                        <span className="visually-hidden"> (wins)</span>
                      </>
                    ) : null}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** Schulze's strongest paths p[i][j], for those who want to check the count. */
function StrongestPaths({ tally }: { tally: Ranked }) {
  const { options, strongestPaths: p } = tally;
  return (
    <details className="chart-data">
      <summary>Show the strongest paths</summary>
      <TableScroll label="Strongest paths">
        <table className="pairwise plain">
          <caption>
            Strongest path from the row's option to the column's (Schulze). An option wins when its
            path to every rival is at least as strong as the way back.
          </caption>
          <thead>
            <tr>
              <td />
              {options.map((o, j) => (
                <th key={o} scope="col">
                  {j + 1}. {o}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {options.map((row, i) => (
              <tr key={row}>
                <th scope="row">
                  {i + 1}. {row}
                </th>
                {options.map((col, j) => (
                  <td key={col}>{i === j ? '–' : fmt(p[i]?.[j] ?? 0)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </details>
  );
}

/** Instant-runoff rounds: who had what, and who left after each round. */
function IrvRounds({ tally }: { tally: Ranked }) {
  const { rounds, winner } = tally.instantRunoff;
  // Tallies frozen before ties were reported have no `tied`.
  const tied = (tally.instantRunoff as { tied?: string[] }).tied ?? [];
  if (rounds.length === 0) return <p className="muted small">No rounds: nobody ranked anything.</p>;
  return (
    <>
      <p>
        Instant-runoff winner:{' '}
        <strong>
          {winner ??
            (tied.length > 0 ? `none: ${tied.join(' and ')} are tied` : 'none (no majority)')}
        </strong>
      </p>
      <TableScroll label="Instant-runoff rounds">
        <table className="ledger-table irv">
          <caption className="visually-hidden">
            Votes for each option still in the count, round by round
          </caption>
          <thead>
            <tr>
              <th scope="col">Option</th>
              {rounds.map((_, r) => (
                <th key={r} scope="col" className="num">
                  Round {r + 1}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {tally.options.map((o) => (
              <tr key={o}>
                <th scope="row">{o}</th>
                {rounds.map((round, r) => {
                  const c = round.counts.find((x) => x.option === o);
                  return (
                    <td key={r} className={`num${round.eliminated === o ? ' eliminated' : ''}`}>
                      {c ? fmt(c.weight) : <span className="muted">out</span>}
                      {round.eliminated === o ? <span className="small"> (leaves)</span> : null}
                    </td>
                  );
                })}
              </tr>
            ))}
            <tr>
              <th scope="row">Exhausted</th>
              {rounds.map((round, r) => (
                <td key={r} className="num">
                  {fmt(round.exhausted)}
                </td>
              ))}
            </tr>
          </tbody>
        </table>
      </TableScroll>
    </>
  );
}

/** The ranked result: the pairwise heatmap with the Schulze order and the IRV rounds beside it. */
export function PairwiseResults({ tally }: { tally: Ranked }) {
  return (
    <div className="ranked-results">
      <section className="ranked-matrix" aria-labelledby="pairwise-title">
        <h3 id="pairwise-title">Pairwise matrix</h3>
        <PairwiseMatrix tally={tally} />
        <StrongestPaths tally={tally} />
      </section>
      <div className="ranked-side">
        <section aria-labelledby="schulze-title">
          <h3 id="schulze-title">Schulze order</h3>
          {tally.ballotCount === 0 ? (
            <p className="muted small">No rankings yet.</p>
          ) : (
            <ol className="schulze-order">
              {schulzeTiers(tally).map((tier) => (
                <li key={tier.join('\u0000')}>
                  {tier.join(' = ')}
                  {tier.some((o) => tally.winners.includes(o)) ? (
                    <span className="badge">{tier.length > 1 ? 'tied for first' : 'winner'}</span>
                  ) : tier.length > 1 ? (
                    <span className="badge">tied</span>
                  ) : null}
                </li>
              ))}
            </ol>
          )}
        </section>
        <section aria-labelledby="irv-title">
          <h3 id="irv-title">Instant runoff</h3>
          <IrvRounds tally={tally} />
        </section>
      </div>
    </div>
  );
}
