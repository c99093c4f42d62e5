import { PURSE, type LedgerAccount, type StatementLine, type Transfer } from '../api/ledger.ts';
import { formatAmount } from './money.ts';

/** Chart series derived on the client from the same lists the pages show. Pure functions. */

export const FLOW_DAYS = 90;

/** The reader's local calendar day, "2025-11-25". */
export function dayKey(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** The last `days` local days ending today, oldest first. */
export function lastDays(now: Date, days = FLOW_DAYS): string[] {
  const out: string[] = [];
  for (let i = days - 1; i >= 0; i--)
    out.push(dayKey(new Date(now.getFullYear(), now.getMonth(), now.getDate() - i)));
  return out;
}

/** Midnight at the start of the first of the last `days` days: older items fall outside. */
export const windowStart = (now: Date, days = FLOW_DAYS) =>
  new Date(now.getFullYear(), now.getMonth(), now.getDate() - (days - 1));

export type Flows<K extends string> = { days: string[]; series: Record<K, number[]> };

/** Sums amounts per day and kind over the window; items outside it are ignored. */
export function dailyFlows<K extends string>(
  items: { at: string; amount: number; kind: K }[],
  kinds: readonly K[],
  now: Date,
  days = FLOW_DAYS,
): Flows<K> {
  const keys = lastDays(now, days);
  const index = new Map(keys.map((k, i) => [k, i]));
  const series = Object.fromEntries(kinds.map((k) => [k, keys.map(() => 0)])) as Record<
    K,
    number[]
  >;
  for (const item of items) {
    const i = index.get(dayKey(new Date(item.at)));
    const row = series[item.kind];
    if (i !== undefined && row) row[i] = (row[i] ?? 0) + item.amount;
  }
  return { days: keys, series };
}

export type AccountFlow = 'in' | 'out';
export const ACCOUNT_FLOWS: readonly AccountFlow[] = ['in', 'out'];

/** One account's money in and out per day, from its statement. */
export const accountFlows = (lines: StatementLine[], now: Date) =>
  dailyFlows(
    lines.map((l) => ({
      at: l.at,
      amount: Math.abs(l.amount),
      kind: l.amount > 0 ? ('in' as const) : ('out' as const),
    })),
    ACCOUNT_FLOWS,
    now,
  );

export type CommuneFlow = 'between' | 'toPurse' | 'fromPurse';
export const COMMUNE_FLOWS: readonly CommuneFlow[] = ['between', 'toPurse', 'fromPurse'];

/** The commune's posted transfers per day: between members, into the purse, out of it. */
export function communeFlows(transfers: Transfer[], now: Date): Flows<CommuneFlow> {
  const posted = transfers.filter((t) => t.status === 'posted');
  const kindOf = (t: Transfer): CommuneFlow =>
    t.to === PURSE ? 'toPurse' : t.from === PURSE ? 'fromPurse' : 'between';
  return dailyFlows(
    posted.map((t) => ({ at: t.resolvedAt ?? t.createdAt, amount: t.amount, kind: kindOf(t) })),
    COMMUNE_FLOWS,
    now,
  );
}

/** A step series of the balance: one point per posting, oldest first, carried on to `now`. */
export function balanceSteps(
  newestFirst: StatementLine[],
  current: number,
  now: Date,
): { x: number; y: number }[] {
  const lines = [...newestFirst].sort((a, b) => a.seq - b.seq);
  const first = lines[0];
  if (!first) return [{ x: now.getTime(), y: current }];
  const points = [{ x: Date.parse(first.at), y: first.balance - first.amount }];
  for (const l of lines) points.push({ x: Date.parse(l.at), y: l.balance });
  points.push({ x: Math.max(now.getTime(), points[points.length - 1]?.x ?? 0), y: current });
  return points;
}

/** 1, 2, 5, 10, 20, 50…: the smallest such width at least `raw`. */
export function niceWidth(raw: number): number {
  if (raw <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const step of [1, 2, 5, 10]) if (step * power >= raw) return step * power;
  return 10 * power;
}

export type Bin = { from: number; to: number; label: string; count: number };

/**
 * Members' balances in even bins of a round width (in the smallest unit); `from` is in the
 * bin and `to` is not. Frozen accounts (people who left) are left out.
 */
export function balanceHistogram(
  accounts: LedgerAccount[],
  decimals: number,
  targetBins = 6,
): Bin[] {
  const balances = accounts.filter((a) => a.owner !== PURSE && !a.frozen).map((a) => a.balance);
  if (balances.length === 0) return [];
  const min = Math.min(...balances);
  const max = Math.max(...balances);
  const width = niceWidth(Math.ceil((max - min + 1) / targetBins));
  const start = Math.floor(min / width) * width;
  const bins: Bin[] = [];
  for (let from = start; from <= max; from += width) {
    const to = from + width;
    const label =
      width === 1
        ? formatAmount(from, decimals)
        : `${formatAmount(from, decimals)} to ${formatAmount(to - 1, decimals)}`;
    bins.push({ from, to, label, count: 0 });
  }
  for (const b of balances) {
    const bin = bins[Math.floor((b - start) / width)];
    if (bin) bin.count += 1;
  }
  return bins;
}
