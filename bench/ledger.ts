// Ledger write throughput: single transfers and 8,190-transfer batches, in-process and over
// HTTP, on SQLite and PostgreSQL, beside raw node:sqlite and raw pg doing the same writes
// (two limited updates and one insert per transfer; one transaction per batch).
//   npm run bench -- ledger       BENCH_SECONDS (10) of HTTP load for single transfers after
//   BENCH_WARMUP_SECONDS (2), BENCH_CONNECTIONS (50), BENCH_BATCHES (4), BENCH_SINGLES (2000).
// Goals: batched over HTTP >= 25 % of raw SQLite; in-process batched >= 60 % of raw;
// single transfers over HTTP >= 30 % of the thread page's req/s (bench/results/http.json).
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import pg from 'pg';
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
import type { TransferRequest } from '../src/ledger/transfers.types.ts';
import { systemClock } from '../src/shared/clock.ts';
import {
  ROOT,
  envNumber,
  printTable,
  round,
  runBench,
  startServer,
  writeResult,
} from './lib/index.ts';

const BATCH = 8190;
const MEMBERS = ['la', 'lb', 'lc', 'ld', 'le', 'lf', 'lg', 'lh'];
const settings = {
  seconds: envNumber('BENCH_SECONDS', 10),
  warmupSeconds:
    process.env.BENCH_WARMUP_SECONDS === '0' ? 0 : envNumber('BENCH_WARMUP_SECONDS', 2),
  connections: envNumber('BENCH_CONNECTIONS', 50),
  batches: envNumber('BENCH_BATCHES', 4),
  singles: envNumber('BENCH_SINGLES', 2000),
};

type Fresh = {
  kind: DatabaseKind;
  url: string;
  handle: DbHandle;
  communeId: string;
  ids: string[];
  tokens: string[];
  accounts: string[];
  close: () => Promise<void>;
};

