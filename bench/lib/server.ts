import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export type RunningServer = {
  url: string;
  pid: number;
  /** Milliseconds from spawn() to the first 200 from the ready URL. */
  coldStartMs: number;
  /** Resident memory now, in KiB (VmRSS), or null where /proc is missing. */
  rssKb: () => number | null;
  stop: () => Promise<void>;
};

export type SpawnOptions = {
  name: string;
  args: string[];
  env: Record<string, string>;
  port: number;
  readyPath: string;
  timeoutMs?: number;
};

const running = new Set<ChildProcess>();
// A crashed or interrupted bench must not leave servers behind.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** A port the kernel just handed out on 127.0.0.1; free again when this resolves. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export function rssKbOf(pid: number): number | null {
  try {
    const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+)\s+kB/m);
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Spawns a Node script as a child process and waits until readyPath answers 200. */
export async function spawnServer(options: SpawnOptions): Promise<RunningServer> {
  const url = `http://127.0.0.1:${options.port}`;
  const started = performance.now();
  const child = spawn(process.execPath, options.args, {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  // Keep the tail of what the server says, to show when something goes wrong.
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-16_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited: string | null = null;
  const exitedPromise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = `exited with ${signal ?? code}`;
      running.delete(child);
      resolve();
    });
  });

  const deadline = started + (options.timeoutMs ?? 30_000);
  let coldStartMs = -1;
  while (coldStartMs < 0) {
    if (exited) throw new Error(`${options.name} ${exited} before it was ready:\n${output}`);
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(
        `${options.name} was not ready within ${options.timeoutMs ?? 30_000} ms:\n${output}`,
      );
    }
    try {
      const res = await fetch(url + options.readyPath);
      await res.arrayBuffer();
      if (res.status === 200) coldStartMs = performance.now() - started;
      else await sleep(5);
    } catch {
      await sleep(5); // not listening yet
    }
  }

  const pid = child.pid!;
  return {
    url,
    pid,
    coldStartMs,
    rssKb: () => rssKbOf(pid),
    async stop() {
      if (!exited) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exitedPromise;
        clearTimeout(timer);
      }
      const said = output.trim();
      if (said)
        console.log(`\n${options.name} logged:\n${said.split('\n').slice(-20).join('\n')}\n`);
    },
  };
}

export type CommuneServerOptions = {
  /** Defaults to a fresh SQLite file in a temporary folder, removed on stop. */
  databaseUrl?: string;
  env?: Record<string, string>;
  /** Options for node itself, before the script (e.g. --cpu-prof). */
  nodeArgs?: string[];
};

/** Starts Commune itself (`src/main.ts serve`) on 127.0.0.1, as a separate process. */
export async function startServer(
  options: CommuneServerOptions = {},
): Promise<RunningServer & { databaseUrl: string }> {
  const dir = options.databaseUrl ? null : mkdtempSync(join(tmpdir(), 'commune-bench-'));
  const databaseUrl = options.databaseUrl ?? `sqlite:${join(dir!, 'bench.db')}`;
  const port = await freePort();
  try {
    const server = await spawnServer({
      name: 'Commune',
      args: [...(options.nodeArgs ?? []), 'src/main.ts', 'serve'],
      env: {
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        DATABASE_URL: databaseUrl,
        LOG_LEVEL: 'warn',
        // Seeding creates many people from one address.
        SIGN_UPS_PER_HOUR: '1000000',
        ...options.env,
      },
      port,
      readyPath: '/healthz',
    });
    return {
      ...server,
      databaseUrl,
      async stop() {
        await server.stop();
        if (dir) rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    if (dir) rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
