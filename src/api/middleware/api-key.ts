// API key authentication for developer routes. Every /v1 request that carries a key is
// authenticated once by `authenticatePublic()` (verify → per-key limit and daily quota
// → usage metering); requests without a key are limited per client IP instead.
// `requireApiKey({ scope })` then guards an operation: it needs a key with that scope.
import type { Context, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { KaifangError } from '../../errors';
import { KEY_LIKE } from '../../keys/key-format';
import type { LimitCheck } from '../../keys/rate-limiter';
import type { Scope } from '../../keys/scopes';
import type { AppEnv } from '../context';
import { clientIp } from './client-ip';
import { refusalDetail, setRateLimitHeaders } from './rate-limit-headers';

const DAY_SECONDS = 86_400;
/** Query parameters that conventionally carry keys; refused so the key never sits in a URL. */
const KEY_QUERY_PARAMETERS = new Set(['api_key', 'apikey', 'api-key', 'key', 'access_key']);

/** What a handler reports about the current keyed request, for usage metering. */
export interface UsageNote {
  rows: number;
  bytes: number | undefined;
  datasetId: string | undefined;
}

/**
 * Records rows and bytes returned (and the dataset read) for the current keyed request.
 * Calls add up, so a streaming export may call it per chunk. Without a key it does nothing.
 * When `bytes` is never given, the Content-Length header of the answer is metered, if it has one
 * (Hono sets none; the data routes, records, aggregate and export, give their bytes).
 */
export function recordUsage(c: Context<AppEnv>, note: { rows?: number; bytes?: number; datasetId?: string }): void {
  const usage = c.get('usage');
  if (!usage) return;
  usage.rows += note.rows ?? 0;
  if (note.bytes !== undefined) usage.bytes = (usage.bytes ?? 0) + note.bytes;
  if (note.datasetId !== undefined) usage.datasetId = note.datasetId;
}

function presentedKey(c: Context<AppEnv>): string | undefined {
  const authorization = c.req.header('Authorization');
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization.trim());
    if (!match?.[1]) throw new KaifangError('invalid_api_key', 'The Authorization header must be `Bearer <key>`.');
    return match[1];
  }
  const header = c.req.header('X-Api-Key');
  return header === undefined ? undefined : header.trim();
}

/** Refuses keys in the query string: URLs are logged by proxies and kept in browser history. */
export function refuseKeysInQuery(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const url = new URL(c.req.url);
    for (const [name, value] of url.searchParams) {
      if (KEY_QUERY_PARAMETERS.has(name.toLowerCase()) || KEY_LIKE.test(value)) {
        throw new KaifangError(
          'api_key_in_query',
          `API keys are not accepted in the query string (parameter "${name}"): URLs are written to server and proxy logs, browser history and Referer headers. Treat this key as exposed and revoke it; send keys as \`Authorization: Bearer <key>\` or \`X-Api-Key: <key>\`.`,
        );
      }
    }
    await next();
  };
}

/** The route a request matched, for metering; bounded like the metrics label. */
function meteredRoute(c: Context<AppEnv>): string {
  const matched = routePath(c, -1);
  return matched.endsWith('*') ? 'unmatched' : matched;
}

