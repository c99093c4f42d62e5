import autocannon from 'autocannon';
import { progress } from './progress.ts';

export type LoadOptions = {
  label: string;
  url: string;
  seconds: number;
  connections: number;
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  headers?: Record<string, string>;
  body?: string;
  /** Unmeasured load first, so both sides are compared with a warm JIT. */
  warmupSeconds?: number;
};

export type LoadFigures = {
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMaxMs: number;
  requests: number;
  bytesPerSecond: number;
  seconds: number;
  connections: number;
};

function cannon(
  options: LoadOptions,
  seconds: number,
  onTick: (requestsThisSecond: number) => void,
): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: seconds,
        method: options.method ?? 'GET',
        ...(options.headers ? { headers: options.headers } : {}),
        ...(options.body !== undefined ? { body: options.body } : {}),
      },
      (error: unknown, result: autocannon.Result) =>
        error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(result),
    );
    instance.on('tick', ((counts: { counter: number }) => onTick(counts.counter)) as () => void);
  });
}

/**
 * Loads one URL with autocannon and returns its figures. Any error, timeout or non-2xx
 * answer fails the measurement: a fast 404 must never pass for a fast page.
 */
export async function measure(options: LoadOptions): Promise<LoadFigures> {
  const warmup = options.warmupSeconds ?? 0;
  if (warmup > 0) {
    const bar = progress(`${options.label}: warm-up`, warmup);
    await cannon(options, warmup, (n) => bar.tick(`${n} req/s`));
    bar.stop();
  }
  const bar = progress(`${options.label}: load`, options.seconds);
  const result = await cannon(options, options.seconds, (n) => bar.tick(`${n} req/s`));
  bar.stop();
  if (result.errors > 0 || result.timeouts > 0 || result.non2xx > 0) {
    throw new Error(
      `${options.label}: ${result.non2xx} non-2xx answers, ${result.errors} errors, ${result.timeouts} timeouts under load`,
    );
  }
  return {
    requestsPerSecond: result.requests.average,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    latencyMaxMs: result.latency.max,
    requests: result.requests.total,
    bytesPerSecond: result.throughput.average,
    seconds: result.duration,
    connections: result.connections,
  };
}
