// Shared helpers for bench/*.ts: start servers, seed through the API, load, report.
export { runBench, type BenchOutcome } from './bench.ts';
export { measure, type LoadFigures, type LoadOptions } from './measure.ts';
export { progress, type Progress } from './progress.ts';
export { envNumber, mib, printTable, round, writeResult, type Cell } from './report.ts';
export {
  apiClient,
  joinCommune,
  passwordOf,
  seedCommune,
  seedPeople,
  type Api,
  type Reply,
} from './seed.ts';
export { ROOT, freePort, rssKbOf, spawnServer, startServer, type RunningServer } from './server.ts';