/** Verifies the key, applies the per-key limit and the account's daily quota, and meters the request. */
async function authenticate(c: Context<AppEnv>, key: string, next: () => Promise<void>): Promise<void> {
  const { keys, clock } = c.get('deps');
  const verified = await keys.verifier.verify(key);
  const plan = keys.config.plans[verified.plan] ?? keys.config.plans[keys.config.defaultPlan]!;
  c.set('apiKey', verified);
  c.set('usage', { rows: 0, bytes: undefined, datasetId: undefined });
  const nowMs = clock.nowMs();
  const checks: LimitCheck[] = [
    { name: `key:${verified.keyId}`, policy: 'key', limit: plan.limit, windowSeconds: keys.config.rateWindowSeconds },
    // The quota is the account's, so more keys do not mean more requests.
    { name: `account:${verified.accountId}:day`, policy: 'daily', limit: plan.dailyQuota, windowSeconds: DAY_SECONDS },
  ];
  // Errors thrown below are answered by onError after this middleware returns, so the
  // status is taken from the error itself.
  let thrownStatus: number | undefined;
  try {
    const decision = await keys.limiter.consume(checks, nowMs);
    const retryAfterSeconds = setRateLimitHeaders(c, decision, nowMs);
    if (retryAfterSeconds !== undefined) throw new KaifangError('rate_limited', refusalDetail(decision), { extras: { retryAfterSeconds } });
    await next();
  } catch (error) {
    thrownStatus = error instanceof KaifangError ? error.status : 500;
    throw error;
  } finally {
    const usage = c.get('usage');
    const status = thrownStatus ?? c.res.status;
    // HEAD runs the GET handler, but no record and no byte of the body is sent.
    const sent = c.req.method !== 'HEAD';
    keys.meter.record({
      keyId: verified.keyId,
      accountId: verified.accountId,
      route: meteredRoute(c),
      datasetId: usage.datasetId,
      atMs: nowMs,
      rows: sent ? usage.rows : 0,
      bytes: sent ? (usage.bytes ?? (thrownStatus === undefined ? declaredLength(c) : 0)) : 0,
      error: status >= 400,
    });
  }
}

/**
 * The answer's Content-Length, for routes that do not report their bytes. Only read when
 * needed: reading `c.res.headers` turns the answer's plain header object into a WHATWG
 * Headers, which @hono/node-server then has to convert back (answer-headers.ts).
 */
function declaredLength(c: Context<AppEnv>): number {
  return Number(c.res.headers.get('Content-Length')) || 0;
}

async function limitByIp(c: Context<AppEnv>, policy: string, limit: { limit: number; windowSeconds: number }): Promise<void> {
  const { keys, clock } = c.get('deps');
  const nowMs = clock.nowMs();
  const ip = clientIp(c, keys.config.trustedProxyHops);
  const decision = await keys.limiter.consume([{ name: `ip:${policy}:${ip}`, policy, limit: limit.limit, windowSeconds: limit.windowSeconds }], nowMs);
  const retryAfterSeconds = setRateLimitHeaders(c, decision, nowMs);
  if (retryAfterSeconds !== undefined) throw new KaifangError('rate_limited', refusalDetail(decision), { extras: { retryAfterSeconds } });
}

/**
 * For every developer-facing /v1 request: with a key, authenticate and meter it; without
 * one, count it against the client IP's limit. Steward routes (/v1/admin) are left alone.
 */
export function authenticatePublic(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.path === '/v1/admin' || c.req.path.startsWith('/v1/admin/')) return next();
    const key = presentedKey(c);
    if (key !== undefined) return authenticate(c, key, next);
    await limitByIp(c, 'ip', c.get('deps').keys.config.ipLimit);
    await next();
  };
}

/** Sign-up abuse control: a stricter per-IP limit on POST /v1/accounts. */
export function limitSignups(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method === 'POST') await limitByIp(c, 'signup', c.get('deps').keys.config.signupLimit);
    await next();
  };
}

/**
 * Guards an operation with an API key holding `scope`. Sets `c.var.apiKey` (key id,
 * account id, scopes, plan). Under /v1 the key was already verified, limited and
 * metered by `authenticatePublic()`; elsewhere this does it.
 */
export function requireApiKey(options: { scope: Scope }): MiddlewareHandler<AppEnv> {
  const check = (c: Context<AppEnv>) => {
    const apiKey = c.get('apiKey');
    if (!apiKey.scopes.includes(options.scope)) throw new KaifangError('forbidden', `This operation needs a key with the scope "${options.scope}".`);
  };
  return async (c, next) => {
    if (c.get('apiKey')) {
      check(c);
      return next();
    }
    const key = presentedKey(c);
    if (key === undefined) throw new KaifangError('unauthorized', 'This operation needs an API key: send `Authorization: Bearer <key>` or `X-Api-Key: <key>`.');
    return authenticate(c, key, async () => {
      check(c);
      await next();
    });
  };
}