/** A fresh migrated database with one commune of eight members whose limits never bind. */
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
  const app = createApp({
    db: handle.db,
    dialect: handle.dialect,
    config: config.value,
    logger: pino({ level: 'silent' }),
    clock: systemClock,
    passwordCost: 10,
  });
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
  const ids: string[] = [];
  for (const h of MEMBERS) {
    ids.push((await call('POST', '/api/v1/accounts', { handle: h, password: `password-${h}` })).id);
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
    },
    tokens[0],
  );
  for (const t of tokens.slice(1))
    await call('POST', '/api/v1/communes/bench_ledger/applications', { acceptAgreements: true }, t);
  // Limits change by decision in the app; the bench sets them through the ledger service.
  const ledger = ledgerService({
    db: handle.db,
    dialect: handle.dialect,
    config: config.value,
    logger: pino({ level: 'silent' }),
    clock: systemClock,
  });
  for (const h of MEMBERS) {
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
  const accounts = MEMBERS.map((h) => rows.find((r) => r.owner_handle === h)!.id);
  return {
    kind,
    url,
    handle,
    communeId: commune.id,
    ids,
    tokens,
    accounts,
    close: async () => {
      await handle.destroy();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

const perSecond = (n: number, ms: number) => (n * 1000) / ms;
const timed = async (work: () => Promise<void>) => {
  const t0 = performance.now();
  await work();
  return performance.now() - t0;
};

/** The same writes by hand: two conditional updates (in id order) and one insert per transfer. */
async function raw(f: Fresh): Promise<{ single: number; batched: number }> {
  const debit =
    'update ledger_accounts set balance = balance - $1, seq = seq + 1 where id = $2 and balance - held - $1 >= -credit_limit returning balance, seq';
  const credit =
    'update ledger_accounts set balance = balance + $1, seq = seq + 1 where id = $2 and (max_balance is null or balance + $1 <= max_balance) returning balance, seq';
  const insert = `insert into ledger_transfers (id, commune_id, code, from_account_id, to_account_id, amount, memo, status, body_hash, created_by, created_at,
    timeout_at, resolved_at, reverses, from_seq, from_balance, to_seq, to_balance) values ($1, $2, 'payment', $3, $4, $5, '', 'posted', 'raw', null, $6, null, $6, null, $7, $8, $9, $10)`;
  const n = f.accounts.length;
  let k = 0;
  if (f.kind === 'sqlite') {
    const { DatabaseSync } = await import('node:sqlite');
    const db = new DatabaseSync(f.url.slice('sqlite:'.length));
    db.exec(
      'PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000',
    );
    const [d, c, ins] = [debit, credit, insert].map((s) =>
      db.prepare(s.replace(/\$(\d+)/g, '?$1')),
    );
    const one = () => {
      const from = f.accounts[k % n]!;
      const to = f.accounts[(k + 1) % n]!;
      k += 1;
      // Rows in id order, as the service locks them.
      const a = from < to ? d!.get(1, from) : undefined;
      const b = c!.get(1, to);
      const a2 = a ?? d!.get(1, from);
      if (!a2 || !b) throw new Error('raw sqlite: a limit refused a transfer');
      const at = new Date().toISOString();
      ins!.run(
        randomUUID(),
        f.communeId,
        from,
        to,
        1,
        at,
        a2.seq as number,
        a2.balance as number,
        b.seq as number,
        b.balance as number,
      );
    };
    const single = await timed(async () => {
      for (let i = 0; i < settings.singles; i += 1) {
        db.exec('BEGIN IMMEDIATE');
        one();
        db.exec('COMMIT');
      }
    });
    const batched = await timed(async () => {
      for (let b = 0; b < settings.batches; b += 1) {
        db.exec('BEGIN IMMEDIATE');
        for (let i = 0; i < BATCH; i += 1) one();
        db.exec('COMMIT');
      }
    });
    db.close();
    return {
      single: perSecond(settings.singles, single),
      batched: perSecond(BATCH * settings.batches, batched),
    };
  }
  const client = new pg.Client({ connectionString: f.url });
  await client.connect();
  const one = async () => {
    const from = f.accounts[k % n]!;
    const to = f.accounts[(k + 1) % n]!;
    k += 1;
    const run = (sql: string, id: string) =>
      client
        .query(sql, [1, id])
        .then((r) => r.rows[0] as { balance: string; seq: string } | undefined);
    const a = from < to ? await run(debit, from) : undefined;
    const b = await run(credit, to);
    const a2 = a ?? (await run(debit, from));
    if (!a2 || !b) throw new Error('raw pg: a limit refused a transfer');
    const at = new Date().toISOString();
    await client.query(insert, [
      randomUUID(),
      f.communeId,
      from,
      to,
      1,
      at,
      a2.seq,
      a2.balance,
      b.seq,
      b.balance,
    ]);
  };
  const singles = Math.min(settings.singles, 1000);
  const single = await timed(async () => {
    for (let i = 0; i < singles; i += 1) {
      await client.query('begin');
      await one();
      await client.query('commit');
    }
  });
  const batches = Math.min(settings.batches, 2);
  const batched = await timed(async () => {
    for (let b = 0; b < batches; b += 1) {
      await client.query('begin');
      for (let i = 0; i < BATCH; i += 1) await one();
      await client.query('commit');
    }
  });
  await client.end();
  return { single: perSecond(singles, single), batched: perSecond(BATCH * batches, batched) };
}

const batchOf = (payer: number): TransferRequest[] =>
  Array.from({ length: BATCH }, (_, i) => ({
    id: randomUUID(),
    to: MEMBERS[(payer + 1 + (i % (MEMBERS.length - 1))) % MEMBERS.length]!,
    amount: 1,
    memo: '',
  }));

/** Our service, called directly: what the ledger costs without HTTP. */
async function inProcess(f: Fresh): Promise<{ single: number; batched: number }> {
  const config = loadConfig({ DATABASE_URL: f.url });
  if (!config.ok) throw new Error(config.error.message);
  const ledger = ledgerService({
    db: f.handle.db,
    dialect: f.handle.dialect,
    config: config.value,
    logger: pino({ level: 'silent' }),
    clock: systemClock,
  });
  const singles = f.kind === 'sqlite' ? settings.singles : Math.min(settings.singles, 1000);
  const single = await timed(async () => {
    for (let i = 0; i < singles; i += 1) {
      const r = await ledger.pay(f.communeId, f.ids[i % MEMBERS.length]!, [
        { id: randomUUID(), to: MEMBERS[(i + 1) % MEMBERS.length]!, amount: 1, memo: '' },
      ]);
      if (!r.ok) throw new Error(`in-process single: ${r.error.code}`);
    }
  });
  const batches = Array.from({ length: settings.batches }, (_, b) => ({
    payer: b % MEMBERS.length,
    requests: batchOf(b % MEMBERS.length),
  }));
  const batched = await timed(async () => {
    for (const b of batches) {
      const r = await ledger.pay(f.communeId, f.ids[b.payer]!, b.requests, true);
      if (!r.ok) throw new Error(`in-process batch: ${r.error.code}`);
    }
  });
  const audit = await ledger.audit(f.communeId);
  if (!audit.ok || audit.value.problems.length)
    throw new Error(`in-process: the books do not balance ${JSON.stringify(audit)}`);
  return {
    single: perSecond(singles, single),
    batched: perSecond(BATCH * settings.batches, batched),
  };
}

/** A real server process: single transfers under autocannon load, then batches one after another. */
async function overHttp(f: Fresh): Promise<{ single: number; batched: number; p99Ms: number }> {
  const server = await startServer({ databaseUrl: f.url });
  try {
    let k = 0;
    // Unmeasured load first, so that the JIT is as warm as in bench/http.ts.
    const load = (duration: number) =>
      new Promise<autocannon.Result>((resolve, reject) => {
        autocannon(
          {
            url: `${server.url}/api/v1/communes/bench_ledger/transfers`,
            connections: settings.connections,
            duration,
            requests: [
              {
                method: 'POST',
                setupRequest: (req) => {
                  const i = (k += 1);
                  return {
                    ...req,
                    headers: {
                      'content-type': 'application/json',
                      authorization: `Bearer ${f.tokens[i % MEMBERS.length]}`,
                    },
                    body: JSON.stringify({
                      id: randomUUID(),
                      to: MEMBERS[(i + 1) % MEMBERS.length],
                      amount: 1,
                    }),
                  };
                },
              },
            ],
          },
          (e: unknown, r: autocannon.Result) =>
            e ? reject(e instanceof Error ? e : new Error(String(e))) : resolve(r),
        );
      });
    if (settings.warmupSeconds > 0) await load(settings.warmupSeconds);
    const result = await load(settings.seconds);
    if (result.non2xx || result.errors || result.timeouts)
      throw new Error(
        `HTTP single: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`,
      );
    const bodies = Array.from({ length: settings.batches }, (_, b) => ({
      token: f.tokens[b % MEMBERS.length]!,
      body: JSON.stringify({ transfers: batchOf(b % MEMBERS.length) }),
    }));
    const batched = await timed(async () => {
      for (const b of bodies) {
        const res = await fetch(`${server.url}/api/v1/communes/bench_ledger/transfers/batch`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${b.token}` },
          body: b.body,
        });
        await res.arrayBuffer();
        if (res.status !== 201) throw new Error(`HTTP batch: ${res.status}`);
      }
    });
    const audit = await (
      await fetch(`${server.url}/api/v1/communes/bench_ledger/ledger/audit`)
    ).json();
    if (audit.problems.length || audit.sum !== 0)
      throw new Error(`HTTP: the books do not balance ${JSON.stringify(audit)}`);
    return {
      single: result.requests.average,
      batched: perSecond(BATCH * settings.batches, batched),
      p99Ms: result.latency.p99,
    };
  } finally {
    await server.stop();
  }
}

await runBench('ledger', async () => {
  const kinds: DatabaseKind[] = (await isPostgresReachable()) ? ['sqlite', 'postgres'] : ['sqlite'];
  const httpJson = join(ROOT, 'bench', 'results', 'http.json');
  const threadPage = existsSync(httpJson)
    ? ((JSON.parse(readFileSync(httpJson, 'utf8')).commune?.requestsPerSecond as
        number | undefined) ?? null)
    : null;
  const figures: Record<
    string,
    {
      raw: { single: number; batched: number };
      inProcess: { single: number; batched: number };
      http: { single: number; batched: number; p99Ms: number };
    }
  > = {};
  for (const kind of kinds) {
    console.log(`\n${kind}: raw writes …`);
    const run = async <T>(work: (f: Fresh) => Promise<T>) => {
      const f = await fresh(kind);
      try {
        return await work(f);
      } finally {
        await f.close();
      }
    };
    const r = await run(raw);
    console.log(`${kind}: in-process …`);
    const i = await run(inProcess);
    console.log(
      `${kind}: over HTTP (${settings.seconds} s of single transfers after ${settings.warmupSeconds} s of warm-up, ${settings.connections} connections, then ${settings.batches} batches) …`,
    );
    const h = await run(overHttp);
    figures[kind] = { raw: r, inProcess: i, http: h };
  }

  const rows = Object.entries(figures).flatMap(([kind, f]) => [
    {
      database: kind,
      path: `raw ${kind === 'sqlite' ? 'node:sqlite' : 'pg'}`,
      'single tr/s': round(f.raw.single, 0),
      'batched tr/s': round(f.raw.batched, 0),
      'single / raw': 1,
      'batched / raw': 1,
    },
    {
      database: kind,
      path: 'in-process',
      'single tr/s': round(f.inProcess.single, 0),
      'batched tr/s': round(f.inProcess.batched, 0),
      'single / raw': round(f.inProcess.single / f.raw.single),
      'batched / raw': round(f.inProcess.batched / f.raw.batched),
    },
    {
      database: kind,
      path: 'HTTP',
      'single tr/s': round(f.http.single, 0),
      'batched tr/s': round(f.http.batched, 0),
      'single / raw': round(f.http.single / f.raw.single),
      'batched / raw': round(f.http.batched / f.raw.batched),
    },
  ]);
  console.log(
    `\ntransfers per second (batches of ${BATCH}; single transfers over HTTP with ${settings.connections} connections for ${settings.seconds} s)\n`,
  );
  printTable(rows);

  const s = figures.sqlite!;
  const goals = [
    {
      goal: 'SQLite batched over HTTP >= 0.25 x raw SQLite batched',
      ratio: s.http.batched / s.raw.batched,
      min: 0.25,
    },
    ...Object.entries(figures).map(([kind, f]) => ({
      goal: `${kind} in-process batched >= 0.60 x raw`,
      ratio: f.inProcess.batched / f.raw.batched,
      min: 0.6,
    })),
    ...(threadPage
      ? [
          {
            goal: `SQLite single over HTTP >= 0.30 x thread page (${round(threadPage, 0)} req/s)`,
            ratio: s.http.single / threadPage,
            min: 0.3,
          },
        ]
      : []),
  ].map((g) => ({ ...g, ratio: round(g.ratio, 3), pass: g.ratio >= g.min }));
  console.log('');
  for (const g of goals) console.log(`${g.pass ? 'PASS' : 'FAIL'}  ${g.goal}: ${g.ratio}`);
  if (!threadPage)
    console.log(
      '(no bench/results/http.json: run `npm run bench -- http` for the single-transfer goal)',
    );
  const pass = goals.every((g) => g.pass);
  console.log(
    `results: ${writeResult('ledger', { settings, batch: BATCH, figures, threadPageRequestsPerSecond: threadPage, goals, pass })}`,
  );
  return { pass };
});
