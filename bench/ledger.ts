// Ledger writes, Commune over HTTP against the strongest plain SQL doing the same writes
// (bench/lib/ledger-raw.ts, issue 12), on SQLite and PostgreSQL, with the same accounts
// and the same concurrency: random pairs of BENCH_ACCOUNTS (50) members, single transfers
// from BENCH_CLIENTS (16) clients and from 1 client, then BENCH_BATCHES (4) batches of 8,190.
//   npm run bench -- ledger       BENCH_SECONDS (10) per run after BENCH_WARMUP_SECONDS (2);
//   BENCH_PROFILE_SECONDS (5, 0 for none) of load on a server under node --cpu-prof,
//   summarised; BENCH_DATABASES=postgres for one database; JOBS_INTERVAL_MS=0 passes to the
//   server and turns its background deliveries off (they are deferred, not saved: ADR 0031).
//   Beside each HTTP run: the server's own CPU per transfer, which the machine's load moves less.
// Goals: PostgreSQL single transfers over HTTP at 16 clients >= 1.0 x raw per-transfer
// transactions; at 1 client p50 <= 1.5 x raw; SQLite batched over HTTP >= 0.40 x raw.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import pino from 'pino';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase, type DbHandle } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import {
  TEST_POSTGRES_URL,
  isPostgresReachable,
  openTestPostgres,
  type DatabaseKind,
} from '../src/db/testing.ts';
import { ledgerService } from '../src/ledger/ledger.service.ts';
import { systemClock } from '../src/shared/clock.ts';
import { summariseProfile, type ProfileSummary } from './lib/cpu-profile.ts';
import {
  percentile,
  randomPair,
  rawPgBatches,
  rawPgSingles,
  rawSqlite,
  type RunFigures,
} from './lib/ledger-raw.ts';
import { envNumber, printTable, round, runBench, startServer, writeResult } from './lib/index.ts';

const BATCH = 8190;
const settings = {
  seconds: envNumber('BENCH_SECONDS', 10),
  warmupSeconds:
    process.env.BENCH_WARMUP_SECONDS === '0' ? 0 : envNumber('BENCH_WARMUP_SECONDS', 2),
  accounts: envNumber('BENCH_ACCOUNTS', 50),
  clients: envNumber('BENCH_CLIENTS', 16),
  batches: envNumber('BENCH_BATCHES', 4),
  // BENCH_PROFILE_SECONDS=0 leaves the profiles out.
  profileSeconds:
    process.env.BENCH_PROFILE_SECONDS === '0' ? 0 : envNumber('BENCH_PROFILE_SECONDS', 5),
  profileTop: envNumber('BENCH_PROFILE_TOP', 3),
  // BENCH_DATABASES=postgres (or sqlite) measures one database only.
  databases: (process.env.BENCH_DATABASES ?? 'sqlite,postgres').split(','),
};
const members = Array.from({ length: settings.accounts }, (_, i) => `m${i}`);

type Fresh = {
  kind: DatabaseKind;
  url: string;
  handle: DbHandle;
  communeId: string;
  tokens: string[];
  accounts: string[];
  close: () => Promise<void>;
};

