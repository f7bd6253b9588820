// The audit chain's hashing rules, shared by the appender and the verifier. An entry's
// canonical form is JSON with keys sorted at every level, so the hash does not depend
// on the key order jsonb happens to return; the timestamp is ISO 8601 in milliseconds.
import { createHash } from 'node:crypto';

/** `prev_hash` of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedFields {
  seq: number;
  at: Date;
  actor: string;
  action: string;
  target: string;
  details: Record<string, unknown>;
  prevHash: string;
}

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, member]) => member !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`).join(',')}}`;
}

/** The canonical form of an entry: everything except its own hash. */
export function canonicalEntry(entry: ChainedFields): string {
  return canonicalJson({
    seq: entry.seq,
    at: entry.at.toISOString(),
    actor: entry.actor,
    action: entry.action,
    target: entry.target,
    details: entry.details,
    prevHash: entry.prevHash,
  });
}

export function entryHash(entry: ChainedFields): string {
  return createHash('sha256').update(canonicalEntry(entry), 'utf8').digest('hex');
}
