// Runs every benchmark script bench/*.ts in turn, or only those named:
//   npm run bench              npm run bench -- http ledger
// Each runs in its own process (see bench/lib/bench.ts for what its exit code means).
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './lib/server.ts';

const benchDir = join(ROOT, 'bench');
const available = readdirSync(benchDir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.test.ts'))
  .map((f) => f.slice(0, -'.ts'.length))
  .sort();

const asked = process.argv
  .slice(2)
  .map((name) => name.replace(/^bench\//, '').replace(/\.ts$/, ''));
const unknown = asked.filter((name) => !available.includes(name));
if (unknown.length) {
  console.error(`unknown benchmark: ${unknown.join(', ')} (available: ${available.join(', ')})`);
  process.exit(2);
}
const chosen = asked.length ? asked : available;

const run = (name: string) =>
  new Promise<number>((resolve) => {
    const child = spawn(process.execPath, [join(benchDir, `${name}.ts`)], {
      cwd: ROOT,
      stdio: 'inherit',
    });
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });

const verdict = (code: number) =>
  code === 0 ? 'ok' : code === 1 ? 'goal missed' : `failed (exit ${code})`;

const outcomes: { name: string; code: number }[] = [];
for (const name of chosen) outcomes.push({ name, code: await run(name) });

console.log('\n== benchmarks ==');
for (const { name, code } of outcomes) console.log(`${name.padEnd(16)} ${verdict(code)}`);
process.exitCode = outcomes.some((o) => o.code !== 0) ? 1 : 0;
