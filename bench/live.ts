// Live updates under load (docs/adr/0028-live-updates.md): 1,000 SSE clients on one Commune
// process while 50 writers comment and pay. Reports the delay from a write to its event at
// every client (p50/p99), the server's memory per stream, and the thread page's throughput
// with the clients connected against the same load without them (the baseline, same run).
// Goals: p99 delay < 100 ms; the thread page keeps ≥ 80 % of its throughput.
//   npm run bench -- live    BENCH_LIVE_CLIENTS (1000), BENCH_LIVE_WRITERS (50),
//   BENCH_LIVE_PAUSE_MS (1000: each writer writes about once a second), BENCH_SECONDS (10),
//   BENCH_CONNECTIONS (50)
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ROOT,
  apiClient,
  envNumber,
  joinCommune,
  measure,
  mib,
  printTable,
  round,
  runBench,
  seedCommune,
  seedPeople,
  startServer,
  writeResult,
  type Api,
  type LoadFigures,
} from './lib/index.ts';

const GOAL_P99_MS = 100;
const GOAL_KEPT = 0.8;
const now = () => performance.timeOrigin + performance.now();

type Delays = {
  deliveries: number;
  missing: number;
  ackP50: number;
  ackP99: number;
  ackMax: number;
  sendP50: number;
  sendP99: number;
};

