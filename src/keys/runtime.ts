// Builds the developer-access services of one process: the verifier with its cache,
// the revocation bus, the rate limiter and the usage meter. Used by the server runtime
// and by the test harness alike.
import type { Redis } from 'ioredis';
import { Counter, type Registry } from 'prom-client';
import type { Clock } from '../clock';
import type { KeysConfig } from '../config';
import type { Database } from '../db/client';
import type { Logger } from '../logger';
import { localBus, postgresBus, redisBus, type BusHandlers, type Invalidation, type RevocationBus } from './revocation-bus';
import { memoryRateLimiter, redisRateLimiter, type RateLimiter } from './rate-limiter';
import { createUsageMeter, type UsageMeter } from './usage-meter';
import { createKeyVerifier, type KeyVerifier } from './verifier';

export interface KeysRuntime {
  config: KeysConfig;
  verifier: KeyVerifier;
  limiter: RateLimiter;
  meter: UsageMeter;
  bus: RevocationBus;
  /** Drops cached verifications of a key or an account here and on every other instance. */
  invalidate(message: Invalidation): Promise<void>;
  /** Flushes usage and closes the Redis connections and the listener; call before closing the database. */
  close(): Promise<void>;
}

export async function createKeysRuntime(input: {
  config: KeysConfig;
  redisUrl: string | undefined;
  db: Database;
  clock: Clock;
  logger: Logger;
  registry: Registry;
}): Promise<KeysRuntime> {
  const { config, db, clock, logger } = input;
  const verifications = new Counter({
    name: 'kaifang_key_verifications_total',
    help: 'API key verifications that reached the cache, by outcome (cache_hit, cache_miss).',
    labelNames: ['outcome'],
    registers: [input.registry],
  });
  const fallbacks = new Counter({
    name: 'kaifang_rate_limit_redis_failures_total',
    help: 'Rate-limit checks Redis did not answer, handled by RATE_LIMIT_REDIS_FAILURE.',
    registers: [input.registry],
  });

  let bus: RevocationBus | undefined;
  const verifier = createKeyVerifier(db, clock, {
    freshMs: config.cacheFreshMs,
    maxEntries: config.cacheMaxEntries,
    cacheTrusted: () => bus?.connected() ?? false,
    onOutcome: (outcome) => verifications.inc({ outcome }),
  });
  const handlers: BusHandlers = { onInvalidate: (message) => verifier.invalidate(message), onResync: () => verifier.clear() };

  const redisConnections: Redis[] = [];
  let limiter: RateLimiter = memoryRateLimiter();
  if (input.redisUrl) {
    // Commands fail at once while Redis is away (no offline queue) so the failure
    // mode applies within REDIS_TIMEOUT_MS instead of requests piling up.
    const options = { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, connectTimeout: 2000, retryStrategy: (times: number) => Math.min(times * 200, 2000) };
    // Loaded only here: ioredis costs about 20 MiB of memory, which an instance without Redis should not carry.
    const { Redis } = await import('ioredis');
    const commands = new Redis(input.redisUrl, options);
    const subscriber = new Redis(input.redisUrl, { ...options, enableOfflineQueue: true, maxRetriesPerRequest: null });
    redisConnections.push(commands, subscriber);
    for (const connection of redisConnections) connection.on('error', () => {}); // reported through the failure paths, not per reconnect attempt
    await Promise.all(
      redisConnections.map((connection) =>
        connection.connect().catch((error: unknown) => logger.warn({ err: error }, `Redis is not reachable at start; rate limits use RATE_LIMIT_REDIS_FAILURE=${config.redisFailure}`)),
      ),
    );
    limiter = redisRateLimiter(commands, { prefix: config.redisKeyPrefix, timeoutMs: config.redisTimeoutMs, failure: config.redisFailure, logger, onFallback: () => fallbacks.inc() });
    bus = await redisBus(commands, subscriber, config.redisKeyPrefix, handlers, logger);
  } else if (db.driver.kind === 'postgres') {
    bus = await postgresBus(db, handlers, logger);
  } else {
    bus = localBus(handlers);
  }
  const meter = createUsageMeter(db, logger, { flushIntervalMs: config.usageFlushIntervalMs, maxEntries: config.usageFlushMaxEntries });
  const activeBus = bus;

  let closing: Promise<void> | undefined;
  return {
    config,
    verifier,
    limiter,
    meter,
    bus: activeBus,
    invalidate: (message) => activeBus.publish(message),
    close: () =>
      (closing ??= (async () => {
        try {
          await meter.close();
        } finally {
          await activeBus.close();
          for (const connection of redisConnections) connection.disconnect();
        }
      })()),
  };
}
