import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import pino from 'pino';
import {
  chromium,
  type BrowserContext,
  type Locator,
  type Page,
  type Request,
} from 'playwright-core';
import { createApp, createContexts } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { openTestSqlite } from '../../src/db/testing.ts';
import { jobRunner } from '../../src/jobs/runner.ts';
import { startScheduler } from '../../src/jobs/scheduler.ts';
import { systemClock } from '../../src/shared/clock.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const WEB_ROOT = join(ROOT, 'dist/web');
export const RESULTS = join(ROOT, 'test-results');
export const CHROMIUM = '/usr/bin/chromium';

// Debian's Chromium only; nothing is ever downloaded.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-quic',
  '--disable-sync',
];

/**
 * Whether the journey can run. A missing browser skips it loudly on a workstation and
 * fails it under CI=true, where a skipped journey would hide a broken setup.
 */
export function browserAvailability(): { skip: string | false; missingInCi: boolean } {
  if (existsSync(CHROMIUM)) return { skip: false, missingInCi: false };
  if (process.env.CI === 'true') return { skip: false, missingInCi: true };
  console.warn(
    `\n*** ${CHROMIUM} not found: the browser journey is SKIPPED (install it with: apt-get install -y chromium) ***\n`,
  );
  return { skip: `${CHROMIUM} is missing`, missingInCi: false };
}

/** Builds the web app once when dist/web has no index.html yet. */
export async function ensureWebBuild(): Promise<void> {
  if (existsSync(join(WEB_ROOT, 'index.html'))) return;
  const child = spawn(
    'npx',
    ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0 || !existsSync(join(WEB_ROOT, 'index.html')))
    throw new Error(`vite build failed (exit ${code}):\n${output}`);
}

/**
 * The real app on a fresh SQLite file, serving the built web app, on 127.0.0.1 and a free port.
 * With `jobs`, background work (the affinity index, deliveries, email) runs on a short tick, as
 * `serve` runs it; `env` adds configuration (SMTP_HOST …). `stop()` and `start()` take the
 * server down and bring it back on the same port and database (pages must recover by
 * themselves); `close()` ends it for good.
 */
export async function startServer(o: ServerOptions = {}): Promise<{
  base: string;
  serverLog: string[];
  close: () => Promise<void>;
  stop: () => Promise<void>;
  start: () => Promise<void>;
}> {
  const handle = await openTestSqlite();
  const serverLog: string[] = [];
  const config = loadConfig({
    DATABASE_URL: 'sqlite::memory:',
    LOG_LEVEL: 'silent',
    // Every person in a journey signs up from 127.0.0.1.
    SIGN_UPS_PER_HOUR: '1000',
    ...o.env,
  });
  if (!config.ok) throw new Error(config.error.message);
  const deps = {
    db: handle.db,
    dialect: handle.dialect,
    config: config.value,
    // Errors only, kept for `explained()`: a journey's failure then says what the server hit.
    logger: pino({ level: 'error' }, { write: (line: string) => keep(serverLog, line.trim()) }),
    clock: systemClock,
    passwordCost: 10,
    webRoot: WEB_ROOT,
  };
  const contexts = createContexts(deps);
  const app = createApp(deps, contexts);
  const scheduler = o.jobs
    ? startScheduler(jobRunner(deps, contexts.jobs), { intervalMs: 200, logger: deps.logger })
    : null;
  let server: ServerType | undefined;
  let port = 0;
  const start = async () => {
    port = await new Promise<number>((resolve) => {
      server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port }, (info) =>
        resolve(info.port),
      );
    });
  };
  const stop = async () => {
    // Open event streams would hold the server open: they end first, as in `serve`.
    await contexts.live.close();
    const s = server;
    server = undefined;
    if (!s) return;
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      if ('closeAllConnections' in s) s.closeAllConnections();
    });
  };
  await start();
  return {
    base: `http://127.0.0.1:${port}`,
    serverLog,
    stop,
    start,
    close: async () => {
      await scheduler?.stop();
      await stop();
      await handle.destroy();
    },
  };
}
export type ServerOptions = { jobs?: boolean; env?: Record<string, string> };

export type Browser = {
  context: BrowserContext;
  page: Page;
  problems: string[];
  /** The API calls that changed something or failed, newest last: what the page asked and got. */
  apiLog: string[];
  close: () => Promise<void>;
};

/**
 * One person's browser: its own Chromium profile in a fresh temporary folder, so cookies never
 * cross between people. CSP violations and uncaught errors are collected in `problems`.
 */
export async function openBrowser(): Promise<Browser> {
  const dir = mkdtempSync(join(tmpdir(), 'commune-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1100, height: 900 },
  });
  context.setDefaultTimeout(15_000);
  const problems: string[] = [];
  // Injected by the browser itself, outside the page's CSP, so it can report every violation.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(
        `CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline code'}`,
      );
    });
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (m) => {
    if (/CSP violation|Content Security Policy|Refused to (execute|apply|load)/i.test(m.text()))
      problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  const apiLog: string[] = [];
  const call = (r: Request) => `${r.method()} ${new URL(r.url()).pathname}`;
  page.on('response', (r) => {
    const req = r.request();
    if (req.url().includes('/api/') && (req.method() !== 'GET' || r.status() >= 400))
      keep(apiLog, `${call(req)} → ${r.status()}`);
  });
  page.on('requestfailed', (req) => {
    if (req.url().includes('/api/')) keep(apiLog, `${call(req)} → ${req.failure()?.errorText}`);
  });
  return {
    context,
    page,
    problems,
    apiLog,
    close: async () => {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type Server = Awaited<ReturnType<typeof startServer>>;

const keep = (log: string[], line: string) => {
  log.push(line);
  if (log.length > 40) log.shift();
};

/**
 * Waits for `locator`; if it never shows, fails with what the page showed in `scope`, the
 * browser's recent API calls and the server's errors, so a failure in CI explains itself.
 */
export async function expectShown(
  locator: Locator,
  scope: Locator,
  b: Browser,
  server: Server,
): Promise<void> {
  try {
    await locator.waitFor();
  } catch (e) {
    const shown = await scope.innerText({ timeout: 2_000 }).catch(() => '(not on the page)');
    throw new Error(
      [
        (e as Error).message.split('\n')[0],
        `shown: ${shown.replace(/\s+/g, ' ')}`,
        `API calls: ${b.apiLog.join('; ') || 'none'}`,
        `server errors: ${server.serverLog.join('\n') || 'none'}`,
      ].join('\n'),
      { cause: e },
    );
  }
}

/**
 * A journey's `before`: refuses to run under CI without a browser, builds the web app if
 * needed and starts the server. Each journey then opens one browser per person.
 */
export async function startJourney(
  availability: ReturnType<typeof browserAvailability>,
  o: ServerOptions = {},
): Promise<Server> {
  if (availability.missingInCi)
    throw new Error(`CI=true but ${CHROMIUM} is missing: the browser journey cannot run`);
  await ensureWebBuild();
  return startServer(o);
}

/** A journey's `after`: closes whatever `before` got as far as opening. */
export async function endJourney(
  server: Server | undefined,
  browsers: (Browser | undefined)[],
): Promise<void> {
  for (const b of browsers) await b?.close();
  await server?.close();
}

/** True when the page scrolls sideways at the current viewport. */
export const scrollsSideways = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
