// Walks the audit log in sequence order and reports the first broken link: an edited
// entry (its hash no longer matches its content), a removed or reordered one (a gap in
// the sequence, or a prev_hash that is not the previous entry's hash), or entries cut
// from the end (the chain head no longer matches the last entry).
import { asc, eq, gt } from 'drizzle-orm';
import type { Database } from '../db/client';
import { entryHash, GENESIS_HASH } from './chain';
import { auditChainHead, auditLog } from './tables';

const VERIFY_BATCH_ROWS = 2000;

export type BrokenReason = 'hash_mismatch' | 'prev_hash_mismatch' | 'sequence_gap' | 'head_mismatch';

export interface ChainReport {
  ok: boolean;
  /** Entries read. */
  entries: number;
  /** Sequence number and hash of the last entry that verified, or 0 and the genesis hash. */
  lastGoodSeq: number;
  lastGoodHash: string;
  broken: { seq: number; reason: BrokenReason; detail: string } | null;
}

export async function verifyAuditChain(db: Database): Promise<ChainReport> {
  let expectedSeq = 1;
  let previousHash = GENESIS_HASH;
  let entries = 0;
  const fail = (seq: number, reason: BrokenReason, detail: string): ChainReport => ({
    ok: false,
    entries,
    lastGoodSeq: expectedSeq - 1,
    lastGoodHash: previousHash,
    broken: { seq, reason, detail },
  });
  let after = 0;
  for (;;) {
    const batch = await db.orm.select().from(auditLog).where(gt(auditLog.seq, after)).orderBy(asc(auditLog.seq)).limit(VERIFY_BATCH_ROWS);
    for (const row of batch) {
      entries++;
      if (row.seq !== expectedSeq) {
        return fail(expectedSeq, 'sequence_gap', `entry ${expectedSeq} is missing: the next entry present is ${row.seq} (removed or renumbered)`);
      }
      if (entryHash(row) !== row.hash) return fail(row.seq, 'hash_mismatch', `entry ${row.seq} does not match its hash (edited or moved)`);
      if (row.prevHash !== previousHash) {
        return fail(row.seq, 'prev_hash_mismatch', `entry ${row.seq} does not link to entry ${row.seq - 1} (an entry before it was replaced or reordered)`);
      }
      previousHash = row.hash;
      expectedSeq++;
    }
    if (batch.length < VERIFY_BATCH_ROWS) break;
    after = batch.at(-1)!.seq;
  }
  const [head] = await db.orm.select().from(auditChainHead).where(eq(auditChainHead.id, 1));
  const lastSeq = expectedSeq - 1;
  if ((head?.seq ?? 0) !== lastSeq || (head?.hash ?? GENESIS_HASH) !== previousHash) {
    return fail(lastSeq + 1, 'head_mismatch', `the chain head records entry ${head?.seq ?? 0}, the log ends at entry ${lastSeq} (entries removed from the end, or the head edited)`);
  }
  return { ok: true, entries, lastGoodSeq: lastSeq, lastGoodHash: previousHash, broken: null };
}
