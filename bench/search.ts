// Search: p50 and p99 of a ranked search (FTS5 on SQLite, tsvector + GIN on PostgreSQL) as a
// member of one commune, against the strongest naive baseline on the same data in the same
// run: a prepared LIKE '%term%' with the same permission filter that stops at the first page
// of matches (no ranking, so it never reads more than it must).
//   npm run bench -- search      BENCH_SEARCH_ITEMS (1,000,000), BENCH_SEARCH_COMMUNES (300),
//   BENCH_SEARCH_QUERIES (100), BENCH_SEARCH_DBS (sqlite,postgres), BENCH_SEARCH_KEEP (a folder:
//   the SQLite database is kept there, and PostgreSQL's in a schema bench_search_<items>_<communes>,
//   and reused by the next run with the same settings, which then reports no load or build time), BENCH_SEARCH_BASELINE_QUERIES (all: the baseline runs
//   on the first this many of the queries, for a full scan of 1M items takes seconds each).
// Goals: ranked p99 at least 100× faster than the baseline's, and under 50 ms on SQLite.
// Also reported: the time to load the items (multi-row inserts), to build the index over them
// (the migration's backfill, then the FTS5 or GIN build), and the index's size (documents and
// index) relative to the items table (with its indexes).
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import pg from 'pg';
import { openDatabase, type DbHandle } from '../src/db/database.ts';
import { migrateHandle, migrateToLatest } from '../src/db/migrate.ts';
import { postgresBackfill, sqliteBackfill } from '../src/db/migrations/0012_search.ts';
import { POSTGRES_INDEX, sqliteRenumber } from '../src/db/migrations/0020_search_scope.ts';
import { openSqlite } from '../src/db/node-sqlite-dialect.ts';
import { TEST_POSTGRES_URL, isPostgresReachable, openTestPostgres } from '../src/db/testing.ts';
import { parseQuery, toFts5, toWebsearch } from '../src/search/query.ts';
import { searchService } from '../src/search/search.service.ts';
import { searchView } from '../src/search/search.view.ts';
import { envNumber, printTable, round, runBench, writeResult, type Cell } from './lib/index.ts';
import { prng } from './lib/corpus.ts';
import {
  loadCommunes,
  loadItems,
  postgresSink,
  sqliteSink,
  vocabulary,
  type Sink,
} from './lib/search-load.ts';

const settings = {
  items: envNumber('BENCH_SEARCH_ITEMS', 1_000_000),
  communes: envNumber('BENCH_SEARCH_COMMUNES', 300),
  membersPerCommune: 8,
  queries: envNumber('BENCH_SEARCH_QUERIES', 100),
  baselineQueries: envNumber('BENCH_SEARCH_BASELINE_QUERIES', Number.MAX_SAFE_INTEGER),
  vocabulary: 20_000,
  pageSize: 20,
  dbs: (process.env.BENCH_SEARCH_DBS ?? 'sqlite,postgres').split(','),
  keep: process.env.BENCH_SEARCH_KEEP,
};

// PostgreSQL's english stop words that the vocabulary holds: never matched there, so never asked.
const STOP = new Set(
  `a about above after again against all am an and any are as at be been before being below
between both but by can did do does doing down during each few for from further had has have
having he her here hers him his how i if in into is it its just me more most my no nor not now
of off on once only or other our out over own same she should so some such than that the their
them then there these they this those through to too under until up very was we were what when
where which while who whom why will with you your`.split(/\s+/),
);