/** 50 writers, each commenting and paying in turn until `stop`; records [id, sent, acked]. */
function startWriters(
  base: string,
  thread: string,
  tokens: [string, string],
  writers: number,
  pauseMs: number,
) {
  const writes: [string, number, number][] = [];
  let running = true;
  let dropped = 0;
  const post = async (path: string, body: unknown, token: string) => {
    const sentAt = now();
    let res: Response;
    try {
      res = await fetch(base + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
    } catch {
      // A kept-alive connection the server closed as it was reused: the write is tried anew.
      dropped += 1;
      return;
    }
    const json = (await res.json()) as { id?: string };
    if (res.status === 201 && json.id) writes.push([json.id, sentAt, now()]);
    else if (res.status !== 422) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
  };
  const loops = Array.from({ length: writers }, async (_, w) => {
    for (let n = 0; running; n += 1) {
      // People, not load generators: each writes about once per pauseMs (spread out at first).
      await sleep(n === 0 ? (pauseMs * w) / writers : pauseMs);
      if (!running) break;
      // Payments go both ways in turn, so balances stay within the credit limits.
      const [from, to] = (w + n) % 2 ? [tokens[0], 'bench_lb'] : [tokens[1], 'bench_la'];
      if (n % 2 === 0)
        await post(`/api/v1/threads/${thread}/comments`, { body: `writer ${w}, ${n}` }, from);
      else
        await post(
          '/api/v1/communes/bench_live/transfers',
          { id: randomUUID(), to, amount: 1, memo: 'bench' },
          from,
        );
    }
  });
  return {
    writes,
    dropped: () => dropped,
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}

async function seed(api: Api) {
  const tokens = await seedPeople(api, ['bench_la', 'bench_lb']);
  const a = tokens.get('bench_la')!;
  const b = tokens.get('bench_lb')!;
  await seedCommune(api, a, { handle: 'bench_live' });
  await joinCommune(api, 'bench_live', [b]);
  const thread = async (title: string) =>
    (
      await api.expect(
        201,
        'POST',
        '/api/v1/communes/bench_live/threads',
        { title, body: 'Read under load.' },
        a,
      )
    ).body.id as string;
  const page = await thread('The page under load');
  for (let i = 0; i < 50; i += 1)
    await api.expect(
      201,
      'POST',
      `/api/v1/threads/${page}/comments`,
      { body: `Comment ${i + 1}: the **tool library** opens on Saturdays.` },
      i % 2 ? a : b,
    );
  return { a, b, page, writersThread: await thread('Where the writers write') };
}

await runBench('live', async () => {
  const clients = envNumber('BENCH_LIVE_CLIENTS', 1000);
  const writers = envNumber('BENCH_LIVE_WRITERS', 50);
  const seconds = envNumber('BENCH_SECONDS', 10);
  const connections = envNumber('BENCH_CONNECTIONS', 50);
  const pauseMs = envNumber('BENCH_LIVE_PAUSE_MS', 1000);
  const server = await startServer({
    env: {
      LIVE_MAX_CONNECTIONS: String(clients + 100),
      LIVE_MAX_PER_PERSON: String(clients),
    },
  });
  const child = spawn(process.execPath, [join(ROOT, 'bench/lib/live-clients.ts')], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const api = apiClient(server.url);
    const { a, b, page, writersThread } = await seed(api);
    const load = (label: string): Promise<LoadFigures> =>
      measure({
        label,
        url: `${server.url}/api/v1/threads/${page}`,
        seconds,
        connections,
        warmupSeconds: 2,
      });

    // Baseline: the thread page while the writers write, no stream open.
    let w = startWriters(server.url, writersThread, [a, b], writers, pauseMs);
    const without = await load('thread page, writers, no streams');
    await w.stop();

    const rssBeforeKb = server.rssKb();
    const reply = (type: string) =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        child.once('message', (m: Record<string, unknown>) =>
          m.type === type ? resolve(m) : reject(new Error(JSON.stringify(m))),
        );
        child.once('exit', (code) => reject(new Error(`clients exited ${code}`)));
      });
    const connected = reply('connected');
    child.send({
      type: 'start',
      base: server.url,
      thread: writersThread,
      token: b,
      count: clients,
    });
    await connected;
    const rssAfterKb = server.rssKb();

    w = startWriters(server.url, writersThread, [a, b], writers, pauseMs);
    const withClients = await load(`thread page, writers, ${clients} streams`);
    await w.stop();
    const delaysReply = reply('delays');
    child.send({ type: 'writes', writes: w.writes });
    const delays = (await delaysReply) as unknown as Delays;

    const kept = withClients.requestsPerSecond / without.requestsPerSecond;
    const perConnectionKb =
      rssBeforeKb !== null && rssAfterKb !== null ? (rssAfterKb - rssBeforeKb) / clients : null;
    const pass = delays.ackP99 < GOAL_P99_MS && kept >= GOAL_KEPT && delays.missing === 0;
    console.log(
      `\n${clients} SSE clients (half on the writers' thread, half following the commune as a member), ${writers} writers commenting and paying (each about every ${pauseMs} ms), thread page loaded by ${connections} connections for ${seconds} s\n`,
    );
    printTable([
      {
        'thread page': 'without streams (baseline)',
        'req/s': round(without.requestsPerSecond, 0),
        'p99 ms': round(without.latencyP99Ms),
      },
      {
        'thread page': `with ${clients} streams`,
        'req/s': round(withClients.requestsPerSecond, 0),
        'p99 ms': round(withClients.latencyP99Ms),
      },
    ]);
    console.log(
      `\nkept ${round(kept * 100, 1)} % of the thread page's throughput (goal ≥ ${GOAL_KEPT * 100} %)`,
    );
    console.log(
      `write → event at each client: p50 ${round(delays.ackP50)} ms, p99 ${round(delays.ackP99)} ms, max ${round(delays.ackMax)} ms after the write was acknowledged (goal p99 < ${GOAL_P99_MS} ms); from the request's start: p50 ${round(delays.sendP50)} ms, p99 ${round(delays.sendP99)} ms`,
    );
    console.log(
      `${w.writes.length} writes (${w.dropped()} connection resets retried), ${delays.deliveries} deliveries, ${delays.missing} writes heard by no client`,
    );
    console.log(
      `server memory: ${mib(rssBeforeKb)} MiB before the streams, ${mib(rssAfterKb)} MiB with them: ${perConnectionKb === null ? 'n/a' : round(perConnectionKb, 1)} KiB per stream`,
    );
    const file = writeResult('live', {
      clients,
      writers,
      seconds,
      connections,
      threadPage: { without, withClients, kept },
      delays,
      writes: w.writes.length,
      memory: { rssBeforeKb, rssAfterKb, perConnectionKb },
      goals: { p99Ms: GOAL_P99_MS, kept: GOAL_KEPT },
      pass,
    });
    console.log(`\n${pass ? 'goals met' : 'GOAL MISSED'} · ${file}`);
    return { pass };
  } finally {
    child.kill();
    await server.stop();
  }
});
