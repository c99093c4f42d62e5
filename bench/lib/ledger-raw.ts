// The strongest plain way to make the ledger's writes, for bench/ledger.ts to measure
// Commune against (issue 12): no framework, prepared statements, rows locked in id order.
//   single: one transaction per transfer: lock both accounts (one SELECT … ORDER BY id FOR
//           UPDATE), one INSERT, one UPDATE of both balances.
//   batch:  one transaction per batch: lock every account, one multi-row INSERT (unnest on
//           PostgreSQL; on SQLite a prepared one-row INSERT per transfer, which is faster
//           there), one UPDATE of every changed balance.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';

export type Ledger = { url: string; communeId: string; accounts: string[] };
/** Throughput and latency of one run; latencies in milliseconds. */
export type RunFigures = {
  transfersPerSecond: number;
  transfers: number;
  p50Ms: number;
  p99Ms: number;
  clients: number;
};

type Account = { id: string; balance: number; seq: number; floor: number };

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function figures(latencies: number[], transfers: number, ms: number, clients: number) {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    transfersPerSecond: (transfers * 1000) / ms,
    transfers,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    clients,
  };
}

/** Two different accounts at random. */
export function randomPair(n: number): [number, number] {
  const a = Math.floor(Math.random() * n);
  const b = (a + 1 + Math.floor(Math.random() * (n - 1))) % n;
  return [a, b];
}

const COLUMNS =
  'id, commune_id, code, from_account_id, to_account_id, amount, memo, status, body_hash, created_by, created_at, timeout_at, resolved_at, reverses, from_seq, from_balance, to_seq, to_balance';
const ROW_PG = (o: number) =>
  `($${o + 1}, $${o + 2}, 'payment', $${o + 3}, $${o + 4}, $${o + 5}, '', 'posted', 'raw', null, $${o + 6}, null, $${o + 6}, null, $${o + 7}, $${o + 8}, $${o + 9}, $${o + 10})`;
const LOCK_PG =
  'select id, balance, held, credit_limit, max_balance, seq from ledger_accounts where id = any($1::text[]) order by id for update';
const INSERT_PG = `insert into ledger_transfers (${COLUMNS}) values ${ROW_PG(0)}`;
const UPDATE_PG =
  'update ledger_accounts as l set balance = v.balance, seq = v.seq from (values ($1::text, $2::bigint, $3::bigint), ($4::text, $5::bigint, $6::bigint)) as v(id, balance, seq) where l.id = v.id';
const LOCK_ALL_PG =
  "select id, balance, held, credit_limit, max_balance, seq from ledger_accounts where commune_id = $1 and kind = 'member' order by id for update";
const INSERT_MANY_PG = `insert into ledger_transfers (${COLUMNS}) select a.id, $1, 'payment', a.f, a.t, a.amount, '', 'posted', 'raw', null, $2, null, $2, null, a.fs, a.fb, a.ts, a.tb
  from unnest($3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[]) as a(id, f, t, amount, fs, fb, ts, tb)`;
const UPDATE_MANY_PG =
  'update ledger_accounts as l set balance = v.balance, seq = v.seq from unnest($1::text[], $2::bigint[], $3::bigint[]) as v(id, balance, seq) where l.id = v.id';

type LockedRow = {
  id: string;
  balance: string | number;
  held: string | number;
  credit_limit: string | number;
  seq: string | number;
};
const toAccount = (r: LockedRow): Account => ({
  id: r.id,
  balance: Number(r.balance),
  seq: Number(r.seq),
  floor: Number(r.held) - Number(r.credit_limit),
});

/** Applies one transfer of `amount` in memory; throws if a limit would refuse it (never here). */
function move(from: Account, to: Account, amount: number) {
  if (from.balance - amount < from.floor) throw new Error('raw: a limit refused a transfer');
  from.balance -= amount;
  from.seq += 1;
  to.balance += amount;
  to.seq += 1;
  return [from.seq, from.balance, to.seq, to.balance] as const;
}

/** `clients` connections, each making one-transfer transactions for `seconds`. */
export async function rawPgSingles(l: Ledger, clients: number, seconds: number) {
  const conns = await Promise.all(
    Array.from({ length: clients }, async () => {
      const c = new pg.Client({ connectionString: l.url });
      await c.connect();
      return c;
    }),
  );
  const latencies: number[] = [];
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  await Promise.all(
    conns.map(async (c) => {
      while (performance.now() < deadline) {
        const start = performance.now();
        const [a, b] = randomPair(l.accounts.length);
        const [fromId, toId] = [l.accounts[a]!, l.accounts[b]!];
        await c.query('begin');
        const rows = (
          await c.query<LockedRow>({ name: 'raw_lock', text: LOCK_PG, values: [[fromId, toId]] })
        ).rows.map(toAccount);
        const from = rows.find((r) => r.id === fromId)!;
        const to = rows.find((r) => r.id === toId)!;
        const [fs, fb, ts, tb] = move(from, to, 1);
        const at = new Date().toISOString();
        await c.query({
          name: 'raw_insert',
          text: INSERT_PG,
          values: [randomUUID(), l.communeId, fromId, toId, 1, at, fs, fb, ts, tb],
        });
        await c.query({
          name: 'raw_update',
          text: UPDATE_PG,
          values: [fromId, fb, fs, toId, tb, ts],
        });
        await c.query('commit');
        latencies.push(performance.now() - start);
      }
    }),
  );
  const ms = performance.now() - t0;
  await Promise.all(conns.map((c) => c.end()));
  return figures(latencies, latencies.length, ms, clients);
}

