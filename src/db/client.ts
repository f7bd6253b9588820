// The data layer talks to one `Database`, whichever backend is behind it: PGlite
// (Postgres in WebAssembly, the embedded default) or postgres.js against a real
// server. The two drivers return raw query results in different shapes; this file is
// the only place that knows.
import type { PGlite } from '@electric-sql/pglite';
import { sql, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema';
import { packagePath } from '../package-root';

export type Schema = typeof schema;
/** A drizzle database or transaction over either backend. */
export type Orm = PgDatabase<PgQueryResultHKT, Schema>;

export type DatabaseTarget =
  | { kind: 'embedded'; dataDir?: string }
  | { kind: 'postgres'; url: string; poolMax?: number };

export type Driver = { kind: 'pglite'; client: PGlite } | { kind: 'postgres'; client: postgres.Sql };

export interface Database {
  readonly kind: Driver['kind'];
  readonly orm: Orm;
  /** The underlying client, for the few things drizzle does not cover (COPY, LISTEN). */
  readonly driver: Driver;
  /** Runs a drizzle `sql` query on the database or on a transaction and returns its rows. */
  rows<Row = Record<string, unknown>>(query: SQL, on?: Orm): Promise<Row[]>;
  /** Resolves when the database answers within `timeoutMs`; rejects otherwise. */
  ping(timeoutMs?: number): Promise<void>;
  migrate(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The postgres.js transaction behind a drizzle transaction on the postgres backend, for
 * what drizzle does not cover inside a transaction (`COPY ... FROM STDIN`); undefined on
 * PGlite. drizzle keeps it as its session's client. postgres.js' `begin` cannot be used
 * instead with drizzle on top: its transaction-scoped `sql` lacks the `options` drizzle
 * configures. If a drizzle upgrade moves it, this returns undefined and callers take
 * their drizzle-only path (bench/import.ts checks that it is found).
 */
export function postgresTransactionOf(tx: Orm): postgres.TransactionSql | undefined {
  const client: unknown = (tx as unknown as { session?: { client?: unknown } }).session?.client;
  // Only a transaction's `sql` has `savepoint`; the pool's has `begin` instead.
  if (typeof client !== 'function' || typeof (client as { savepoint?: unknown }).savepoint !== 'function') return undefined;
  return client as postgres.TransactionSql;
}

const MIGRATIONS_DIR = packagePath('src', 'db', 'migrations');
const DEFAULT_PING_TIMEOUT_MS = 2000;
/**
 * The planner's cost of a random page read, set on Kaifang's own connections. Postgres'
 * default (4) assumes spinning disks; with it, a filtered page such as `district = $1
 * order by _kf_row limit 101` walks the primary key and discards ten rows for each one it
 * keeps, where the (district, _kf_row) index publishing built reads exactly the page: 0.33
 * against 0.08 ms on a 1M-row table (docs/benchmarks.md), and the difference grows as the
 * filtered value gets rarer. 1.1 is the usual setting for SSDs and data held in memory.
 */
const RANDOM_PAGE_COST = 1.1;

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if (target.kind === 'embedded') {
    // Loaded only here: PGlite's module alone costs about 40 MiB of memory, which a
    // process serving real Postgres should not carry.
    const [{ PGlite }, { pg_trgm }, { drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
      import('@electric-sql/pglite'),
      import('@electric-sql/pglite/contrib/pg_trgm'),
      import('drizzle-orm/pglite'),
      import('drizzle-orm/pglite/migrator'),
    ]);
    // No dataDir: an in-memory database, used by tests.
    const client = await PGlite.create(target.dataDir, { extensions: { pg_trgm } });
    await client.exec(`set random_page_cost = ${RANDOM_PAGE_COST}`);
    const orm = drizzlePglite(client, { schema }) as unknown as Orm;
    return makeDatabase({ kind: 'pglite', client }, orm, () => migratePglite(orm as never, { migrationsFolder: MIGRATIONS_DIR }));
  }
  const client = postgres(target.url, {
    max: target.poolMax ?? 10,
    connect_timeout: 5,
    idle_timeout: 30,
    // Notices such as "extension already exists" are not worth a log line.
    onnotice: () => {},
    connection: { random_page_cost: String(RANDOM_PAGE_COST) },
  });
  const orm = drizzlePostgres(client, { schema }) as unknown as Orm;
  return makeDatabase({ kind: 'postgres', client }, orm, () => migratePostgres(orm as never, { migrationsFolder: MIGRATIONS_DIR }));
}

function makeDatabase(driver: Driver, orm: Orm, runMigrations: () => Promise<void>): Database {
  let closed = false;
  const rows = async <Row>(query: SQL, on: Orm = orm): Promise<Row[]> => {
    const result = (await on.execute(query)) as unknown;
    // postgres.js answers with an array of rows; PGlite with `{ rows }`.
    return (Array.isArray(result) ? result : (result as { rows: Row[] }).rows) as Row[];
  };
  return {
    kind: driver.kind,
    orm,
    driver,
    rows,
    async ping(timeoutMs = DEFAULT_PING_TIMEOUT_MS) {
      if (closed) throw new Error('database is closed');
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`database did not answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        await Promise.race([rows(sql`select 1`), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    migrate: runMigrations,
    async close() {
      if (closed) return;
      closed = true;
      if (driver.kind === 'pglite') await driver.client.close();
      else await driver.client.end({ timeout: 5 });
    },
  };
}
