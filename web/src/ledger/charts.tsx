import { useMemo } from 'react';
import type { Currency, LedgerAccount, StatementLine, Transfer } from '../api/ledger.ts';
import { ChartFigure, ChartTable, baseOptions, type MakeChart } from './chart.tsx';
import { formatAmount, formatMoney, pluralUnit } from './money.ts';
import {
  FLOW_DAYS,
  accountFlows,
  balanceHistogram,
  balanceSteps,
  communeFlows,
  type Flows,
} from './series.ts';

const shortDate = (d: Date) => d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
const longDate = (d: Date) =>
  d.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
const dayLabel = (key: string) => shortDate(new Date(`${key}T12:00:00`));
const sum = (xs: number[]) => xs.reduce((n, x) => n + x, 0);
const unitsOf = (c: Currency) => pluralUnit(c.unit);

/** Whole-unit ticks in the currency's decimals. */
const amountTicks = (decimals: number, color: string) => ({
  color,
  precision: 0,
  callback: (v: string | number) => formatAmount(Math.round(Number(v)), decimals),
});

/** How members' balances spread: how many are deep in credit, how many are ahead. */
export function BalanceHistogram({
  accounts,
  currency,
}: {
  accounts: LedgerAccount[];
  currency: Currency;
}) {
  const bins = useMemo(
    () => balanceHistogram(accounts, currency.decimals),
    [accounts, currency.decimals],
  );
  const members = sum(bins.map((b) => b.count));
  const below = accounts.filter((a) => a.owner !== 'purse' && !a.frozen && a.balance < 0).length;
  const above = accounts.filter((a) => a.owner !== 'purse' && !a.frozen && a.balance > 0).length;
  const summary =
    members === 0
      ? 'No member accounts yet.'
      : `${members} member${members === 1 ? '' : 's'}: ${below} below zero, ${above} above zero, ${members - below - above} at zero. Balances are grouped in steps of ${formatMoney((bins[0]?.to ?? 1) - (bins[0]?.from ?? 0), currency)}.`;

  const make = useMemo<MakeChart>(
    () => (p) => ({
      type: 'bar',
      data: {
        labels: bins.map((b) => b.label),
        datasets: [
          {
            label: 'Members',
            data: bins.map((b) => b.count),
            backgroundColor: p.accent,
            borderRadius: 3,
          },
        ],
      },
      options: {
        ...baseOptions(p),
        plugins: { legend: { display: false } },
        scales: {
          x: {
            ticks: { color: p.muted },
            grid: { display: false },
            title: { display: true, text: `Balance (${unitsOf(currency)})`, color: p.muted },
          },
          y: {
            beginAtZero: true,
            ticks: { color: p.muted, precision: 0 },
            grid: { color: p.line },
            title: { display: true, text: 'Members', color: p.muted },
          },
        },
      },
    }),
    [bins, currency],
  );

  return (
    <ChartFigure
      id="balance-histogram"
      title="How balances are spread"
      summary={summary}
      make={make}
    >
      <ChartTable
        caption="Members by balance"
        head={[`Balance (${unitsOf(currency)})`, 'Members']}
        rows={bins.map((b) => [b.label, String(b.count)])}
        empty="No member accounts yet."
      />
    </ChartFigure>
  );
}

type Series = {
  key: string;
  label: string;
  color: (p: { accent: string; warn: string; muted: string; danger: string }) => string;
  sign: 1 | -1;
};

/** Stacked daily bars over the last 90 days; `sign: -1` series are drawn below the axis. */
function FlowsChart<K extends string>({
  id,
  title,
  summary,
  flows,
  series,
  currency,
}: {
  id: string;
  title: string;
  summary: string;
  flows: Flows<K>;
  series: readonly (Series & { key: K })[];
  currency: Currency;
}) {
  const make = useMemo<MakeChart>(
    () => (p) => ({
      type: 'bar',
      data: {
        labels: flows.days.map(dayLabel),
        datasets: series.map((s) => ({
          label: s.label,
          data: flows.series[s.key].map((v) => s.sign * v),
          backgroundColor: s.color(p),
          stack: 'flows',
          barPercentage: 1,
          categoryPercentage: 0.9,
        })),
      },
      options: {
        ...baseOptions(p),
        plugins: {
          legend: { labels: { color: p.ink } },
          tooltip: {
            callbacks: {
              label: (c: { dataset: { label?: string }; parsed: { y: number | null } }) =>
                `${c.dataset.label ?? ''}: ${formatMoney(Math.abs(c.parsed.y ?? 0), currency)}`,
            },
          },
        },
        scales: {
          x: {
            stacked: true,
            ticks: { color: p.muted, maxRotation: 0, autoSkip: true, maxTicksLimit: 6 },
            grid: { display: false },
          },
          y: {
            stacked: true,
            ticks: amountTicks(currency.decimals, p.muted),
            grid: { color: p.line },
          },
        },
      },
    }),
    [flows, series, currency],
  );
  const active = flows.days
    .map((d, i) => ({ d, i }))
    .filter(({ i }) => series.some((s) => (flows.series[s.key][i] ?? 0) !== 0));
  return (
    <ChartFigure id={id} title={title} summary={summary} make={make}>
      <ChartTable
        caption={`${title}, days with any movement`}
        head={['Day', ...series.map((s) => `${s.label} (${unitsOf(currency)})`)]}
        rows={active.map(({ d, i }) => [
          dayLabel(d),
          ...series.map((s) => formatAmount(flows.series[s.key][i] ?? 0, currency.decimals)),
        ])}
        empty={`Nothing moved in the last ${FLOW_DAYS} days.`}
      />
    </ChartFigure>
  );
}

