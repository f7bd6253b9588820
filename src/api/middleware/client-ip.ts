import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/**
 * The client address used for per-IP limits. X-Forwarded-For is trusted only as far as
 * TRUSTED_PROXY_HOPS says: with n proxies that each append the address they saw, the
 * n-th entry from the right was written by our outermost proxy; anything further left
 * was written by the client and could be forged.
 */
export function clientIp(c: Context, trustedProxyHops: number): string {
  if (trustedProxyHops > 0) {
    const chain = (c.req.header('X-Forwarded-For') ?? '').split(',').map((part) => part.trim()).filter(Boolean);
    const entry = chain[chain.length - trustedProxyHops];
    if (entry) return entry;
  }
  // In-process requests (tests, app.request) have no socket.
  const env = c.env as { incoming?: unknown; server?: unknown } | undefined;
  if (!env?.incoming && !env?.server) return 'unknown';
  return getConnInfo(c).remote.address ?? 'unknown';
}
