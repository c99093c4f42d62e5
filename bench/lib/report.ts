import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './server.ts';

export type Cell = string | number | null;

/** Prints rows as an aligned table; numbers are right-aligned. */
export function printTable(rows: Record<string, Cell>[]): void {
  const first = rows[0];
  if (!first) return;
  const columns = Object.keys(first);
  const text = (v: Cell | undefined) => (v === null || v === undefined ? '—' : String(v));
  const widths = columns.map((col) =>
    Math.max(col.length, ...rows.map((r) => text(r[col]).length)),
  );
  const line = (cells: string[], numeric: boolean[]) =>
    cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  console.log(
    line(
      columns,
      columns.map(() => false),
    ),
  );
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows)
    console.log(
      line(
        columns.map((col) => text(row[col])),
        columns.map((col) => typeof row[col] === 'number'),
      ),
    );
}

export const round = (value: number, digits = 2): number => Number(value.toFixed(digits));
export const mib = (kb: number | null): number | null => (kb === null ? null : round(kb / 1024, 1));

/** Writes bench/results/<name>.json with the figures and where they were taken. */
export function writeResult(name: string, figures: Record<string, unknown>): string {
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.json`);
  const machine = {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? null,
    memoryMiB: Math.round(totalmem() / 2 ** 20),
  };
  writeFileSync(
    path,
    JSON.stringify({ name, timestamp: new Date().toISOString(), machine, ...figures }, null, 2) +
      '\n',
  );
  return path;
}

/** Reads a positive number from the environment, e.g. BENCH_SECONDS. */
export function envNumber(variable: string, fallback: number): number {
  const raw = process.env[variable];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${variable} must be a positive number, got ${raw}`);
  return value;
}