/** Single-word queries: vocabulary ranks 50 and up, uniformly (people rarely search for "the"). */
function queryWords(words: string[], count: number): string[] {
  const random = prng(99);
  const out: string[] = [];
  while (out.length < count) {
    const w = words[50 + Math.floor(random() * (words.length - 50))]!;
    if (!STOP.has(w)) out.push(w);
  }
  return out;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const summary = (ms: number[]) => {
  const s = [...ms].sort((a, b) => a - b);
  return { p50: round(percentile(s, 50), 2), p99: round(percentile(s, 99), 2) };
};

/**
 * Times `query` once per term, after a warm-up on the first few (JIT and caches). Each kind of
 * query has a pass of its own, so that the LIKE scans (reading the whole items table) do not
 * evict the index between two ranked searches. The ranked pass runs first: each of its terms
 * is cold; the full search then finds their posting lists cached.
 */
async function pass(terms: string[], query: (term: string) => Promise<void>): Promise<number[]> {
  for (const w of terms.slice(0, 3)) await query(w);
  const ms: number[] = [];
  for (const w of terms) ms.push((await timed(() => query(w)))[0]);
  return ms;
}

async function timed<T>(f: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const v = await f();
  return [performance.now() - t0, v];
}

const BASELINE = (p: (n: number) => string) => `select i.id, i.title from items i
  join communes c on c.id = i.commune_id
  left join memberships m on m.commune_id = i.commune_id and m.account_id = ${p(1)}
  where (c.visibility = 'public' or m.account_id is not null)
    and (i.visibility = 'public' or m.account_id is not null)
    and i.deleted_at is null
    and (i.title like ${p(2)} or i.body like ${p(2)})
  limit ${settings.pageSize + 1}`;

type Run = {
  handle: DbHandle;
  /** The database already holds the corpus (BENCH_SEARCH_KEEP): nothing to load or build. */
  loaded: boolean;
  sink: Sink;
  baseline: (memberId: string, word: string) => Promise<number>;
  /** Items go in without the search triggers; build() then indexes them all at once. */
  beforeLoad: () => Promise<void>;
  build: () => Promise<void>;
  sizes: () => Promise<{ tableBytes: number; indexBytes: number }>;
  close: () => Promise<void>;
};

async function sqliteRun(): Promise<Run> {
  const dir = settings.keep ?? mkdtempSync(join(tmpdir(), 'commune-bench-search-'));
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `search-${settings.items}-${settings.communes}.db`);
  const loaded = settings.keep !== undefined && existsSync(file);
  const handle = openDatabase(`sqlite:${file}`);
  await migrateToLatest(handle.db as never);
  const raw = openSqlite(file);
  raw.exec('PRAGMA synchronous = OFF');
  const baseline = raw.prepare(BASELINE(() => '?'));
  const bytesOf = (names: string) =>
    Number(
      (
        raw
          .prepare(`select coalesce(sum(pgsize), 0) as b from dbstat where name in (${names})`)
          .get() as { b: number }
      ).b,
    );
  return {
    handle,
    loaded,
    sink: sqliteSink(raw),
    baseline: async (memberId, word) => baseline.all(memberId, `%${word}%`).length,
    beforeLoad: async () => {
      raw.exec('drop trigger items_search_insert');
      raw.exec('drop trigger search_docs_insert');
      raw.exec('drop trigger search_docs_update');
    },
    // The migrations' own backfill (0012), public documents moved to their rowid range
    // (0020), then FTS5 builds its index from the documents in one pass.
    build: async () => {
      raw.exec('begin');
      for (const s of [...sqliteBackfill(), ...sqliteRenumber()]) raw.exec(s);
      raw.exec('commit');
      raw.exec('analyze');
    },
    sizes: async () => ({
      tableBytes: bytesOf(`'items', 'items_by_commune', 'items_by_fork'`),
      indexBytes: bytesOf(
        `'search_docs', 'search_docs_ref', 'search_docs_thread', 'search_fts_data',
         'search_fts_idx', 'search_fts_docsize', 'search_fts_config'`,
      ),
    }),
    close: async () => {
      raw.close();
      await handle.destroy();
      if (settings.keep === undefined) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** PostgreSQL keeps the corpus in a schema of its own when BENCH_SEARCH_KEEP is set. */
async function keptPostgres(): Promise<{ handle: DbHandle & { schema: string }; loaded: boolean }> {
  const schema = `bench_search_${settings.items}_${settings.communes}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  // Built: the GIN index is made last (build()), after every item went in.
  const { rowCount } = await admin.query(
    `select 1 from pg_indexes where schemaname = $1 and indexname = 'search_docs_tsv'`,
    [schema],
  );
  let handle = openDatabase(TEST_POSTGRES_URL, { schema, poolSize: 4 });
  const count = async () =>
    Number(
      (await sql<{ n: string }>`select count(*) as n from items`.execute(handle.db)).rows[0]!.n,
    );
  const loaded = (rowCount ?? 0) > 0 && (await count()) === settings.items;
  if (!loaded) {
    // Missing, or left half-loaded by an interrupted run: start from an empty schema.
    await handle.destroy();
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.query(`create schema ${schema}`);
    handle = openDatabase(TEST_POSTGRES_URL, { schema, poolSize: 4 });
  }
  await admin.end();
  await migrateHandle(handle);
  return { handle: { ...handle, schema }, loaded };
}

async function postgresRun(): Promise<Run> {
  const { handle, loaded } =
    settings.keep === undefined
      ? { handle: await openTestPostgres(4), loaded: false }
      : await keptPostgres();
  const client = new pg.Client({
    connectionString: TEST_POSTGRES_URL,
    options: `-c search_path=${handle.schema}`,
  });
  await client.connect();
  const text = BASELINE((n) => `$${n}`);
  const size = async (sql: string) => Number((await client.query<{ b: string }>(sql)).rows[0]!.b);
  return {
    handle,
    loaded,
    sink: postgresSink(client),
    baseline: async (memberId, word) =>
      (await client.query({ name: 'baseline', text, values: [memberId, `%${word}%`] })).rowCount ??
      0,
    beforeLoad: async () => {
      await client.query('alter table items disable trigger items_search');
      await client.query('drop index search_docs_tsv');
    },
    // The migration's own backfill (computing the tsvectors), then the GIN index (0020).
    build: async () => {
      await client.query(`set maintenance_work_mem = '256MB'`);
      for (const s of postgresBackfill()) await client.query(s);
      await client.query(POSTGRES_INDEX);
      await client.query('vacuum analyze');
    },
    sizes: async () => ({
      tableBytes: await size(`select pg_total_relation_size('items') as b`),
      indexBytes: await size(`select pg_total_relation_size('search_docs') as b`),
    }),
    close: async () => {
      await client.end();
      await handle.destroy();
    },
  };
}

async function benchOne(kind: 'sqlite' | 'postgres') {
  const run = kind === 'sqlite' ? await sqliteRun() : await postgresRun();
  try {
    const words = vocabulary(settings.vocabulary);
    let loadMs: number | null = null;
    let buildMs: number | null = null;
    if (!run.loaded) {
      const place = await loadCommunes(run.sink, settings.communes, settings.membersPerCommune);
      await run.beforeLoad();
      [loadMs] = await timed(() => loadItems(run.sink, settings.items, place, words));
      [buildMs] = await timed(() => run.build());
    }
    const { tableBytes, indexBytes } = await run.sizes();
    // A member (not the steward) of commune 0, the private one (search-load.ts).
    const { id: memberId } = await run.handle.db
      .selectFrom('accounts')
      .select('id')
      .where('handle', '=', 'p0_1')
      .executeTakeFirstOrThrow();
    const view = searchView(run.handle.db, kind);
    const service = searchService({ db: run.handle.db, dialect: kind });
    const terms = queryWords(words, settings.queries);
    const reader = await view.readerOf(memberId);
    const scopeOf = (w: string) => {
      const q = parseQuery(w);
      return { match: kind === 'sqlite' ? toFts5(q) : toWebsearch(q), reader, narrowing: {} };
    };
    let hits = 0;
    const ranked = await pass(terms, async (w) => {
      hits += (await view.page(scopeOf(w), settings.pageSize + 1, undefined)).length;
    });
    // The same page from 0016's query, which ranks every readable match: what bounding saves.
    const unbounded = await pass(terms, async (w) => {
      await view.unboundedPage(scopeOf(w), settings.pageSize + 1, undefined);
    });
    const full = await pass(terms, async (w) => {
      await service.search(memberId, { q: w, limit: settings.pageSize, facets: 'all' });
    });
    const naive = await pass(terms.slice(0, settings.baselineQueries), async (w) => {
      await run.baseline(memberId, w);
    });
    const rankedS = summary(ranked);
    const fullS = summary(full);
    const unboundedS = summary(unbounded);
    const naiveS = summary(naive);
    return {
      kind,
      items: settings.items,
      loadSeconds: loadMs === null ? null : round(loadMs / 1000, 1),
      indexBuildSeconds: buildMs === null ? null : round(buildMs / 1000, 1),
      tableMiB: round(tableBytes / 2 ** 20, 1),
      indexMiB: round(indexBytes / 2 ** 20, 1),
      indexToTable: round(indexBytes / tableBytes, 2),
      rankedP50Ms: rankedS.p50,
      rankedP99Ms: rankedS.p99,
      unboundedP50Ms: unboundedS.p50,
      unboundedP99Ms: unboundedS.p99,
      searchP50Ms: fullS.p50,
      searchP99Ms: fullS.p99,
      baselineP50Ms: naiveS.p50,
      baselineP99Ms: naiveS.p99,
      speedupP99: round(naiveS.p99 / rankedS.p99, 1),
      queries: ranked.length,
      baselineQueries: naive.length,
      averageHitsPerPage: round(hits / terms.length, 1),
      // The machine is shared: the 1-minute load average when the queries were done.
      loadAverage: round(loadavg()[0]!, 1),
    };
  } finally {
    await run.close();
  }
}

await runBench('search', async () => {
  const results: Record<string, Cell>[] = [];
  for (const kind of settings.dbs) {
    if (kind !== 'sqlite' && kind !== 'postgres') throw new Error(`unknown database ${kind}`);
    if (kind === 'postgres' && !(await isPostgresReachable())) {
      console.log('PostgreSQL not reachable: skipped');
      continue;
    }
    results.push(await benchOne(kind));
  }
  printTable(results);
  const sqlite = results.find((r) => r.kind === 'sqlite');
  const pass = results.every(
    (r) => Number(r.speedupP99) >= 100 && (r.kind !== 'sqlite' || Number(r.rankedP99Ms) < 50),
  );
  console.log(
    `goal: ranked p99 ≥ 100× faster than LIKE, and < 50 ms on SQLite` +
      (sqlite ? ` (SQLite ranked p99 ${sqlite.rankedP99Ms} ms)` : '') +
      `: ${pass ? 'met' : 'missed'}`,
  );
  const name = settings.dbs.length === 1 ? `search-${settings.dbs[0]}` : 'search';
  console.log(`written to ${writeResult(name, { settings, results, pass })}`);
  return { pass };
});
