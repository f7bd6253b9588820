import { sql } from 'drizzle-orm';
import type { Database } from './client';
import { kaifangMeta } from './meta-table';

export interface InstanceRecord {
  firstStartedAt: string;
  lastStartedAt: string;
  starts: number;
}

/**
 * Counts server starts against this database. Operators read it to tell a fresh
 * database from a reused one (and the embedded seeder uses "first start" to decide).
 */
export async function recordStart(db: Database, nowMs: number): Promise<InstanceRecord> {
  const now = new Date(nowMs).toISOString();
  const initial: InstanceRecord = { firstStartedAt: now, lastStartedAt: now, starts: 1 };
  const [row] = await db.orm
    .insert(kaifangMeta)
    .values({ key: 'instance', value: initial })
    .onConflictDoUpdate({
      target: kaifangMeta.key,
      set: {
        value: sql`jsonb_build_object(
          'firstStartedAt', ${kaifangMeta.value}->'firstStartedAt',
          'lastStartedAt', ${now}::text,
          'starts', (${kaifangMeta.value}->>'starts')::int + 1)`,
        updatedAt: sql`now()`,
      },
    })
    .returning({ value: kaifangMeta.value });
  return row!.value as InstanceRecord;
}
