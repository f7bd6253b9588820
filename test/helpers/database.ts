// Each test file gets a database of its own: an in-memory PGlite by default, or a
// freshly created Postgres database when TEST_DATABASE_URL is set (dropped after).
// A set but unreachable TEST_DATABASE_URL fails the suite instead of skipping it.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { openDatabase, type Database, type DatabaseTarget } from '../../src/db/client';

export interface TestDatabase {
  db: Database;
  target: DatabaseTarget;
  /** Closes the connection and, on Postgres, drops the database. */
  dispose(): Promise<void>;
}

export const testDatabaseUrl = process.env.TEST_DATABASE_URL || undefined;

export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const target = testDatabaseUrl ? await createPostgresDatabase(testDatabaseUrl) : ({ kind: 'embedded' } as const);
  const db = await openDatabase(target);
  if (options.migrate !== false) await db.migrate();
  return {
    db,
    target,
    async dispose() {
      await db.close();
      if (target.kind === 'postgres' && testDatabaseUrl) await dropPostgresDatabase(testDatabaseUrl, target.url);
    },
  };
}

async function createPostgresDatabase(adminUrl: string): Promise<DatabaseTarget> {
  const name = `kaifang_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    await admin.unsafe(`create database ${name}`);
  } catch (error) {
    throw new Error(`TEST_DATABASE_URL is set but Postgres cannot be used: ${(error as Error).message}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { kind: 'postgres', url: url.toString(), poolMax: 5 };
}

export async function dropPostgresDatabase(adminUrl: string, databaseUrl: string): Promise<void> {
  const name = new URL(databaseUrl).pathname.slice(1);
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
  } finally {
    await admin.end();
  }
}
