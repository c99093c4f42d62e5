import type { MiddlewareHandler } from 'hono';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** A registry per app, so tests and several apps in one process never share counters. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames: ['method', 'route'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const middleware: MiddlewareHandler = async function recordRequest(c, next) {
    const start = performance.now();
    await next();
    const route = c.req.routePath ?? 'unmatched';
    requests.inc({ method: c.req.method, route, status: c.res.status });
    latency.observe({ method: c.req.method, route }, (performance.now() - start) / 1000);
  };
  return { registry, middleware };
}
