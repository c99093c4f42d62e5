// Affinity: p99 of the top 10 communes nearest one commune, read from the parts the affinity
// subscriber keeps (docs/adr/0020-affinity-kept-current.md), against a brute-force scan of
// every commune with the pure rule (ADR 0019) in the same run, which must give the same list.
// Also: p99 of applying one event (per type) and the memory used.
//   npm run bench -- affinity     BENCH_AFFINITY_COMMUNES (100,000; memberships ×10,
//   alliances ×3 follow it), BENCH_AFFINITY_QUERIES (200), BENCH_AFFINITY_SCANS (10),
//   BENCH_AFFINITY_EVENTS (60 per type).
// Goal: at least 50× faster than the scan, and p99 under 20 ms (SQLite, one file).
//
// Alliances are regional: a commune allies with communes near it on a ring (offsets 1..4),
// as communes ally with neighbours. In a uniformly random graph with 3 alliances per commune
// nearly everyone is within 6 steps of everyone, and both reads and alliance events would
// grow with the network (ADR 0020, consequences).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { openDatabase } from '../src/db/database.ts';
import { openSqlite } from '../src/db/node-sqlite-dialect.ts';
import type { Deps } from '../src/deps.ts';
import type { DomainEvent } from '../src/events/events.ts';
import { affinityParts, affinityScore } from '../src/network/affinity.ts';
import { charterText, sortedGraph } from '../src/network/affinity.index.ts';
import { affinityService } from '../src/network/affinity.service.ts';
import { corpusOf } from '../src/network/similarity.ts';
import { generateNetwork } from './lib/affinity-network.ts';
import { prng, vocabulary, writer } from './lib/corpus.ts';
import { envNumber, mib, printTable, progress, round, runBench, writeResult } from './lib/index.ts';

const N = envNumber('BENCH_AFFINITY_COMMUNES', 100_000);
const settings = {
  communes: N,
  memberships: N * 10,
  alliances: N * 3,
  people: Math.round(N * 2.5),
  tags: Math.max(50, Math.round(N / 50)),
  tagsPerCommune: 3,
  queries: envNumber('BENCH_AFFINITY_QUERIES', 200),
  scans: envNumber('BENCH_AFFINITY_SCANS', 10),
  eventsPerType: envNumber('BENCH_AFFINITY_EVENTS', 60),
  limit: 10,
};
const AT = '2026-01-01T00:00:00.000Z';

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const summary = (ms: number[]) => {
  const s = [...ms].sort((a, b) => a - b);
  return { n: s.length, p50: round(percentile(s, 50), 2), p99: round(percentile(s, 99), 2) };
};

