import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { AppEnv } from '../context';

/**
 * One structured log line and one metrics observation per request. The path is logged
 * without its query string: query strings can carry values a caller should not have
 * put there (keys, personal data in filters).
 */
export function observe(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const startedAt = performance.now();
    await next();
    const { logger, metrics } = c.get('deps');
    const durationMs = performance.now() - startedAt;
    // The matched route pattern keeps label cardinality bounded; a request that reached
    // only wildcard middleware matched no operation, and all such share one label.
    const matched = routePath(c, -1);
    const route = matched.endsWith('*') ? 'unmatched' : matched;
    const labels = { method: c.req.method, route, status: String(c.res.status) };
    metrics.httpRequests.inc(labels);
    metrics.httpDurationSeconds.observe(labels, durationMs / 1000);
    logger.info(
      {
        requestId: c.get('requestId'),
        method: c.req.method,
        path: c.req.path,
        route,
        status: c.res.status,
        durationMs: Math.round(durationMs * 100) / 100,
      },
      'request',
    );
  };
}
