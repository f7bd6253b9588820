import { sql } from 'drizzle-orm';
import type { Database } from '../db/client';

export interface UsageRow {
  keyId: string;
  hour: string;
  route: string;
  datasetId: string | null;
  requests: number;
  rows: number;
  bytes: number;
  errors: number;
}

export interface UsageReport {
  from: string;
  to: string;
  totals: { requests: number; rows: number; bytes: number; errors: number };
  usage: UsageRow[];
}

/** An account's flushed usage between two instants (hours starting in [from, to)). */
export async function readUsage(db: Database, input: { accountId: string; fromMs: number; toMs: number; keyId?: string | undefined }): Promise<UsageReport> {
  const from = new Date(input.fromMs).toISOString();
  const to = new Date(input.toMs).toISOString();
  const rows = await db.rows<{ key_id: string; hour: string | Date; route: string; dataset_id: string; requests: string | number; rows: string | number; bytes: string | number; errors: string | number }>(sql`
    select key_id, hour, route, dataset_id, requests, rows, bytes, errors
    from key_usage
    where account_id = ${input.accountId}::uuid and hour >= ${from}::timestamptz and hour < ${to}::timestamptz
      ${input.keyId ? sql`and key_id = ${input.keyId}::uuid` : sql``}
    order by hour, key_id, route, dataset_id`);
  const usage = rows.map((row) => ({
    keyId: row.key_id,
    hour: new Date(row.hour).toISOString(),
    route: row.route,
    datasetId: row.dataset_id === '' ? null : row.dataset_id,
    requests: Number(row.requests),
    rows: Number(row.rows),
    bytes: Number(row.bytes),
    errors: Number(row.errors),
  }));
  const totals = { requests: 0, rows: 0, bytes: 0, errors: 0 };
  for (const row of usage) {
    totals.requests += row.requests;
    totals.rows += row.rows;
    totals.bytes += row.bytes;
    totals.errors += row.errors;
  }
  return { from, to, totals, usage };
}
