// Fixed-window counters. Windows are aligned to the epoch and computed from the injected
// clock, so tests move time instead of sleeping and every instance agrees on the window
// boundaries. A request is checked against several counters at once (per-key window and
// daily quota) and counted in all of them only if all admit it, so a refused request
// never eats into a quota, and N instances together never admit more than a limit.
import type { Redis } from 'ioredis';
import { KaifangError } from '../errors';
import type { Logger } from '../logger';

export interface LimitCheck {
  /** Counter name, for example `key:<id>:window` or `ip:<address>:public`. */
  name: string;
  /** Policy name shown in the RateLimit headers. */
  policy: string;
  limit: number;
  windowSeconds: number;
}

export interface LimitState {
  policy: string;
  limit: number;
  windowSeconds: number;
  /** Requests left in the window after this one. */
  remaining: number;
  /** When the window ends, epoch milliseconds. */
  resetAtMs: number;
}

export interface LimitDecision {
  allowed: boolean;
  /** One per check, in order. */
  states: LimitState[];
  /** Which store answered: `redis`, or `memory` (also when falling back from Redis). */
  store: 'memory' | 'redis';
}

export interface RateLimiter {
  readonly kind: 'memory' | 'redis';
  consume(checks: LimitCheck[], nowMs: number): Promise<LimitDecision>;
}

function windowOf(check: LimitCheck, nowMs: number) {
  const windowMs = check.windowSeconds * 1000;
  const startMs = Math.floor(nowMs / windowMs) * windowMs;
  return { startMs, resetAtMs: startMs + windowMs };
}

function decide(checks: LimitCheck[], nowMs: number, counts: number[], allowed: boolean, store: LimitDecision['store']): LimitDecision {
  return {
    allowed,
    store,
    states: checks.map((check, i) => ({
      policy: check.policy,
      limit: check.limit,
      windowSeconds: check.windowSeconds,
      remaining: Math.max(0, check.limit - counts[i]!),
      resetAtMs: windowOf(check, nowMs).resetAtMs,
    })),
  };
}

/** Per-instance counters in a bounded map; the oldest counters go first when it is full. */
export function memoryRateLimiter(maxCounters = 100_000): RateLimiter {
  const counters = new Map<string, { startMs: number; count: number }>();
  const current = (name: string, startMs: number) => {
    const counter = counters.get(name);
    return counter && counter.startMs === startMs ? counter.count : 0;
  };
  return {
    kind: 'memory',
    async consume(checks, nowMs) {
      const windows = checks.map((check) => windowOf(check, nowMs));
      const counts = checks.map((check, i) => current(check.name, windows[i]!.startMs));
      const allowed = checks.every((check, i) => counts[i]! < check.limit);
      if (allowed) {
        checks.forEach((check, i) => {
          counts[i]! += 1;
          counters.delete(check.name);
          counters.set(check.name, { startMs: windows[i]!.startMs, count: counts[i]! });
        });
        while (counters.size > maxCounters) counters.delete(counters.keys().next().value as string);
      }
      return decide(checks, nowMs, counts, allowed, 'memory');
    },
  };
}

// KEYS: one counter per check (its window start is part of the name).
// ARGV: the limit of each check, then the time-to-live in ms of each.
// Reads every counter, and only if all are under their limits increments them all,
// in one atomic step, so concurrent instances cannot both take the last request.
const CONSUME_SCRIPT = `
local n = #KEYS
local counts = {}
local allowed = 1
for i = 1, n do
  counts[i] = tonumber(redis.call('GET', KEYS[i]) or '0')
  if counts[i] >= tonumber(ARGV[i]) then allowed = 0 end
end
if allowed == 1 then
  for i = 1, n do
    counts[i] = redis.call('INCR', KEYS[i])
    if counts[i] == 1 then redis.call('PEXPIRE', KEYS[i], ARGV[n + i]) end
  end
end
table.insert(counts, 1, allowed)
return counts
`;

/** The script as a command; ioredis runs it with EVALSHA and loads it on NOSCRIPT. */
type WithConsume = Redis & { kaifangConsume(numberOfKeys: number, ...args: (string | number)[]): Promise<number[]> };

/**
 * Redis counters with a Lua script; when Redis does not answer within `timeoutMs`,
 * `failure` decides: `local` answers from per-instance memory counters (logged once per
 * outage), `closed` refuses with a 503 problem.
 */
export function redisRateLimiter(
  redis: Redis,
  options: { prefix: string; timeoutMs: number; failure: 'local' | 'closed'; logger: Logger; fallback?: RateLimiter; onFallback?: () => void },
): RateLimiter {
  redis.defineCommand('kaifangConsume', { lua: CONSUME_SCRIPT });
  const scripted = redis as WithConsume;
  const fallback = options.fallback ?? memoryRateLimiter();
  let outage = false;
  return {
    kind: 'redis',
    async consume(checks, nowMs) {
      const windows = checks.map((check) => windowOf(check, nowMs));
      const keys = checks.map((check, i) => `${options.prefix}rl:${check.name}:${windows[i]!.startMs}`);
      // A counter lives a little past its window so clocks slightly apart still share it.
      const ttls = windows.map((window) => window.resetAtMs - nowMs + 60_000);
      let timer: NodeJS.Timeout | undefined;
      try {
        const reply = await Promise.race([
          scripted.kaifangConsume(keys.length, ...keys, ...checks.map((check) => check.limit), ...ttls),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`Redis did not answer within ${options.timeoutMs} ms`)), options.timeoutMs);
          }),
        ]);
        if (outage) {
          outage = false;
          options.logger.info('Redis rate limiting restored');
        }
        const [allowed, ...counts] = reply.map(Number);
        return decide(checks, nowMs, counts, allowed === 1, 'redis');
      } catch (error) {
        if (!outage) {
          outage = true;
          options.logger.error({ err: error, failure: options.failure }, 'Redis rate limiting unavailable');
        }
        options.onFallback?.();
        if (options.failure === 'closed') {
          throw new KaifangError('rate_limiter_unavailable', 'Rate limits cannot be checked right now, so the request was not admitted. Retry shortly.', {
            extras: { retryAfterSeconds: 1 },
          });
        }
        return fallback.consume(checks, nowMs);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