/** A fresh migrated database with one commune of `accounts` members whose limits never bind. */
async function fresh(kind: DatabaseKind): Promise<Fresh> {
  let handle: DbHandle;
  let url: string;
  let dir: string | undefined;
  if (kind === 'sqlite') {
    dir = mkdtempSync(join(tmpdir(), 'commune-bench-ledger-'));
    url = `sqlite:${join(dir, 'ledger.db')}`;
    handle = openDatabase(url);
    await migrateToLatest(handle.db as never);
  } else {
    const p = await openTestPostgres(10);
    handle = p;
    url = `${TEST_POSTGRES_URL}${TEST_POSTGRES_URL.includes('?') ? '&' : '?'}options=-c%20search_path%3D${p.schema}`;
  }
  const config = loadConfig({ DATABASE_URL: url, SIGN_UPS_PER_HOUR: '1000000' });
  if (!config.ok) throw new Error(config.error.message);
  const deps = {
    db: handle.db,
    dialect: handle.dialect,
    config: config.value,
    logger: pino({ level: 'silent' }),
    clock: systemClock,
    passwordCost: 10,
  };
  const app = createApp(deps);
  const call = async (method: string, path: string, body: unknown, token?: string) => {
    const res = await app.request(path, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(body),
    });
    const json = await res.json();
    if (res.status >= 300)
      throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const tokens: string[] = [];
  for (const h of members) {
    await call('POST', '/api/v1/accounts', { handle: h, password: `password-${h}` });
    tokens.push(
      (await call('POST', '/api/v1/sessions', { handle: h, password: `password-${h}` })).token,
    );
  }
  const commune = await call(
    'POST',
    '/api/v1/communes',
    {
      handle: 'bench_ledger',
      name: 'Bench',
      vision: 'Measured',
      category: 'social',
      tags: [],
      joinPolicy: 'open',
      visibility: 'public',
      maxMembers: 150,
    },
    tokens[0],
  );
  for (const t of tokens.slice(1))
    await call('POST', '/api/v1/communes/bench_ledger/applications', { acceptAgreements: true }, t);
  // Limits change by decision in the app; the bench sets them through the ledger service.
  const ledger = ledgerService(deps);
  for (const h of members) {
    const r = await ledger.setCreditLimit(undefined, {
      communeId: commune.id,
      owner: h,
      limit: 1_000_000_000,
      by: null,
    });
    if (!r.ok) throw new Error(`credit limit of ${h}: ${r.error.code}`);
  }
  const rows = await handle.db
    .selectFrom('ledger_accounts')
    .select(['id', 'owner_handle'])
    .where('commune_id', '=', commune.id)
    .execute();
  const accounts = members.map((h) => rows.find((r) => r.owner_handle === h)!.id);
  return {
    kind,
    url,
    handle,
    communeId: commune.id,
    tokens,
    accounts,
    close: async () => {
      await handle.destroy();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** CPU time (user + system) a process has used, in ms, from /proc; null where /proc is missing. */
function cpuMsOf(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

/** A run's figures plus the server's own CPU per transfer: load on a shared machine moves latency, less so this. */
async function withCpu(pid: number, run: () => Promise<RunFigures>) {
  const before = cpuMsOf(pid);
  const r = await run();
  const after = cpuMsOf(pid);
  return {
    ...r,
    serverCpuMsPerTransfer:
      before === null || after === null ? null : round((after - before) / r.transfers, 3),
  };
}

/** Single transfers between random pairs from `clients` connections. */
function singles(f: Fresh, url: string, clients: number, seconds: number): Promise<RunFigures> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `${url}/api/v1/communes/bench_ledger/transfers`,
        connections: clients,
        duration: seconds,
        requests: [
          {
            method: 'POST',
            setupRequest: (req) => {
              const [a, b] = randomPair(members.length);
              return {
                ...req,
                headers: {
                  'content-type': 'application/json',
                  authorization: `Bearer ${f.tokens[a]}`,
                },
                body: JSON.stringify({ id: randomUUID(), to: members[b], amount: 1 }),
              };
            },
          },
        ],
      },
      (e: unknown, r: autocannon.Result) => {
        if (e) return reject(e instanceof Error ? e : new Error(String(e)));
        if (r.non2xx || r.errors || r.timeouts)
          return reject(
            new Error(`HTTP: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`),
          );
        resolve({
          transfersPerSecond: r.requests.average,
          transfers: r.requests.total,
          p50Ms: r.latency.p50,
          p99Ms: r.latency.p99,
          clients,
        });
      },
    );
  });
}

/**
 * fetch, once more after a network error: undici may reuse a kept-alive connection the
 * server has just closed after the long autocannon runs. Batches are idempotent by id.
 */
async function fetchOnceMore(url: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (e) {
    console.log(`(${String((e as { cause?: unknown }).cause ?? e)}: once more)`);
    return fetch(url, init);
  }
}

