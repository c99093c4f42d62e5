// The thread page under load, against a bare node:http server serving the same bytes.
// Goal: Commune's req/s ≥ 0.30 × the bare server's, both loaded in turn in ~2 s slices
// (the machine is shared: its load drifts). Also: cold start to /healthz, memory.
//   npm run bench -- http          BENCH_SECONDS (10), BENCH_CONNECTIONS (50),
//   BENCH_WARMUP_SECONDS (2), BENCH_VIEWER=member to load as a signed-in member,
//   BENCH_PROFILE=1 to run Commune under node --cpu-prof and print its top three costs.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  apiClient,
  envNumber,
  freePort,
  joinCommune,
  measure,
  mib,
  printTable,
  progress,
  round,
  runBench,
  seedCommune,
  seedPeople,
  spawnServer,
  startServer,
  writeResult,
  type Api,
  type LoadFigures,
} from './lib/index.ts';
import { summariseProfile, type ProfileSummary } from './lib/cpu-profile.ts';

const GOAL_RATIO = 0.3;
/** Each side is loaded in turns of about this long. */
const SLICE_SECONDS = 2;
const COMMENTS = 50;

const paragraphs = [
  'We could keep the **tool library** open on Saturdays. Who has a key?',
  'I can take the first two Saturdays. See the [rota](https://example.org/rota) — add yourself there.',
  'Agreed, and the ladder needs a new foot before anyone lends it out again.\n\n- ladder\n- bike pump\n- the good saw',
  'Could we *also* log what goes out and comes back? A notebook by the door is enough to start.',
  '> A notebook by the door is enough\n\nYes. Paper first, software later, if ever.',
];

/** A public open commune, two members, one thread with COMMENTS comments; returns the thread id. */
async function seedThread(api: Api): Promise<{ threadId: string; memberToken: string }> {
  const tokens = await seedPeople(api, ['bench_ada', 'bench_bo']);
  const ada = tokens.get('bench_ada')!;
  const bo = tokens.get('bench_bo')!;
  const commune = await seedCommune(api, ada, {
    handle: 'bench_commune',
    joinPolicy: 'open',
    visibility: 'public',
  });
  await joinCommune(api, commune, [bo]);
  const thread = await api.expect(
    201,
    'POST',
    `/api/v1/communes/${commune}/threads`,
    {
      title: 'Opening hours for the tool library',
      body: 'The shed is full and nobody knows when it is open.\n\nLet us agree on **regular hours** and who keeps the key.',
    },
    ada,
  );
  const threadId = thread.body.id as string;
  const bar = progress(`seeding ${COMMENTS} comments`, COMMENTS);
  let previous: string | undefined;
  for (let i = 0; i < COMMENTS; i += 1) {
    const body = `${paragraphs[i % paragraphs.length]} (${i + 1})`;
    const inReplyTo = i % 5 === 4 ? previous : undefined;
    const reply = await api.expect(
      201,
      'POST',
      `/api/v1/threads/${threadId}/comments`,
      inReplyTo ? { body, inReplyTo } : { body },
      i % 2 ? bo : ada,
    );
    previous = reply.body.id as string;
    bar.tick();
  }
  bar.stop();
  return { threadId, memberToken: bo };
}

type LoadSettings = {
  seconds: number;
  connections: number;
  warmupSeconds: number;
  asMember: boolean;
  profile: boolean;
};

