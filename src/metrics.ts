import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one app instance; its own registry, so tests can build many apps. */
export interface Metrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDurationSeconds: Histogram<'method' | 'route' | 'status'>;
}

export function createMetrics(options: { processMetrics: boolean }): Metrics {
  const registry = new Registry();
  // Process metrics hook GC and event-loop observers; one set per process is enough.
  if (options.processMetrics) collectDefaultMetrics({ register: registry, prefix: 'kaifang_' });
  return {
    registry,
    httpRequests: new Counter({
      name: 'kaifang_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status.',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    httpDurationSeconds: new Histogram({
      name: 'kaifang_http_request_duration_seconds',
      help: 'Time from receiving a request to the response headers, by method, route pattern and status.',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
  };
}
