// Live updates under load (docs/adr/0028-live-updates.md): 1,000 SSE clients on one Commune
// process while 50 writers comment and pay. Reports the delay from a write to its event at
// every client (p50/p99), the server's memory per stream, and the thread page's throughput
// with the clients connected against the same load without them (the baseline, same run).
// Goals: p99 delay < 100 ms; the thread page keeps ≥ 80 % of its throughput.
//   npm run bench -- live    BENCH_LIVE_CLIENTS (1000), BENCH_LIVE_WRITERS (50),
//   BENCH_LIVE_PAUSE_MS (1000: each writer writes about once a second), BENCH_SECONDS (10),
//   BENCH_CONNECTIONS (50), BENCH_LIVE_CPU_SECONDS (5: the writers alone, then with the streams,
//   no page load, to take the server's CPU per event written to a stream; 0 for none),
//   BENCH_PROFILE=1 (the server under node --cpu-prof; its top costs, BENCH_PROFILE_TOP)
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
} from './lib/index.ts';
import { summariseProfile } from './lib/cpu-profile.ts';

const GOAL_P99_MS = 100;
const GOAL_KEPT = 0.8;
const now = () => performance.timeOrigin + performance.now();

/** CPU time (user + system) a process has used, in ms, from /proc; null where /proc is missing. */
function cpuMsOf(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

type Count = { messages: number; reads: number; cpuMs: number };

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
  const cpuSeconds =
    process.env.BENCH_LIVE_CPU_SECONDS === '0' ? 0 : envNumber('BENCH_LIVE_CPU_SECONDS', 5);
  const profileDir =
    process.env.BENCH_PROFILE === '1' ? mkdtempSync(join(tmpdir(), 'commune-live-prof-')) : null;
  const server = await startServer({
    ...(profileDir ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] } : {}),
    env: {
      LIVE_MAX_CONNECTIONS: String(clients + 100),
      LIVE_MAX_PER_PERSON: String(clients),
    },
  });
  const child = spawn(process.execPath, [join(ROOT, 'bench/lib/live-clients.ts')], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let w: ReturnType<typeof startWriters> | null = null;
  try {
    const api = apiClient(server.url);
    const { a, b, page, writersThread } = await seed(api);
    const own = () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    };
    /** The page's figures, and the CPU each process used meanwhile (warm-up included). */
    const load = async (label: string) => {
      const before = { server: cpuMsOf(server.pid), clients: (await count()).cpuMs, bench: own() };
      const figures = await measure({
        label,
        url: `${server.url}/api/v1/threads/${page}`,
        seconds,
        connections,
        warmupSeconds: 2,
      });
      const after = { server: cpuMsOf(server.pid), clients: (await count()).cpuMs, bench: own() };
      const share = (a: number | null, b: number | null) =>
        a === null || b === null ? null : round((b - a) / ((seconds + 2) * 10), 1);
      return {
        ...figures,
        cpuPercent: {
          server: share(before.server, after.server),
          clients: share(before.clients, after.clients),
          bench: share(before.bench, after.bench),
        },
      };
    };
    const reply = <T>(type: string) =>
      new Promise<T>((resolve, reject) => {
        child.once('message', (m: Record<string, unknown>) =>
          m.type === type ? resolve(m as T) : reject(new Error(JSON.stringify(m))),
        );
        child.once('exit', (code) => reject(new Error(`clients exited ${code}`)));
      });
    const count = () => {
      const r = reply<Count>('count');
      child.send({ type: 'count' });
      return r;
    };
    /** The server's CPU while only the writers write (and the streams, if any, hear them). */
    const quiet = async (w: ReturnType<typeof startWriters>) => {
      const writes = w.writes.length;
      const cpu = cpuMsOf(server.pid);
      const heard = await count();
      await sleep(cpuSeconds * 1000);
      const cpuAfter = cpuMsOf(server.pid);
      const heardAfter = await count();
      return {
        writes: w.writes.length - writes,
        cpuMs: cpu === null || cpuAfter === null ? null : cpuAfter - cpu,
        messages: heardAfter.messages - heard.messages,
        reads: heardAfter.reads - heard.reads,
        clientCpuMs: heardAfter.cpuMs - heard.cpuMs,
      };
    };

    // Baseline: the thread page while the writers write, no stream open.
    w = startWriters(server.url, writersThread, [a, b], writers, pauseMs);
    const without = await load('thread page, writers, no streams');
    const quietWithout = cpuSeconds > 0 ? await quiet(w) : null;
    await w.stop();

    const rssBeforeKb = server.rssKb();
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
    // Delays are those of the writes made under the page load.
    const loadWrites = w.writes.slice();
    const quietWith = cpuSeconds > 0 ? await quiet(w) : null;
    await w.stop();
    const delaysReply = reply<Delays>('delays');
    child.send({ type: 'writes', writes: loadWrites });
    const delays = await delaysReply;

    const kept = withClients.requestsPerSecond / without.requestsPerSecond;
    const perConnectionKb =
      rssBeforeKb !== null && rssAfterKb !== null ? (rssAfterKb - rssBeforeKb) / clients : null;
    // The writers' own cost, per write, taken out: what is left is the fan-out to the streams.
    const cpu =
      quietWithout?.cpuMs && quietWith?.cpuMs != null && quietWith.messages > 0
        ? {
            serverUsPerStreamEvent:
              ((quietWith.cpuMs - (quietWithout.cpuMs / quietWithout.writes) * quietWith.writes) *
                1000) /
              quietWith.messages,
            serverCpuShare: quietWith.cpuMs / (cpuSeconds * 1000),
            clientsUsPerStreamEvent: (quietWith.clientCpuMs * 1000) / quietWith.messages,
            eventsPerRead: quietWith.messages / Math.max(1, quietWith.reads),
          }
        : null;
    const pass = delays.ackP99 < GOAL_P99_MS && kept >= GOAL_KEPT && delays.missing === 0;
    console.log(
      `\n${clients} SSE clients (half on the writers' thread, half following the commune as a member), ${writers} writers commenting and paying (each about every ${pauseMs} ms), thread page loaded by ${connections} connections for ${seconds} s\n`,
    );
    printTable([
      {
        'thread page': 'without streams (baseline)',
        'req/s': round(without.requestsPerSecond, 0),
        'p99 ms': round(without.latencyP99Ms),
        'CPU % server/clients/bench': Object.values(without.cpuPercent).join(' / '),
      },
      {
        'thread page': `with ${clients} streams`,
        'req/s': round(withClients.requestsPerSecond, 0),
        'p99 ms': round(withClients.latencyP99Ms),
        'CPU % server/clients/bench': Object.values(withClients.cpuPercent).join(' / '),
      },
    ]);
    console.log(
      `\nkept ${round(kept * 100, 1)} % of the thread page's throughput (goal ≥ ${GOAL_KEPT * 100} %)`,
    );
    console.log(
      `write → event at each client: p50 ${round(delays.ackP50)} ms, p99 ${round(delays.ackP99)} ms, max ${round(delays.ackMax)} ms after the write was acknowledged (goal p99 < ${GOAL_P99_MS} ms); from the request's start: p50 ${round(delays.sendP50)} ms, p99 ${round(delays.sendP99)} ms`,
    );
    console.log(
      `${loadWrites.length} writes under the page load (${w.dropped()} connection resets retried), ${delays.deliveries} deliveries, ${delays.missing} writes heard by no client`,
    );
    console.log(
      `server memory: ${mib(rssBeforeKb)} MiB before the streams, ${mib(rssAfterKb)} MiB with them: ${perConnectionKb === null ? 'n/a' : round(perConnectionKb, 1)} KiB per stream`,
    );
    if (cpu)
      console.log(
        `CPU, writers and streams without the page load (${cpuSeconds} s): the server ${round(cpu.serverUsPerStreamEvent, 2)} µs per event written to a stream (beyond the writes themselves; ${round(cpu.serverCpuShare * 100, 1)} % of a core in all), the clients ${round(cpu.clientsUsPerStreamEvent, 2)} µs per event read; ${round(cpu.eventsPerRead, 2)} events per read`,
      );
    const file = writeResult('live', {
      clients,
      writers,
      seconds,
      connections,
      threadPage: { without, withClients, kept },
      delays,
      writes: loadWrites.length,
      memory: { rssBeforeKb, rssAfterKb, perConnectionKb },
      cpu: { quietWithout, quietWith, ...cpu },
      goals: { p99Ms: GOAL_P99_MS, kept: GOAL_KEPT },
      pass,
    });
    console.log(`\n${pass ? 'goals met' : 'GOAL MISSED'} · ${file}`);
    return { pass };
  } finally {
    // A failed run stops its writers too, or the bench would never end.
    await w?.stop();
    child.kill();
    await server.stop();
    if (profileDir) {
      const p = summariseProfile(
        profileDir,
        server.coldStartMs,
        envNumber('BENCH_PROFILE_TOP', 25),
      );
      console.log(`\nserver CPU profile: ${p.busyMs} ms busy`);
      printTable(
        [...p.areas, ...p.functions].map((c) => ({ ms: c.ms, '%': c.share, what: c.name })),
      );
      rmSync(profileDir, { recursive: true, force: true });
    }
  }
});