/** Batches of 8,190 random transfers, one request after another. */
async function batches(f: Fresh, url: string): Promise<RunFigures> {
  const bodies = Array.from({ length: settings.batches }, (_, k) => {
    const payer = k % members.length;
    const others = members.filter((_, i) => i !== payer);
    const transfers = Array.from({ length: BATCH }, () => ({
      id: randomUUID(),
      to: others[Math.floor(Math.random() * others.length)],
      amount: 1,
    }));
    return { token: f.tokens[payer]!, body: JSON.stringify({ transfers }) };
  });
  const latencies: number[] = [];
  const t0 = performance.now();
  for (const b of bodies) {
    const start = performance.now();
    const res = await fetchOnceMore(`${url}/api/v1/communes/bench_ledger/transfers/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${b.token}` },
      body: b.body,
    });
    await res.arrayBuffer();
    if (res.status !== 201 && res.status !== 200) throw new Error(`HTTP batch: ${res.status}`);
    latencies.push(performance.now() - start);
  }
  const ms = performance.now() - t0;
  latencies.sort((a, b) => a - b);
  return {
    transfersPerSecond: (BATCH * settings.batches * 1000) / ms,
    transfers: BATCH * settings.batches,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    clients: 1,
  };
}

type ServerRun = RunFigures & { serverCpuMsPerTransfer: number | null };
type KindFigures = {
  raw: { single: RunFigures; single1: RunFigures; batched: RunFigures };
  http: { single: ServerRun; single1: ServerRun; batched: ServerRun };
  profiles: Record<string, ProfileSummary>;
};

