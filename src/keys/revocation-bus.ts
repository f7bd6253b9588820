// Revocations, suspensions, plan changes and rotations must win over every instance's
// verification cache within a second, so each change is broadcast: Redis pub/sub when
// REDIS_URL is set, Postgres LISTEN/NOTIFY otherwise, and in-process only on the
// embedded database (which a single process owns). While a subscription is down a
// message could be missed, so the verifier bypasses its cache until the bus is back,
// and clears the cache when it reconnects.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import type { Logger } from '../logger';

export type Invalidation = { kind: 'key'; id: string } | { kind: 'account'; id: string };

export interface RevocationBus {
  readonly transport: 'local' | 'postgres' | 'redis';
  /** Delivers `message` to every instance, this one included. */
  publish(message: Invalidation): Promise<void>;
  /** Whether broadcasts are being received; when false the cache must not be trusted. */
  connected(): boolean;
  close(): Promise<void>;
}

export interface BusHandlers {
  onInvalidate(message: Invalidation): void;
  /** Messages may have been missed (a reconnect): drop everything cached. */
  onResync(): void;
}

const CHANNEL = 'kaifang_key_invalidations';
/** How often the Postgres listener proves it still receives, by notifying itself. */
const PG_HEARTBEAT_MS = 2000;

function parse(payload: string): Invalidation | undefined {
  try {
    const value = JSON.parse(payload) as Partial<Invalidation>;
    if ((value.kind === 'key' || value.kind === 'account') && typeof value.id === 'string') return value as Invalidation;
  } catch {
    // Not ours; ignored.
  }
  return undefined;
}

export function localBus(handlers: BusHandlers): RevocationBus {
  return {
    transport: 'local',
    async publish(message) {
      handlers.onInvalidate(message);
    },
    connected: () => true,
    async close() {},
  };
}

/**
 * LISTEN/NOTIFY over postgres.js. postgres.js re-listens after a dropped connection but
 * gives up silently if that attempt fails, so the listener notifies itself every
 * PG_HEARTBEAT_MS and listens again when its own heartbeat stops arriving.
 */
export async function postgresBus(db: Database, handlers: BusHandlers, logger: Logger): Promise<RevocationBus> {
  if (db.driver.kind !== 'postgres') throw new Error('postgresBus needs a postgres.js database');
  const client = db.driver.client;
  const instance = randomUUID();
  let lastHeartbeatMs = 0;
  let listening = false;
  let unlisten: (() => Promise<void>) | undefined;
  let closed = false;

  const onNotify = (payload: string) => {
    if (payload === `heartbeat:${instance}`) {
      lastHeartbeatMs = performance.now();
      return;
    }
    const message = parse(payload);
    if (message) handlers.onInvalidate(message);
  };
  const listen = async () => {
    let first = true;
    const result = await client.listen(CHANNEL, onNotify, () => {
      listening = true;
      lastHeartbeatMs = performance.now();
      // A re-listen after a dropped connection: anything sent meanwhile is lost.
      if (!first) handlers.onResync();
      first = false;
    });
    unlisten = result.unlisten;
  };
  await listen();

  const heartbeat = setInterval(() => {
    if (closed) return;
    if (performance.now() - lastHeartbeatMs > PG_HEARTBEAT_MS * 2.5 && listening) {
      listening = false;
      logger.warn('key invalidation listener lost its connection; listening again (cache bypassed meanwhile)');
      void (async () => {
        try {
          await unlisten?.();
        } catch {
          // The connection is gone anyway.
        }
        try {
          await listen();
          handlers.onResync();
        } catch (error) {
          logger.warn({ err: error }, 'could not listen for key invalidations; retrying');
        }
      })();
    }
    client.notify(CHANNEL, `heartbeat:${instance}`).catch(() => {});
  }, PG_HEARTBEAT_MS);
  heartbeat.unref();

  return {
    transport: 'postgres',
    async publish(message) {
      handlers.onInvalidate(message);
      await db.rows(sql`select pg_notify(${CHANNEL}, ${JSON.stringify(message)})`);
    },
    connected: () => listening && performance.now() - lastHeartbeatMs < PG_HEARTBEAT_MS * 2.5,
    async close() {
      closed = true;
      clearInterval(heartbeat);
      await unlisten?.().catch(() => {});
    },
  };
}

/** Redis pub/sub; the subscriber is a dedicated connection (a subscribed connection can do nothing else). */
export async function redisBus(publisher: Redis, subscriber: Redis, prefix: string, handlers: BusHandlers, logger: Logger): Promise<RevocationBus> {
  const channel = `${prefix}${CHANNEL}`;
  let everReady = subscriber.status === 'ready';
  subscriber.on('message', (received: string, payload: string) => {
    if (received !== channel) return;
    const message = parse(payload);
    if (message) handlers.onInvalidate(message);
  });
  subscriber.on('ready', () => {
    if (everReady) handlers.onResync();
    everReady = true;
  });
  const subscribing = subscriber.subscribe(channel).catch((error: unknown) => {
    logger.warn({ err: error }, 'could not subscribe to key invalidations in Redis; the key cache is bypassed until it can');
  });
  // Redis down at start: the subscription is queued and sent when it connects; until
  // then connected() is false and the cache is bypassed, so there is nothing to wait for.
  if (subscriber.status === 'ready') await subscribing;
  return {
    transport: 'redis',
    async publish(message) {
      handlers.onInvalidate(message);
      try {
        await publisher.publish(channel, JSON.stringify(message));
      } catch (error) {
        // Other instances bypass their caches while they cannot reach Redis either; if
        // only this instance cannot, the freshness window bounds how long they trust it.
        logger.error({ err: error }, 'could not broadcast a key invalidation through Redis');
      }
    },
    connected: () => subscriber.status === 'ready',
    async close() {
      subscriber.disconnect();
    },
  };
}
