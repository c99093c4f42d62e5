// The thread page under load, against a bare node:http server serving the same bytes.
// Goal: Commune's req/s ≥ 0.30 × the bare server's. Also: cold start to /healthz, memory.
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
} from './lib/index.ts';
import { summariseProfile, type ProfileSummary } from './lib/cpu-profile.ts';

const GOAL_RATIO = 0.3;
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
const loadOf = ({ seconds, connections, warmupSeconds }: LoadSettings) => ({
  seconds,
  connections,
  warmupSeconds,
});

/** Commune on a fresh database: cold start, seeding, the captured page, load, memory. */
async function benchCommune(settings: LoadSettings) {
  const profileDir = settings.profile ? mkdtempSync(join(tmpdir(), 'commune-http-prof-')) : null;
  const commune = await startServer(
    profileDir ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] } : {},
  );
  let profile: ProfileSummary | null = null;
  try {
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
    if (page.status !== 200)
      throw new Error(`GET ${path}: ${page.status} ${body.toString('utf8')}`);
    const parsed = JSON.parse(body.toString('utf8')) as { comments?: unknown[] };
    if (parsed.comments?.length !== COMMENTS)
      throw new Error(`GET ${path}: expected ${COMMENTS} comments, got ${parsed.comments?.length}`);
    const contentType = page.headers.get('content-type') ?? 'application/json';

    const load = await measure({
      label: 'Commune',
      url: commune.url + path,
      headers,
      ...loadOf(settings),
    });
    const result = {
      load,
      coldStartMs: commune.coldStartMs,
      rssAfterStartKb,
      rssAfterLoadKb: commune.rssKb(),
      body,
      contentType,
    };
    await commune.stop();
    // The profile is written when the server exits; its start (module loading) is left out.
    if (profileDir) profile = summariseProfile(profileDir, commune.coldStartMs);
    return { ...result, profile };
  } finally {
    await commune.stop();
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  }
}

/** The baseline runs alone, after Commune has stopped, under identical load. */
async function benchBare(body: Buffer, contentType: string, settings: LoadSettings) {
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
    try {
      const load = await measure({
        label: 'bare node:http',
        url: `${bare.url}/`,
        ...loadOf(settings),
      });
      return { load, coldStartMs: bare.coldStartMs, rssAfterLoadKb: bare.rssKb() };
    } finally {
      await bare.stop();
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
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
  const commune = await benchCommune(settings);
  const bare = await benchBare(commune.body, commune.contentType, settings);

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
    goal: { ratioAtLeast: GOAL_RATIO },
    ...(commune.profile ? { profile: commune.profile } : {}),
    pass,
  });
  console.log(`results: ${path}`);
  return { pass };
});