/** The same load on a server under node --cpu-prof; its profile's top costs. */
async function profiled(f: Fresh, work: (url: string) => Promise<unknown>) {
  const dir = mkdtempSync(join(tmpdir(), 'commune-bench-prof-'));
  try {
    const server = await startServer({
      databaseUrl: f.url,
      nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`],
    });
    try {
      await work(server.url);
    } finally {
      await server.stop();
    }
    return summariseProfile(dir, server.coldStartMs, settings.profileTop);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measureKind(kind: DatabaseKind): Promise<KindFigures> {
  const { seconds, clients } = settings;
  console.log(`\n${kind}: seeding ${members.length} members …`);
  const f = await fresh(kind);
  try {
    const ledger = { url: f.url, communeId: f.communeId, accounts: f.accounts };
    console.log(`${kind}: raw SQL …`);
    let raw: KindFigures['raw'];
    if (kind === 'postgres') {
      await rawPgSingles(ledger, clients, Math.min(2, seconds)); // warm the server's caches
      raw = {
        single: await rawPgSingles(ledger, clients, seconds),
        single1: await rawPgSingles(ledger, 1, seconds),
        batched: await rawPgBatches(ledger, settings.batches, BATCH),
      };
    } else {
      // One writer: a SQLite transaction never waits on I/O, so clients would only queue.
      const r = await rawSqlite(ledger, seconds, settings.batches, BATCH);
      raw = { single: { ...r.single, clients }, single1: r.single, batched: r.batched };
    }
    console.log(`${kind}: Commune over HTTP …`);
    const server = await startServer({ databaseUrl: f.url });
    let http: KindFigures['http'];
    try {
      if (settings.warmupSeconds > 0) await singles(f, server.url, clients, settings.warmupSeconds);
      http = {
        single: await withCpu(server.pid, () => singles(f, server.url, clients, seconds)),
        single1: await withCpu(server.pid, () => singles(f, server.url, 1, seconds)),
        batched: await withCpu(server.pid, () => batches(f, server.url)),
      };
      const audit = await (
        await fetchOnceMore(`${server.url}/api/v1/communes/bench_ledger/ledger/audit`, {
          headers: { authorization: `Bearer ${f.tokens[0]}` },
        })
      ).json();
      if (audit.problems.length || audit.sum !== 0)
        throw new Error(`the books do not balance ${JSON.stringify(audit).slice(0, 500)}`);
    } finally {
      await server.stop();
    }
    const profiles: Record<string, ProfileSummary> = {};
    if (settings.profileSeconds === 0) return { raw, http, profiles };
    console.log(`${kind}: CPU profiles …`);
    Object.assign(profiles, {
      [`single transfers, ${clients} clients`]: await profiled(f, (url) =>
        singles(f, url, clients, settings.profileSeconds),
      ),
    });
    if (kind === 'sqlite') profiles['batches'] = await profiled(f, (url) => batches(f, url));
    return { raw, http, profiles };
  } finally {
    await f.close();
  }
}

await runBench('ledger', async () => {
  const kinds = ((await isPostgresReachable()) ? ['sqlite', 'postgres'] : ['sqlite']).filter((k) =>
    settings.databases.includes(k),
  ) as DatabaseKind[];
  const figures: Partial<Record<DatabaseKind, KindFigures>> = {};
  for (const kind of kinds) figures[kind] = await measureKind(kind);

  const row = (kind: string, path: string, x: RunFigures | ServerRun, raw: RunFigures) => ({
    database: kind,
    path,
    clients: x.clients,
    'tr/s': round(x.transfersPerSecond, 0),
    'p50 ms': round(x.p50Ms, 2),
    'p99 ms': round(x.p99Ms, 2),
    'x raw tr/s': round(x.transfersPerSecond / raw.transfersPerSecond),
    'p50 / raw p50': round(x.p50Ms / raw.p50Ms),
    'server CPU ms/tr': 'serverCpuMsPerTransfer' in x ? x.serverCpuMsPerTransfer : '',
  });
  const rows = Object.entries(figures).flatMap(([kind, f]) => [
    row(kind, 'raw single', f.raw.single, f.raw.single),
    row(kind, 'HTTP single', f.http.single, f.raw.single),
    row(kind, 'raw single', f.raw.single1, f.raw.single1),
    row(kind, 'HTTP single', f.http.single1, f.raw.single1),
    row(kind, `raw batches of ${BATCH}`, f.raw.batched, f.raw.batched),
    row(kind, `HTTP batches of ${BATCH}`, f.http.batched, f.raw.batched),
  ]);
  console.log(
    `\ntransfers per second and latency per request (${settings.accounts} accounts, random pairs, ${settings.seconds} s per run)\n`,
  );
  printTable(rows);
  for (const [kind, f] of Object.entries(figures))
    for (const [what, p] of Object.entries(f.profiles)) {
      console.log(`\n${kind}, ${what}: server CPU ${p.busyMs} ms (idle left out); top costs`);
      for (const c of p.areas) console.log(`  ${String(c.share).padStart(5)} %  ${c.name}`);
      for (const c of p.functions) console.log(`  ${String(c.share).padStart(5)} %  ${c.name}`);
    }

  const s = figures.sqlite;
  const p = figures.postgres;
  const goals = [
    ...(s
      ? [
          {
            goal: 'SQLite batched over HTTP >= 0.40 x raw multi-row SQL batches',
            value: s.http.batched.transfersPerSecond / s.raw.batched.transfersPerSecond,
            pass: (v: number) => v >= 0.4,
          },
        ]
      : []),
    ...(p
      ? [
          {
            goal: `PostgreSQL single transfers over HTTP, ${settings.clients} clients >= 1.0 x raw per-transfer transactions`,
            value: p.http.single.transfersPerSecond / p.raw.single.transfersPerSecond,
            pass: (v: number) => v >= 1,
          },
          {
            goal: 'PostgreSQL single transfers over HTTP, 1 client: p50 <= 1.5 x raw p50',
            value: p.http.single1.p50Ms / p.raw.single1.p50Ms,
            pass: (v: number) => v <= 1.5,
          },
        ]
      : []),
  ].map((g) => ({ goal: g.goal, value: round(g.value, 3), pass: g.pass(g.value) }));
  console.log('');
  for (const g of goals) console.log(`${g.pass ? 'PASS' : 'FAIL'}  ${g.goal}: ${g.value}`);
  const pass = goals.every((g) => g.pass);
  console.log(
    `results: ${writeResult('ledger', { settings, batch: BATCH, figures, goals, pass })}`,
  );
  return { pass };
});
