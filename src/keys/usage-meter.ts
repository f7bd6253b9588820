// Usage is counted in memory per key, hour, route and dataset and written in batches:
// no database write per request. A failed flush puts its counts back, so they go out
// with the next one; `close()` flushes what is left on graceful shutdown.
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import type { Logger } from '../logger';

const HOUR_MS = 3_600_000;
/** Rows per INSERT statement, well under Postgres' 65,535 bind parameters. */
const ROWS_PER_STATEMENT = 500;

export interface UsageEvent {
  keyId: string;
  accountId: string;
  route: string;
  datasetId: string | undefined;
  atMs: number;
  rows: number;
  bytes: number;
  error: boolean;
  /** Requests this event counts: 1 by default; 0 to add the rows and bytes a streamed response sent after its request was counted. */
  requests?: number;
}

interface Bucket {
  keyId: string;
  accountId: string;
  hourMs: number;
  route: string;
  datasetId: string;
  requests: number;
  rows: number;
  bytes: number;
  errors: number;
}

export interface UsageMeter {
  record(event: UsageEvent): void;
  /** Writes every pending bucket; concurrent calls share one write. */
  flush(): Promise<void>;
  /** Buckets waiting to be written. */
  pending(): number;
  /** Stops the timer and flushes what is left. */
  close(): Promise<void>;
}

export function createUsageMeter(db: Database, logger: Logger, options: { flushIntervalMs: number; maxEntries: number }): UsageMeter {
  let buckets = new Map<string, Bucket>();
  let flushing: Promise<void> | undefined;

  const add = (into: Map<string, Bucket>, bucket: Bucket) => {
    const id = `${bucket.keyId}|${bucket.hourMs}|${bucket.route}|${bucket.datasetId}`;
    const existing = into.get(id);
    if (!existing) {
      into.set(id, { ...bucket });
      return;
    }
    existing.requests += bucket.requests;
    existing.rows += bucket.rows;
    existing.bytes += bucket.bytes;
    existing.errors += bucket.errors;
  };

  const writeBatch = async (batch: Bucket[]) => {
    for (let i = 0; i < batch.length; i += ROWS_PER_STATEMENT) {
      const values = batch
        .slice(i, i + ROWS_PER_STATEMENT)
        .map((b) => sql`(${b.keyId}::uuid, ${b.accountId}::uuid, ${new Date(b.hourMs).toISOString()}::timestamptz, ${b.route}, ${b.datasetId}, ${b.requests}, ${b.rows}, ${b.bytes}, ${b.errors})`);
      await db.rows(sql`
        insert into key_usage (key_id, account_id, hour, route, dataset_id, requests, rows, bytes, errors)
        values ${sql.join(values, sql`, `)}
        on conflict (key_id, hour, route, dataset_id) do update set
          requests = key_usage.requests + excluded.requests,
          rows = key_usage.rows + excluded.rows,
          bytes = key_usage.bytes + excluded.bytes,
          errors = key_usage.errors + excluded.errors`);
    }
  };

  const flushOnce = async () => {
    if (buckets.size === 0) return;
    const taken = buckets;
    buckets = new Map();
    try {
      await writeBatch([...taken.values()]);
    } catch (error) {
      // Keep the counts: they are merged into whatever arrived meanwhile and retried.
      for (const bucket of taken.values()) add(buckets, bucket);
      logger.error({ err: error, buckets: taken.size }, 'usage flush failed; counts kept for the next flush');
      throw error;
    }
  };

  const flush = (): Promise<void> => {
    flushing ??= flushOnce().finally(() => {
      flushing = undefined;
    });
    return flushing;
  };

  const timer = setInterval(() => flush().catch(() => {}), options.flushIntervalMs);
  timer.unref();

  return {
    record(event) {
      add(buckets, {
        keyId: event.keyId,
        accountId: event.accountId,
        hourMs: Math.floor(event.atMs / HOUR_MS) * HOUR_MS,
        route: event.route,
        datasetId: event.datasetId ?? '',
        requests: event.requests ?? 1,
        rows: event.rows,
        bytes: event.bytes,
        errors: event.error ? 1 : 0,
      });
      if (buckets.size >= options.maxEntries) flush().catch(() => {});
    },
    flush,
    pending: () => buckets.size,
    async close() {
      clearInterval(timer);
      // A flush may be running; wait for it, then write whatever arrived after it started.
      await flushing?.catch(() => {});
      await flush();
    },
  };
}
