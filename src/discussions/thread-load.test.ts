import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { serve, type ServerType } from '@hono/node-server';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import type { ReaderReport } from '../../test/support/thread-readers.ts';
import { availableDatabases } from '../db/testing.ts';
import { newId } from '../shared/ids.ts';
import { MAX_PAGE_BYTES } from './discussions.ts';

// Issue 7, finding 5: ten anonymous readers of one long thread of large comments delayed
// /healthz by seconds. The server listens here; the readers run in a child process (their
// JSON parsing must not borrow this event loop), and this process asks /healthz over and over
// while they read, measuring how long each answer takes.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const COMMENTS = 2000;
const READERS = 10;
// What a probe waits counts against the server only while this process's main thread (the
// event loop that answers) was working: on a shared, busy machine the operating system may
// leave it unscheduled for longer than that, which no code here can prevent, and V8's
// garbage-collector threads work beside the loop without delaying it. The wall clock still has a backstop well under the 9.8 s
// the bug took, and above what a load average of 15 adds to an honest answer.
// The limit holds for 99 % of probes; the rest may meet one page build on a machine so busy that
// the loop's own CPU time stretches (cache and core contention), but never several: the bug
// queued each probe behind every reader's page.
const HEALTHZ_WITHIN_MS = 100;
const WORST_WITHIN_MS = 2 * HEALTHZ_WITHIN_MS;
const WALL_BACKSTOP_MS = 3000;

const charter = {
  handle: 'forum',
  name: 'The forum',
  vision: 'Long talks',
  category: 'social',
  tags: ['talk'],
  joinPolicy: 'open',
  visibility: 'public',
};

// Mostly 5,000 characters, every twentieth at the 50,000 maximum: about 30 MB of JSON.
const bodyOf = (i: number) =>
  `Comment ${i}. ${'All of this is worth saying at length. '.repeat(i % 20 === 0 ? 1280 : 128)}`;

for (const { kind, skip } of await availableDatabases()) {
  describe(`a long thread read by ${READERS} anonymous clients on ${kind}`, { skip }, () => {
    let t: TestApp;
    let server: ServerType;
    let base: string;
    let threadId: string;

    before(async () => {
      // This measures what the server does per page: checking each ~1 MiB answer against the
      // document is test-only work in this same event loop (every other thread test checks it).
      t = await startTestApp(kind, { checkContract: false });
      const ana = await t.person('ana', 'Ana');
      assert.equal((await t.post('/api/v1/communes', charter, ana)).status, 201);
      const started = await t.post(
        '/api/v1/communes/forum/threads',
        { title: 'Everything', body: 'Say it all.' },
        ana,
      );
      assert.equal(started.status, 201);
      threadId = started.body.id as string;
      const author = (await t.get('/api/v1/me', ana)).body.id as string;
      const ids = Array.from({ length: COMMENTS }, () => newId()).sort();
      for (let from = 0; from < COMMENTS; from += 100) {
        const rows = ids.slice(from, from + 100).map((id, j) => {
          const body = bodyOf(from + j);
          return {
            id,
            thread_id: threadId,
            author_id: author,
            author_handle: 'ana',
            body,
            html: `<p>${body}</p>\n`,
            in_reply_to: null,
            source: 'local' as const,
            created_at: new Date().toISOString(),
          };
        });
        await t.deps.db.insertInto('comments').values(rows).execute();
      }
      server = await new Promise<ServerType>((resolve) => {
        const s = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
      });
      const address = server.address();
      assert.ok(address && typeof address === 'object');
      base = `http://127.0.0.1:${address.port}`;
    });
    after(async () => {
      await new Promise((resolve) => server?.close(resolve));
      await t.close();
    });

    it('answers /healthz within 100 ms of event-loop work (p99; never over 200) while every reader pages through all of it', async () => {
      const readers = spawn(
        process.execPath,
        ['test/support/thread-readers.ts', base, threadId, String(READERS), String(MAX_PAGE_BYTES)],
        { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let output = '';
      let errors = '';
      readers.stdout.on('data', (d: Buffer) => (output += d.toString()));
      readers.stderr.on('data', (d: Buffer) => (errors += d.toString()));
      const exited = new Promise<number | null>((resolve) => readers.on('close', resolve));
      let done = false;
      void exited.then(() => (done = true));

      const loop = monitorEventLoopDelay({ resolution: 5 });
      loop.enable();
      const latencies: number[] = [];
      const worked: number[] = [];
      while (!done) {
        const cpu = process.threadCpuUsage();
        const started = performance.now();
        const res = await fetch(`${base}/healthz`);
        await res.text();
        const wall = performance.now() - started;
        const used = process.threadCpuUsage(cpu);
        if (!done) {
          latencies.push(wall);
          worked.push(Math.min(wall, (used.user + used.system) / 1000));
        }
        assert.equal(res.status, 200);
      }
      loop.disable();
      assert.equal(await exited, 0, errors);

      const reports = JSON.parse(output) as ReaderReport[];
      assert.equal(reports.length, READERS);
      for (const r of reports) {
        assert.deepEqual(r.failures, []);
        assert.equal(r.ids, COMMENTS, 'every comment once');
        assert.ok(r.ordered, 'in order, without repeats');
        assert.equal(r.overBudget, 0, 'no page over the byte budget');
        assert.ok(r.largestPage < MAX_PAGE_BYTES + 200_000, `${r.largestPage} bytes`);
      }
      // The readers took long enough for the probes to mean something.
      assert.ok(latencies.length >= 20, `only ${latencies.length} probes`);
      const worst = Math.max(...latencies);
      const sorted = [...latencies].sort((a, b) => a - b);
      const work = [...worked].sort((a, b) => a - b);
      const p99Worked = work[Math.floor(work.length * 0.99)]!;
      const worstWorked = work[work.length - 1]!;
      const summary = `${latencies.length} probes, median ${sorted[sorted.length >> 1]!.toFixed(1)} ms, worst ${worst.toFixed(1)} ms; the event loop worked p99 ${p99Worked.toFixed(1)} ms, worst ${worstWorked.toFixed(1)} ms; event loop delay max ${(loop.max / 1e6).toFixed(1)} ms, p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms`;
      console.log(`# ${kind}: ${summary}; ${reports.reduce((n, r) => n + r.pages, 0)} pages read`);
      assert.ok(p99Worked < HEALTHZ_WITHIN_MS, summary);
      assert.ok(worstWorked < WORST_WITHIN_MS, summary);
      assert.ok(worst < WALL_BACKSTOP_MS, summary);
    });
  });
}