await runBench('affinity', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'commune-bench-affinity-'));
  const file = join(dir, 'affinity.db');
  // Generated in a worker thread: its arrays go with it (bench/lib/affinity-network.ts).
  const generated = await generateNetwork(file, settings).catch((e: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  });
  const { generateMs, buildMs, reachCount, allianceCount } = generated;
  const handle = openDatabase(`sqlite:${file}`);
  const raw = openSqlite(file);
  try {
    const random = prng(2026);
    const text = writer(vocabulary(6000), 11);
    const people = settings.people;
    const deps = { db: handle.db, dialect: 'sqlite', logger: pino({ level: 'silent' }) };
    const affinity = affinityService(deps as unknown as Deps);

    // --- brute force: every commune scored with the pure rule, from the source tables -------
    const bruteForce = async (communeId: string) => {
      const rows = raw
        .prepare('select id, handle, category, tags, vision, agreements, visibility from communes')
        .all() as Record<string, string>[];
      const all = rows.map((r) => ({
        id: r.id!,
        handle: r.handle!,
        visibility: r.visibility!,
        category: r.category!,
        tags: JSON.parse(r.tags!) as string[],
        text: charterText({ vision: r.vision!, agreements: JSON.parse(r.agreements!) as string[] }),
      }));
      const members = new Map<string, string[]>();
      const shared = raw
        .prepare(
          `select m2.commune_id as c, m2.account_id as a from memberships m1
           join memberships m2 on m2.account_id = m1.account_id where m1.commune_id = ?`,
        )
        .all(communeId) as { c: string; a: string }[];
      for (const r of shared) members.set(r.c, [...(members.get(r.c) ?? []), r.a]);
      const edges = raw
        .prepare(`select commune_a as a, commune_b as b from alliances where status = 'active'`)
        .all() as { a: string; b: string }[];
      const network = {
        corpus: corpusOf(all.map((c) => c.text)),
        graph: sortedGraph(edges.map((e) => [e.a, e.b] as const)),
      };
      const me = all.find((c) => c.id === communeId)!;
      const profile = (c: (typeof all)[number]) => ({ ...c, members: members.get(c.id) ?? [] });
      const scored: { handle: string; score: number }[] = [];
      for (const c of all) {
        if (c.id === communeId || c.visibility !== 'public') continue;
        const parts = affinityParts(profile(me), profile(c), network);
        const related =
          parts.sharedTags.length > 0 ||
          parts.sharedMembers.length > 0 ||
          parts.reach !== undefined;
        if (related) scored.push({ handle: c.handle, score: affinityScore(parts) });
      }
      scored.sort((x, y) => y.score - x.score || (x.handle < y.handle ? -1 : 1));
      return scored.slice(0, settings.limit);
    };

    const pick = () => `c${Math.floor(random() * N)}`;
    // Warm up (the first read loads this process' copy of the profiles), then measure.
    const heapBefore = process.memoryUsage().heapUsed;
    const tLoad = performance.now();
    await affinity.ranked(pick(), null, settings.limit);
    const firstReadMs = performance.now() - tLoad;
    for (let i = 0; i < 20; i++) await affinity.ranked(pick(), null, settings.limit);
    const readModelMiB = mib((process.memoryUsage().heapUsed - heapBefore) / 1024);
    const queryMs: number[] = [];
    const qbar = progress('top-10 affinity (indexed)', settings.queries);
    for (let i = 0; i < settings.queries; i++) {
      const id = pick();
      const s = performance.now();
      await affinity.ranked(id, null, settings.limit);
      queryMs.push(performance.now() - s);
      qbar.tick();
    }
    qbar.stop();
    const scanMs: number[] = [];
    let agree = 0;
    const sbar = progress('top-10 affinity (brute force)', settings.scans);
    for (let i = 0; i < settings.scans; i++) {
      const id = pick();
      const s = performance.now();
      const expected = await bruteForce(id);
      scanMs.push(performance.now() - s);
      const ours = await affinity.ranked(id, null, settings.limit);
      const same =
        ours.length === expected.length &&
        ours.every(
          (e, k) =>
            e.commune === expected[k]!.handle && Math.abs(e.score - expected[k]!.score) < 1e-9,
        );
      if (same) agree++;
      sbar.tick();
    }
    sbar.stop();

    // --- one event at a time, through the subscriber's own handler --------------------------
    const eventMs: Record<string, number[]> = {};
    const apply = async (type: string, e: DomainEvent) => {
      const s = performance.now();
      await handle.db.transaction().execute((tx) => affinity.apply(tx, e));
      (eventMs[type] ??= []).push(performance.now() - s);
    };
    const ebar = progress('events', settings.eventsPerType * 5);
    for (let i = 0; i < settings.eventsPerType; i++) {
      const c = pick();
      raw
        .prepare('update communes set vision = ?, tags = ? where id = ?')
        .run(text.body().slice(0, 600), JSON.stringify([`tag${i % settings.tags}`, 'tag1']), c);
      await apply('charter_amended', { type: 'charter_amended', communeId: c });
      ebar.tick();
      const p = `a${Math.floor(random() * people)}`;
      raw.prepare(`insert or ignore into memberships values (?, ?, 'member', ?)`).run(c, p, AT);
      await apply('member_joined', {
        type: 'member_joined',
        communeId: c,
        accountId: p,
        role: 'member',
      });
      ebar.tick();
      raw.prepare('delete from memberships where commune_id = ? and account_id = ?').run(c, p);
      await apply('member_left', { type: 'member_left', communeId: c, accountId: p });
      ebar.tick();
      const n = Number(c.slice(1));
      const partner = `c${(n + 5 + Math.floor(random() * 20)) % N}`;
      const allianceId = `bench${i}`;
      raw
        .prepare(
          `insert into alliances (id, commune_a, commune_b, status, trade_limit, rate, requested_at, active_since)
           values (?, ?, ?, 'active', 100, 1, ?, ?)`,
        )
        .run(allianceId, c, partner, AT, AT);
      await apply('alliance_formed', {
        type: 'alliance_formed',
        communeId: c,
        partnerId: partner,
        allianceId,
      });
      ebar.tick();
      raw.prepare(`update alliances set status = 'ended' where id = ?`).run(allianceId);
      await apply('alliance_ended', {
        type: 'alliance_ended',
        communeId: c,
        partnerId: partner,
        allianceId,
      });
      ebar.tick();
    }
    ebar.stop();

    const mem = process.memoryUsage();
    const count = (t: string) =>
      Number((raw.prepare(`select count(*) as n from ${t}`).get() as { n: number }).n);
    const bytesOf = (names: string[]) =>
      Number(
        (
          raw
            .prepare(
              `select coalesce(sum(pgsize), 0) as b from dbstat where name in (${names.map(() => '?').join(', ')})`,
            )
            .get(...names) as { b: number }
        ).b,
      );
    const affinityTables = [
      'affinity_profiles',
      'affinity_terms',
      'affinity_meta',
      'affinity_profiles_by_seq',
      'affinity_terms_by_seq',
      'sqlite_autoindex_affinity_terms_2',
      'sqlite_autoindex_affinity_meta_1',
      'affinity_tags',
      'affinity_tags_by_commune',
      'affinity_ties',
      'affinity_reach',
      'affinity_reach_by_other',
      'sqlite_autoindex_affinity_profiles_1',
      'sqlite_autoindex_affinity_terms_1',
      'sqlite_autoindex_affinity_tags_1',
      'sqlite_autoindex_affinity_ties_1',
      'sqlite_autoindex_affinity_reach_1',
    ];
    let storedBytes: number | null = null;
    try {
      storedBytes = bytesOf(affinityTables);
    } catch {
      storedBytes = null; // dbstat not compiled in
    }

    const query = summary(queryMs);
    const scan = summary(scanMs);
    const speedup = round(scan.p99 / query.p99, 1);
    const events = Object.fromEntries(Object.entries(eventMs).map(([k, v]) => [k, summary(v)]));
    const allEvents = summary(Object.values(eventMs).flat());
    const pass = speedup >= 50 && query.p99 < 20 && agree === settings.scans;
    const figures = {
      settings,
      rows: {
        communes: N,
        memberships: count('memberships'),
        alliances: allianceCount,
        ties: count('affinity_ties'),
        reach: reachCount,
        tags: count('affinity_tags'),
        terms: count('affinity_terms'),
      },
      generateSeconds: round(generateMs / 1000, 1),
      buildSeconds: round(buildMs / 1000, 1),
      topTenMs: query,
      bruteForceMs: scan,
      speedupAtP99: speedup,
      bruteForceAgreement: `${agree}/${settings.scans}`,
      eventMs: events,
      anyEventMs: allEvents,
      memory: {
        rssMiB: mib(mem.rss / 1024),
        heapUsedMiB: mib(mem.heapUsed / 1024),
        databaseMiB: mib(statSync(file).size / 1024),
        affinityTablesMiB: storedBytes === null ? null : mib(storedBytes / 1024),
        // Heap grown by the first reads: the process' copy of profiles and document counts.
        readModelHeapMiB: readModelMiB,
      },
      firstReadMs: round(firstReadMs, 1),
      goal: '>= 50x faster than brute force, p99 < 20 ms, same top 10',
      pass,
    };
    printTable([
      { measure: 'top-10 indexed', p50: query.p50, p99: query.p99, n: query.n },
      { measure: 'top-10 brute force', p50: scan.p50, p99: scan.p99, n: scan.n },
      ...Object.entries(events).map(([k, v]) => ({ measure: `event ${k}`, ...v })),
      { measure: 'any event', p50: allEvents.p50, p99: allEvents.p99, n: allEvents.n },
    ]);
    console.log(
      `speedup at p99: ${speedup}×, same top 10 as brute force: ${agree}/${settings.scans}; ` +
        `rss ${figures.memory.rssMiB} MiB, database ${figures.memory.databaseMiB} MiB, ` +
        `affinity tables ${figures.memory.affinityTablesMiB ?? '?'} MiB, read model ~${readModelMiB} MiB ` +
        `of heap (first read, loading it: ${figures.firstReadMs} ms)`,
    );
    const name = N === 100_000 ? 'affinity' : `affinity-${N}`;
    console.log(`written to ${writeResult(name, figures)}`);
    // The indexed top 10 must be the brute force's, scores included, every time.
    assert.equal(agree, settings.scans, 'the indexed top 10 differs from the brute force');
    return { pass };
  } finally {
    raw.close();
    await handle.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
});