const COMMUNE_SERIES = [
  { key: 'between', label: 'Between members', color: (p) => p.accent, sign: 1 },
  { key: 'toPurse', label: 'Into the purse', color: (p) => p.warn, sign: 1 },
  { key: 'fromPurse', label: 'Out of the purse', color: (p) => p.muted, sign: 1 },
] as const satisfies readonly (Series & { key: 'between' | 'toPurse' | 'fromPurse' })[];

/** Everything that moved in the commune each day. `complete` is false when the list was cut short. */
export function CommuneFlowsChart({
  transfers,
  complete,
  currency,
}: {
  transfers: Transfer[];
  complete: boolean;
  currency: Currency;
}) {
  const flows = useMemo(() => communeFlows(transfers, new Date()), [transfers]);
  const totals = COMMUNE_SERIES.map(
    (s) => `${s.label.toLowerCase()} ${formatMoney(sum(flows.series[s.key]), currency)}`,
  );
  const days = flows.days.filter((_, i) =>
    COMMUNE_SERIES.some((s) => (flows.series[s.key][i] ?? 0) > 0),
  ).length;
  const summary = `In the last ${FLOW_DAYS} days, on ${days} day${days === 1 ? '' : 's'} with payments: ${totals.join(', ')}.${complete ? '' : ' Only the most recent transfers are counted.'}`;
  return (
    <FlowsChart
      id="commune-flows"
      title={`Money moving, last ${FLOW_DAYS} days`}
      summary={summary}
      flows={flows}
      series={COMMUNE_SERIES}
      currency={currency}
    />
  );
}

const ACCOUNT_SERIES = [
  { key: 'in', label: 'In', color: (p) => p.accent, sign: 1 },
  { key: 'out', label: 'Out', color: (p) => p.danger, sign: -1 },
] as const satisfies readonly (Series & { key: 'in' | 'out' })[];

/** One account's money in (above the line) and out (below) each day. */
export function AccountFlowsChart({
  lines,
  complete,
  currency,
  whose,
}: {
  lines: StatementLine[];
  complete: boolean;
  currency: Currency;
  whose: string;
}) {
  const flows = useMemo(() => accountFlows(lines, new Date()), [lines]);
  const summary = `In the last ${FLOW_DAYS} days ${formatMoney(sum(flows.series.in), currency)} came in and ${formatMoney(sum(flows.series.out), currency)} went out.${complete ? '' : ' Only the most recent postings are counted.'}`;
  return (
    <FlowsChart
      id="account-flows"
      title={`Money in and out of ${whose}, last ${FLOW_DAYS} days`}
      summary={summary}
      flows={flows}
      series={ACCOUNT_SERIES}
      currency={currency}
    />
  );
}

/** The purse's balance after every posting, carried on to today. */
export function PurseBalanceChart({
  lines,
  complete,
  balance,
  currency,
}: {
  lines: StatementLine[];
  complete: boolean;
  balance: number;
  currency: Currency;
}) {
  const points = useMemo(() => balanceSteps(lines, balance, new Date()), [lines, balance]);
  const highest = Math.max(...points.map((pt) => pt.y));
  const first = points[0];
  const since = first && lines.length > 0 ? ` since ${longDate(new Date(first.x))}` : '';
  const summary =
    lines.length === 0
      ? `Nothing has been paid into the purse yet; it holds ${formatMoney(balance, currency)}.`
      : `The purse holds ${formatMoney(balance, currency)} after ${lines.length}${complete ? '' : ' recent'} posting${lines.length === 1 ? '' : 's'}${since}; its highest balance was ${formatMoney(highest, currency)}. The statement below lists every change.`;

  const make = useMemo<MakeChart>(() => {
    // Within two days, ticks show the time of day; otherwise the date.
    const span = (points[points.length - 1]?.x ?? 0) - (points[0]?.x ?? 0);
    const tick = (d: Date) =>
      span < 2 * 86_400_000
        ? d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })
        : shortDate(d);
    return (p) => ({
      type: 'line',
      data: {
        datasets: [
          {
            label: 'Purse balance',
            data: points,
            stepped: 'before' as const,
            borderColor: p.accent,
            backgroundColor: p.accent,
            pointRadius: points.length > 60 ? 0 : 3,
            borderWidth: 2,
          },
        ],
      },
      options: {
        ...baseOptions(p),
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              title: (items: { parsed: { x: number | null } }[]) =>
                new Date(items[0]?.parsed.x ?? 0).toLocaleString(),
              label: (c: { parsed: { y: number | null } }) =>
                formatMoney(c.parsed.y ?? 0, currency),
            },
          },
        },
        scales: {
          x: {
            type: 'linear' as const,
            ticks: {
              color: p.muted,
              maxTicksLimit: 5,
              maxRotation: 0,
              callback: (v: string | number) => tick(new Date(Number(v))),
            },
            grid: { display: false },
          },
          y: {
            beginAtZero: true,
            ticks: amountTicks(currency.decimals, p.muted),
            grid: { color: p.line },
            title: { display: true, text: unitsOf(currency), color: p.muted },
          },
        },
      },
    });
  }, [points, currency]);
  return (
    <ChartFigure id="purse-balance" title="The purse over time" summary={summary} make={make} />
  );
}
