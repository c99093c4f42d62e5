import { useMemo } from 'react';
import type { Proposal, Tally, TallyOf } from '../api/decisions.ts';
import {
  ChartFigure,
  ChartTable,
  baseOptions,
  type MakeChart,
  type Palette,
} from '../ledger/chart.tsx';
import { optionLabel, percent, plural, thresholdWords } from './labels.ts';
import { PairwiseResults } from './pairwise.tsx';
import { countsText, headline, turnout } from './summary.ts';

type Bar = { label: string; value: number; colour: (p: Palette) => string };

const fmt = (n: number) => String(Number(n.toFixed(2)));
/** Chart.js does not wrap axis labels; the full text is in the caption and the table. */
const short = (s: string) => (s.length > 22 ? `${s.slice(0, 21)}…` : s);

/** Horizontal bars (long option names fit on a phone), with the numbers as a table. */
function BarsChart({
  id,
  title,
  summary,
  bars,
  unit,
}: {
  id: string;
  title: string;
  summary: string;
  bars: Bar[];
  unit: string;
}) {
  const make = useMemo<MakeChart>(
    () => (p) => ({
      type: 'bar',
      data: {
        labels: bars.map((b) => short(b.label)),
        datasets: [
          {
            label: unit,
            data: bars.map((b) => b.value),
            backgroundColor: bars.map((b) => b.colour(p)),
            borderRadius: 3,
          },
        ],
      },
      options: {
        ...baseOptions(p),
        indexAxis: 'y' as const,
        plugins: { legend: { display: false } },
        scales: {
          x: {
            beginAtZero: true,
            ticks: { color: p.muted, precision: 0 },
            grid: { color: p.line },
            title: { display: true, text: unit, color: p.muted },
          },
          y: { ticks: { color: p.ink }, grid: { display: false } },
        },
      },
    }),
    [bars, unit],
  );
  return (
    <ChartFigure id={id} title={title} summary={summary} make={make}>
      <ChartTable
        caption={title}
        head={['Option', unit]}
        rows={bars.map((b) => [b.label, fmt(b.value)])}
      />
    </ChartFigure>
  );
}

const accent = (p: Palette) => p.accent;
const muted = (p: Palette) => p.muted;
const warn = (p: Palette) => p.warn;
const danger = (p: Palette) => p.danger;

/** The winner in the accent colour, the rest muted. */
const optionBars = (
  t: Extract<Tally, { winner: string | null }>,
  value: (c: { option: string; weight: number }) => number,
  counts: { option: string; weight: number }[],
): Bar[] =>
  counts.map((c) => ({
    label: optionLabel(t.method, c.option),
    value: value(c),
    colour:
      c.option === t.winner || (t.winner === null && t.winners.includes(c.option)) ? accent : muted,
  }));

function MethodChart({ tally }: { tally: Tally }) {
  const summary = countsText(tally);
  const bars = useMemo<Bar[] | null>(() => {
    switch (tally.method) {
      case 'consent':
        return [
          { label: 'Consent', value: tally.counts.consent, colour: accent },
          { label: 'Object', value: tally.counts.object, colour: danger },
        ];
      case 'consensus':
        return [
          { label: 'Agree', value: tally.counts.agree, colour: accent },
          { label: 'Abstain', value: tally.counts.abstain, colour: muted },
          { label: 'Disagree', value: tally.counts.disagree, colour: warn },
          { label: 'Block', value: tally.counts.block, colour: danger },
        ];
      case 'advice':
        return [
          { label: 'Support', value: tally.counts.support, colour: accent },
          { label: 'Concern', value: tally.counts.concern, colour: warn },
        ];
      case 'majority':
      case 'time':
      case 'allocation':
        return optionBars(tally, (c) => c.weight, tally.counts);
      case 'score':
        return optionBars(tally, (c) => c.weight, tally.counts);
      case 'ranked': {
        // First choices: the instant-runoff count's first round.
        const first = tally.instantRunoff.rounds[0]?.counts ?? [];
        return first.map((c) => ({
          label: c.option,
          value: c.weight,
          colour: c.option === tally.winner ? accent : muted,
        }));
      }
    }
  }, [tally]);
  if (tally.method === 'ranked') {
    const first = bars ?? [];
    return (
      <>
        <BarsChart
          id="result-chart"
          title="First choices"
          summary={`${first.map((b) => `${b.label} ${fmt(b.value)}`).join(', ')}. The Schulze order: ${summary}.`}
          bars={first}
          unit="First choices"
        />
        <PairwiseResults tally={tally} />
      </>
    );
  }
  if (!bars) return null;
  const unit =
    tally.method === 'allocation'
      ? 'Points'
      : tally.method === 'score'
        ? 'Total score'
        : tally.method === 'time'
          ? 'Available'
          : 'Votes';
  return (
    <>
      <BarsChart
        id="result-chart"
        title="How the votes fell"
        summary={`${summary}.`}
        bars={bars}
        unit={unit}
      />
      {tally.method === 'score' ? <ScoreAverages tally={tally} /> : null}
      {tally.method === 'consensus' ? (
        <p className="small">Agreement among those who took a side: {percent(tally.agreeShare)}.</p>
      ) : null}
    </>
  );
}

function ScoreAverages({ tally }: { tally: TallyOf<'score'> }) {
  return (
    <ul className="averages">
      {tally.counts.map((c) => (
        <li key={c.option}>
          <span>{c.option}</span>
          <meter min={0} max={5} value={c.average} aria-label={`Average score of ${c.option}`}>
            {fmt(c.average)} of 5
          </meter>
          <span className="num">average {fmt(c.average)}</span>
        </li>
      ))}
    </ul>
  );
}

/** Whose ballot carried delegated votes (on anonymous proposals, only how many). */
function CarriedVotes({ tally }: { tally: Tally }) {
  const heavy = tally.carried.filter((c) => c.weight > 1);
  if (heavy.length === 0) return null;
  return (
    <div className="carried">
      <h3>Delegated votes</h3>
      <ul>
        {heavy.map((c, i) => (
          <li key={c.voter ?? i}>
            {c.voter ? `@${c.voter}` : 'A ballot'} carried {plural(c.weight, 'vote')} (
            {plural(c.weight - 1, 'delegated vote')}).
          </li>
        ))}
      </ul>
    </div>
  );
}

/** What the results are, or why the viewer cannot see them yet. */
export function Results({ proposal }: { proposal: Proposal }) {
  const t = proposal.tally;
  if (!t) {
    const untilVote = proposal.hideResults === 'until_vote' && !proposal.viewerVote?.voted;
    return (
      <p className="notice results-hidden" role="status">
        {untilVote
          ? 'Results are hidden until you vote.'
          : 'Results are hidden until the proposal closes.'}
      </p>
    );
  }
  const rule = thresholdWords(t.method, t.threshold, t.thresholdBasis ?? 'cast');
  return (
    <div className="results">
      <p className={`result-headline ${t.outcome}`}>
        <strong>{headline(t)}</strong>
      </p>
      {t.closedEarly ? (
        <p className="notice closed-early" role="status">
          Closed early by its author, before everyone could vote: this poll advises, it decides
          nothing.
        </p>
      ) : null}
      <p className="muted small">
        {turnout(t)}
        {rule ? `. To pass, ${rule}` : ''}.
      </p>
      <MethodChart tally={t} />
      <CarriedVotes tally={t} />
    </div>
  );
}