/** Commune on a fresh database, seeded, with the page it answers captured for the bare server. */
async function startCommune(settings: LoadSettings) {
  const profileDir = settings.profile ? mkdtempSync(join(tmpdir(), 'commune-http-prof-')) : null;
  const commune = await startServer(
    profileDir ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] } : {},
  );
  const rssAfterStartKb = commune.rssKb();
  console.log(
    `Commune ready in ${commune.coldStartMs.toFixed(0)} ms (pid ${commune.pid}, ${commune.databaseUrl})`,
  );
  const api = apiClient(commune.url);
  const { threadId, memberToken } = await seedThread(api);
  const path = `/api/v1/threads/${threadId}`;
  const headers: Record<string, string> = settings.asMember
    ? { authorization: `Bearer ${memberToken}` }
    : {};
  // Capture exactly what Commune answers, for the bare server to replay.
  const page = await fetch(commune.url + path, { headers });
  const body = Buffer.from(await page.arrayBuffer());
  if (page.status !== 200) throw new Error(`GET ${path}: ${page.status} ${body.toString('utf8')}`);
  const parsed = JSON.parse(body.toString('utf8')) as { comments?: unknown[] };
  if (parsed.comments?.length !== COMMENTS)
    throw new Error(`GET ${path}: expected ${COMMENTS} comments, got ${parsed.comments?.length}`);
  const contentType = page.headers.get('content-type') ?? 'application/json';
  return {
    server: commune,
    url: commune.url + path,
    headers,
    body,
    contentType,
    rssAfterStartKb,
    /** Stops the server; its profile is written when it exits (module loading left out). */
    async stop(): Promise<ProfileSummary | null> {
      await commune.stop();
      if (!profileDir) return null;
      try {
        return summariseProfile(profileDir, commune.coldStartMs);
      } finally {
        rmSync(profileDir, { recursive: true, force: true });
      }
    },
  };
}

