// Summarises a V8 .cpuprofile (node --cpu-prof): where a server spent its CPU time, by
// function (self time) and by area (a package, Node's internals, a src/ context).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

type Node = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
};
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[] };
export type Cost = { name: string; ms: number; share: number };
export type ProfileSummary = { busyMs: number; functions: Cost[]; areas: Cost[] };

const IDLE = new Set(['(idle)', '(program)']);

function area(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : 'native';
  const pkg = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return url.replace(/^node:(internal\/)?/, 'node:');
  const src = url.match(/\/src\/([^/]+)\//);
  return src ? `src/${src[1]}` : url;
}

/**
 * The top `n` costs of the one profile in `dir`, idle time left out, and the first `skipMs`
 * too (the server's start: loading and compiling modules is not what the load costs).
 */
export function summariseProfile(dir: string, skipMs: number, n = 3): ProfileSummary {
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no .cpuprofile in ${dir}`);
  const p = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((x) => [x.id, x]));
  const selfMs = new Map<number, number>();
  let at = 0;
  p.samples.forEach((id, i) => {
    at += p.timeDeltas[i]! / 1000;
    if (at > skipMs) selfMs.set(id, (selfMs.get(id) ?? 0) + p.timeDeltas[i]! / 1000);
  });
  const fns = new Map<string, number>();
  const areas = new Map<string, number>();
  let busy = 0;
  for (const [id, ms] of selfMs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (IDLE.has(functionName)) continue;
    busy += ms;
    const where = url
      ? ` ${url.replace(/^.*\/(node_modules|src)\//, '$1/')}:${lineNumber + 1}`
      : '';
    const name = `${functionName || '(anonymous)'}${where}`;
    fns.set(name, (fns.get(name) ?? 0) + ms);
    const a = area(url, functionName);
    areas.set(a, (areas.get(a) ?? 0) + ms);
  }
  const top = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, ms]) => ({
        name,
        ms: Math.round(ms),
        share: Math.round((ms / busy) * 1000) / 10,
      }));
  return { busyMs: Math.round(busy), functions: top(fns), areas: top(areas) };
}
