// A scratch database per benchmark run, created from an admin URL and dropped afterwards,
// so benchmarks never touch data they did not make.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

export const BENCH_ADMIN_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

export async function createBenchDatabase(adminUrl = BENCH_ADMIN_URL): Promise<string> {
  const name = `kaifang_bench_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropBenchDatabase(databaseUrl: string, adminUrl = BENCH_ADMIN_URL): Promise<void> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${new URL(databaseUrl).pathname.slice(1)} with (force)`);
  } finally {
    await admin.end();
  }
}
