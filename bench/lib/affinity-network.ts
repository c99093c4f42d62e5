// The network bench/affinity.ts measures, generated and written to a SQLite file in a worker
// thread. The generator's arrays (1M memberships, 300k alliances, every charter: most of a
// ~2 GB heap at 100k communes) die with the worker, so the process that measures holds what a
// server would: its database connection and the service's copy (ADR 0035).
import { performance } from 'node:perf_hooks';
import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { openDatabase } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { openSqlite } from '../../src/db/node-sqlite-dialect.ts';
import {
  fullIndex,
  reachRows,
  sortedGraph,
  type Charter,
} from '../../src/network/affinity.index.ts';
import { DOCUMENTS, packTerms } from '../../src/network/affinity.repository.ts';
import { AFFINITY_FORMAT } from '../../src/network/affinity.service.ts';
import { prng, vocabulary, writer } from './corpus.ts';
import { progress } from './progress.ts';

export type NetworkSettings = {
  communes: number;
  memberships: number;
  alliances: number;
  people: number;
  tags: number;
  tagsPerCommune: number;
};

export type GeneratedNetwork = {
  generateMs: number;
  buildMs: number;
  reachCount: number;
  allianceCount: number;
};

const CATEGORIES = ['social', 'political', 'religious', 'spiritual', 'other'];
const AT = '2026-01-01T00:00:00.000Z';
const ROLE = 'affinity-network';

/** Generates the network into `file` (migrated here) in a worker thread; resolves when it is written. */
export function generateNetwork(
  file: string,
  settings: NetworkSettings,
): Promise<GeneratedNetwork> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), {
      workerData: { role: ROLE, file, settings },
      resourceLimits: { maxOldGenerationSizeMb: 8192 },
    });
    let result: GeneratedNetwork | undefined;
    worker.once('message', (m: GeneratedNetwork) => (result = m));
    worker.once('error', reject);
    worker.once('exit', (code) =>
      result !== undefined && code === 0
        ? resolve(result)
        : reject(new Error(`the network generator stopped (exit ${code})`)),
    );
  });
}

/** Multi-row inserts in one transaction, `per` rows a statement, with a progress bar. */
function inserter(raw: DatabaseSync) {
  const cache = new Map<string, ReturnType<DatabaseSync['prepare']>>();
  return (table: string, columns: string[], rows: Iterable<unknown[]>, total: number) => {
    const per = Math.floor(30_000 / columns.length);
    const bar = progress(`${table} (${total.toLocaleString('en')})`, Math.ceil(total / per) || 1);
    let chunk: unknown[][] = [];
    const flush = () => {
      if (chunk.length === 0) return;
      const key = `${table}:${chunk.length}`;
      let stmt = cache.get(key);
      if (!stmt) {
        const tuple = `(${columns.map(() => '?').join(', ')})`;
        stmt = raw.prepare(
          `insert into ${table} (${columns.join(', ')}) values ${Array(chunk.length).fill(tuple).join(', ')}`,
        );
        cache.set(key, stmt);
      }
      stmt.run(...(chunk.flat() as SQLInputValue[]));
      chunk = [];
      bar.tick();
    };
    raw.exec('begin');
    for (const row of rows) {
      chunk.push(row);
      if (chunk.length === per) flush();
    }
    flush();
    raw.exec('commit');
    bar.stop();
  };
}