/** Builds a batch in memory against the locked accounts: random pairs, amount 1. */
function plan(accounts: Account[], size: number) {
  const cols = {
    id: [] as string[],
    f: [] as string[],
    t: [] as string[],
    amount: [] as number[],
    fs: [] as number[],
    fb: [] as number[],
    ts: [] as number[],
    tb: [] as number[],
  };
  for (let i = 0; i < size; i += 1) {
    const [a, b] = randomPair(accounts.length);
    const [fs, fb, ts, tb] = move(accounts[a]!, accounts[b]!, 1);
    cols.id.push(randomUUID());
    cols.f.push(accounts[a]!.id);
    cols.t.push(accounts[b]!.id);
    cols.amount.push(1);
    cols.fs.push(fs);
    cols.fb.push(fb);
    cols.ts.push(ts);
    cols.tb.push(tb);
  }
  return cols;
}

/** One connection, `batches` transactions of `size` transfers, each in three statements. */
export async function rawPgBatches(l: Ledger, batches: number, size: number) {
  const c = new pg.Client({ connectionString: l.url });
  await c.connect();
  const latencies: number[] = [];
  const t0 = performance.now();
  for (let k = 0; k < batches; k += 1) {
    const start = performance.now();
    await c.query('begin');
    const accounts = (
      await c.query<LockedRow>({ name: 'raw_lock_all', text: LOCK_ALL_PG, values: [l.communeId] })
    ).rows.map(toAccount);
    const p = plan(accounts, size);
    const at = new Date().toISOString();
    await c.query({
      name: 'raw_insert_many',
      text: INSERT_MANY_PG,
      values: [l.communeId, at, p.id, p.f, p.t, p.amount, p.fs, p.fb, p.ts, p.tb],
    });
    await c.query({
      name: 'raw_update_many',
      text: UPDATE_MANY_PG,
      values: [
        accounts.map((a) => a.id),
        accounts.map((a) => a.balance),
        accounts.map((a) => a.seq),
      ],
    });
    await c.query('commit');
    latencies.push(performance.now() - start);
  }
  const ms = performance.now() - t0;
  await c.end();
  return figures(latencies, batches * size, ms, 1);
}

/** node:sqlite, one connection (SQLite has one writer): single transfers, then batches. */
export async function rawSqlite(
  l: Ledger,
  seconds: number,
  batches: number,
  size: number,
): Promise<{ single: RunFigures; batched: RunFigures }> {
  const { DatabaseSync } = await import('node:sqlite');
  const db = new DatabaseSync(l.url.slice('sqlite:'.length));
  db.exec(
    'PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000',
  );
  const q = (s: string) => s.replace(/\$(\d+)/g, '?$1');
  const lock = db.prepare(
    'select id, balance, held, credit_limit, max_balance, seq from ledger_accounts where id in (?, ?) order by id',
  );
  const insert = db.prepare(q(INSERT_PG));
  const update2 = db.prepare(
    'update ledger_accounts set balance = v.column2, seq = v.column3 from (values (?, ?, ?), (?, ?, ?)) as v where ledger_accounts.id = v.column1',
  );
  const latencies: number[] = [];
  let t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  while (performance.now() < deadline) {
    const start = performance.now();
    const [a, b] = randomPair(l.accounts.length);
    const [fromId, toId] = [l.accounts[a]!, l.accounts[b]!];
    db.exec('BEGIN IMMEDIATE');
    const rows = (lock.all(fromId, toId) as LockedRow[]).map(toAccount);
    const from = rows.find((r) => r.id === fromId)!;
    const to = rows.find((r) => r.id === toId)!;
    const [fs, fb, ts, tb] = move(from, to, 1);
    const at = new Date().toISOString();
    insert.run(randomUUID(), l.communeId, fromId, toId, 1, at, fs, fb, ts, tb);
    update2.run(fromId, fb, fs, toId, tb, ts);
    db.exec('COMMIT');
    latencies.push(performance.now() - start);
  }
  const single = figures(latencies, latencies.length, performance.now() - t0, 1);

  const lockAll = db.prepare(
    "select id, balance, held, credit_limit, max_balance, seq from ledger_accounts where commune_id = ? and kind = 'member' order by id",
  );
  const batchLatencies: number[] = [];
  t0 = performance.now();
  for (let k = 0; k < batches; k += 1) {
    const start = performance.now();
    db.exec('BEGIN IMMEDIATE');
    const accounts = (lockAll.all(l.communeId) as LockedRow[]).map(toAccount);
    const p = plan(accounts, size);
    const at = new Date().toISOString();
    // A prepared one-row INSERT run again and again beats multi-row INSERTs on SQLite
    // (no round trips to save; 100-row statements measured about twice as slow).
    for (let j = 0; j < size; j += 1)
      insert.run(
        p.id[j]!,
        l.communeId,
        p.f[j]!,
        p.t[j]!,
        1,
        at,
        p.fs[j]!,
        p.fb[j]!,
        p.ts[j]!,
        p.tb[j]!,
      );
    const tuples = accounts.map(() => '(?, ?, ?)').join(', ');
    db.prepare(
      `update ledger_accounts set balance = v.column2, seq = v.column3 from (values ${tuples}) as v where ledger_accounts.id = v.column1`,
    ).run(...accounts.flatMap((x) => [x.id, x.balance, x.seq]));
    db.exec('COMMIT');
    batchLatencies.push(performance.now() - start);
  }
  const batched = figures(batchLatencies, batches * size, performance.now() - t0, 1);
  db.close();
  return { single, batched };
}