/** A bare node:http server answering the captured bytes. */
async function startBare(body: Buffer, contentType: string) {
  const scratch = mkdtempSync(join(tmpdir(), 'commune-bench-http-'));
  const bodyFile = join(scratch, 'thread.json');
  writeFileSync(bodyFile, body);
  const port = await freePort();
  try {
    const bare = await spawnServer({
      name: 'bare node:http',
      args: ['bench/lib/bare-server.ts'],
      env: { PORT: String(port), BODY_FILE: bodyFile, CONTENT_TYPE: contentType },
      port,
      readyPath: '/',
    });
    return {
      server: bare,
      url: `${bare.url}/`,
      async stop() {
        await bare.stop();
        rmSync(scratch, { recursive: true, force: true });
      },
    };
  } catch (e) {
    rmSync(scratch, { recursive: true, force: true });
    throw e;
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Slices of one side's load, summed: requests over time, and the median slice's latencies. */
function combine(slices: LoadFigures[]): LoadFigures {
  const requests = slices.reduce((n, x) => n + x.requests, 0);
  const seconds = slices.reduce((n, x) => n + x.seconds, 0);
  return {
    requestsPerSecond: requests / seconds,
    latencyP50Ms: median(slices.map((x) => x.latencyP50Ms)),
    latencyP99Ms: median(slices.map((x) => x.latencyP99Ms)),
    latencyMaxMs: Math.max(...slices.map((x) => x.latencyMaxMs)),
    requests,
    bytesPerSecond: slices.reduce((n, x) => n + x.bytesPerSecond * x.seconds, 0) / seconds,
    seconds,
    connections: slices[0]!.connections,
  };
}

await runBench('http', async () => {
  const settings: LoadSettings = {
    seconds: envNumber('BENCH_SECONDS', 10),
    connections: envNumber('BENCH_CONNECTIONS', 50),
    warmupSeconds:
      process.env.BENCH_WARMUP_SECONDS === '0' ? 0 : envNumber('BENCH_WARMUP_SECONDS', 2),
    asMember: process.env.BENCH_VIEWER === 'member',
    profile: process.env.BENCH_PROFILE === '1',
  };
  // Both servers run side by side and are loaded in turn, in short slices (A B B A …): on a
  // shared machine the load of other work drifts by the minute, and a ratio of two runs
  // made minutes apart measured that drift more than either server.
  const started = await startCommune(settings);
  let commune: {
    load: LoadFigures;
    coldStartMs: number;
    rssAfterStartKb: number | null;
    rssAfterLoadKb: number | null;
    body: Buffer;
    profile: ProfileSummary | null;
  };
  let bare: { load: LoadFigures; coldStartMs: number; rssAfterLoadKb: number | null };
  let sliceRatios: number[];
  try {
    const b = await startBare(started.body, started.contentType);
    try {
      const rounds = Math.max(1, Math.round(settings.seconds / SLICE_SECONDS));
      const slice = settings.seconds / rounds;
      const one = (label: string, url: string, headers: Record<string, string>, s: number) =>
        measure({ label, url, headers, seconds: s, connections: settings.connections });
      if (settings.warmupSeconds > 0) {
        await one('Commune warm-up', started.url, started.headers, settings.warmupSeconds);
        await one('bare warm-up', b.url, {}, settings.warmupSeconds);
      }
      const c: LoadFigures[] = [];
      const n: LoadFigures[] = [];
      for (let r = 0; r < rounds; r += 1) {
        const communeFirst = r % 2 === 0;
        if (communeFirst)
          c.push(await one(`Commune ${r + 1}/${rounds}`, started.url, started.headers, slice));
        n.push(await one(`bare ${r + 1}/${rounds}`, b.url, {}, slice));
        if (!communeFirst)
          c.push(await one(`Commune ${r + 1}/${rounds}`, started.url, started.headers, slice));
      }
      sliceRatios = c.map((x, i) => x.requestsPerSecond / n[i]!.requestsPerSecond);
      const rssAfterLoadKb = started.server.rssKb();
      bare = {
        load: combine(n),
        coldStartMs: b.server.coldStartMs,
        rssAfterLoadKb: b.server.rssKb(),
      };
      commune = {
        load: combine(c),
        coldStartMs: started.server.coldStartMs,
        rssAfterStartKb: started.rssAfterStartKb,
        rssAfterLoadKb,
        body: started.body,
        profile: null,
      };
    } finally {
      await b.stop();
    }
  } finally {
    const profile = await started.stop();
    if (commune! && profile) commune.profile = profile;
  }

  const ratio = commune.load.requestsPerSecond / bare.load.requestsPerSecond;
  const pass = ratio >= GOAL_RATIO;
  const { seconds, connections, warmupSeconds, asMember } = settings;
  console.log(
    `\nGET /api/v1/threads/{id}: ${COMMENTS} comments, ${commune.body.length} bytes, ${connections} connections, ${seconds} s after ${warmupSeconds} s warm-up, ${asMember ? 'as a member' : 'anonymous'}\n`,
  );
  const row = (server: string, r: typeof bare) => ({
    server,
    'req/s': round(r.load.requestsPerSecond, 0),
    'p50 ms': round(r.load.latencyP50Ms),
    'p99 ms': round(r.load.latencyP99Ms),
    'RSS after load MiB': mib(r.rssAfterLoadKb),
  });
  printTable([row('Commune', commune), row('bare node:http', bare)]);
  console.log(
    `\nratio (Commune / bare req/s): ${ratio.toFixed(3)}   goal >= ${GOAL_RATIO}: ${pass ? 'PASS' : 'FAIL'}`,
  );
  console.log(`ratio in each turn: ${sliceRatios.map((r) => r.toFixed(2)).join(' ')}`);
  console.log(
    `cold start, spawn to first 200 from /healthz: ${commune.coldStartMs.toFixed(0)} ms (fresh database, migrations included)`,
  );
  console.log(
    `Commune resident memory: ${mib(commune.rssAfterStartKb)} MiB after start, ${mib(commune.rssAfterLoadKb)} MiB after load`,
  );
  if (commune.profile) {
    console.log(
      `\nCPU profile (busy ${round(commune.profile.busyMs, 0)} ms), top costs by function:`,
    );
    for (const f of commune.profile.functions)
      console.log(`  ${f.name}: ${round(f.ms, 0)} ms (${round(f.share, 1)} %)`);
  }

  const path = writeResult('http', {
    route: 'GET /api/v1/threads/{id}',
    comments: COMMENTS,
    responseBytes: commune.body.length,
    viewer: asMember ? 'member' : 'anonymous',
    load: { seconds, connections, warmupSeconds },
    commune: {
      ...commune.load,
      coldStartMs: round(commune.coldStartMs, 1),
      rssAfterStartKb: commune.rssAfterStartKb,
      rssAfterLoadKb: commune.rssAfterLoadKb,
    },
    bare: {
      ...bare.load,
      coldStartMs: round(bare.coldStartMs, 1),
      rssAfterLoadKb: bare.rssAfterLoadKb,
    },
    ratio: round(ratio, 3),
    sliceRatios: sliceRatios.map((r) => round(r, 3)),
    goal: { ratioAtLeast: GOAL_RATIO },
    ...(commune.profile ? { profile: commune.profile } : {}),
    pass,
  });
  console.log(`results: ${path}`);
  return { pass };
});