async function generate(file: string, settings: NetworkSettings): Promise<GeneratedNetwork> {
  const N = settings.communes;
  const handle = openDatabase(`sqlite:${file}`);
  await migrateToLatest(handle.db as never);
  await handle.destroy();
  const raw = openSqlite(file);
  raw.exec('PRAGMA synchronous = OFF');
  const insert = inserter(raw);
  try {
    const t0 = performance.now();
    const random = prng(2026);
    const text = writer(vocabulary(6000), 11);
    const tagNames = Array.from({ length: settings.tags }, (_, i) => `tag${i}`);
    const communes: (Charter & { handle: string; visibility: string })[] = [];
    for (let i = 0; i < N; i++) {
      const tags = new Set<string>();
      while (tags.size < settings.tagsPerCommune)
        tags.add(tagNames[Math.floor(random() * tagNames.length)]!);
      communes.push({
        id: `c${i}`,
        handle: `c${i}`,
        category: CATEGORIES[Math.floor(random() * CATEGORIES.length)]!,
        tags: [...tags],
        vision: text.body().slice(0, 600),
        agreements: [],
        visibility: random() < 0.8 ? 'public' : random() < 0.5 ? 'unlisted' : 'private',
      });
    }
    const people = settings.people;
    insert(
      'handles',
      ['handle', 'kind'],
      (function* () {
        for (let p = 0; p < people; p++) yield [`p${p}`, 'person'];
        for (const c of communes) yield [c.handle, 'commune'];
      })(),
      people + N,
    );
    insert(
      'accounts',
      ['id', 'handle', 'display_name', 'password_hash', 'created_at'],
      (function* () {
        for (let p = 0; p < people; p++) yield [`a${p}`, `p${p}`, `P${p}`, 'x', AT];
      })(),
      people,
    );
    insert(
      'communes',
      [
        'id',
        'handle',
        'name',
        'vision',
        'category',
        'tags',
        'agreements',
        'join_policy',
        'visibility',
        'max_members',
        'member_count',
        'created_by',
        'created_at',
      ],
      communes.map((c) => [
        c.id,
        c.handle,
        `Commune ${c.handle}`,
        c.vision,
        c.category,
        JSON.stringify(c.tags),
        '[]',
        'open',
        c.visibility,
        150,
        10,
        'a0',
        AT,
      ]),
      N,
    );
    // Members come mostly from the commune's own region, so people belong to nearby communes.
    const memberships: [string, string][] = [];
    const seenMembership = new Set<string>();
    while (memberships.length < settings.memberships) {
      const c = Math.floor(random() * N);
      const region = Math.floor((c / N) * people);
      const p = (region + Math.floor(random() * 200) + people) % people;
      const key = `${c}:${p}`;
      if (seenMembership.has(key)) continue;
      seenMembership.add(key);
      memberships.push([`c${c}`, `a${p}`]);
    }
    insert(
      'memberships',
      ['commune_id', 'account_id', 'role', 'joined_at'],
      memberships.map(([c, a]) => [c, a, 'member', AT]),
      memberships.length,
    );
    const alliances: [string, string][] = [];
    const seenAlliance = new Set<string>();
    while (alliances.length < settings.alliances) {
      const a = Math.floor(random() * N);
      const b = (a + 1 + Math.floor(random() * 4)) % N;
      const key = a < b ? `${a}:${b}` : `${b}:${a}`;
      if (a === b || seenAlliance.has(key)) continue;
      seenAlliance.add(key);
      alliances.push([`c${a}`, `c${b}`]);
    }
    insert(
      'alliances',
      [
        'id',
        'commune_a',
        'commune_b',
        'status',
        'trade_limit',
        'rate',
        'requested_at',
        'active_since',
      ],
      alliances.map(([a, b], i) => [`al${i}`, a, b, 'active', 100, 1, AT, AT]),
      alliances.length,
    );
    const generateMs = performance.now() - t0;

    // The stored parts, built once (what a rebuild writes), streamed.
    const t1 = performance.now();
    let reachCount = 0;
    {
      const index = fullIndex({ communes, memberships, alliances: [], forks: [], clearing: [] });
      // What rebuild writes (migration 0024): term ids, packed profiles, counters and format.
      const words = [DOCUMENTS, ...index.terms.keys()];
      const termId = new Map(words.map((t, i) => [t, i + 1]));
      insert(
        'affinity_profiles',
        ['commune_id', 'handle', 'category', 'tags', 'terms', 'seq'],
        index.profiles.map((p) => [
          p.id,
          p.handle,
          p.category,
          JSON.stringify(p.tags),
          packTerms(new Map([...p.terms].map(([t, n]) => [termId.get(t)!, n]))),
          1,
        ]),
        N,
      );
      insert(
        'affinity_terms',
        ['term', 'id', 'documents', 'seq'],
        words.map((t) => [
          t,
          termId.get(t)!,
          t === DOCUMENTS ? index.documents : index.terms.get(t)!,
          1,
        ]),
        words.length,
      );
      insert(
        'affinity_meta',
        ['key', 'value'],
        [
          ['seq', 1],
          ['term_id', words.length],
          ['format', AFFINITY_FORMAT],
        ],
        3,
      );
      insert(
        'affinity_tags',
        ['tag', 'commune_id'],
        index.profiles.flatMap((p) => p.tags.map((t) => [t, p.id])),
        N * settings.tagsPerCommune,
      );
      insert(
        'affinity_ties',
        ['commune_id', 'other_id', 'shared_members', 'forks', 'thanks', 'clearing'],
        index.ties.map((t) => [t.a, t.b, t.sharedMembers, t.forks, t.thanks, t.clearing]),
        index.ties.length,
      );
      const graph = sortedGraph(alliances);
      insert(
        'affinity_reach',
        ['commune_id', 'other_id', 'degree', 'via'],
        (function* () {
          for (const c of communes)
            for (const r of reachRows(graph, c.id)) {
              reachCount++;
              yield [r.a, r.b, r.degree, r.via];
            }
        })(),
        N * 60,
      );
    }
    raw.exec('analyze');
    const buildMs = performance.now() - t1;
    return { generateMs, buildMs, reachCount, allianceCount: alliances.length };
  } finally {
    raw.close();
  }
}

if (!isMainThread && (workerData as { role?: string } | null)?.role === ROLE) {
  const { file, settings } = workerData as { file: string; settings: NetworkSettings };
  parentPort!.postMessage(await generate(file, settings));
}
