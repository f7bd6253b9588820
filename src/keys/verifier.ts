// Key verification on the hot path: shape and checksum first (no I/O), then the SHA-256
// of the key looked up in a bounded in-process cache, and only on a miss or a stale
// entry in the database. Expiry is evaluated on every use with the injected clock, so
// a rotated key stops at the end of its grace period without any broadcast; revocation,
// suspension and plan changes arrive through the revocation bus.
import { sql } from 'drizzle-orm';
import type { Clock } from '../clock';
import type { Database } from '../db/client';
import { KaifangError } from '../errors';
import { checkKeyShape, hashKey } from './key-format';
import { LruCache } from './lru-cache';
import type { Invalidation } from './revocation-bus';
import type { Scope } from './scopes';

/** What a verified key lets the request do; set as `c.var.apiKey`. */
export interface VerifiedKey {
  keyId: string;
  accountId: string;
  scopes: Scope[];
  plan: string;
  /** Epoch ms, or null for a key that does not expire. */
  expiresAtMs: number | null;
}

interface KeyRecord extends VerifiedKey {
  revoked: boolean;
  accountStatus: 'active' | 'suspended';
}

interface CacheEntry {
  /** Undefined: no key has this hash (cached too, so guessed keys cost one lookup each). */
  record: KeyRecord | undefined;
  fetchedAtMs: number;
  /** The invalidation generation the lookup started in. */
  generation: number;
}

export type VerifyOutcome = 'cache_hit' | 'cache_miss';

export interface KeyVerifier {
  /** Resolves with the key's grants, or throws `invalid_api_key` / `account_suspended`. */
  verify(key: string): Promise<VerifiedKey>;
  invalidate(message: Invalidation): void;
  clear(): void;
  cacheSize(): number;
}

export function createKeyVerifier(
  db: Database,
  clock: Clock,
  options: { freshMs: number; maxEntries: number; cacheTrusted: () => boolean; onOutcome?: (outcome: VerifyOutcome) => void },
): KeyVerifier {
  const cache = new LruCache<string, CacheEntry>(options.maxEntries);
  // Concurrent misses for one key share a single query.
  const inflight = new Map<string, Promise<CacheEntry>>();
  // Bumped by every invalidation: a lookup that started before a revocation may have
  // read the old row, so its answer is used once but not cached.
  let generation = 0;

  const load = (hash: string): Promise<CacheEntry> => {
    let pending = inflight.get(hash);
    if (!pending) {
      const fetchedAtMs = clock.nowMs();
      const startedIn = generation;
      pending = db
        .rows<{ key_id: string; account_id: string; scopes: string[]; plan: string; expires_at: string | Date | null; revoked_at: unknown; status: 'active' | 'suspended' }>(sql`
          select k.id as key_id, k.account_id, k.scopes, a.plan, k.expires_at, k.revoked_at, a.status
          from api_keys k join developer_accounts a on a.id = k.account_id
          where k.key_hash = ${hash}`)
        .then(([row]) => ({
          fetchedAtMs,
          generation: startedIn,
          record: row && {
            keyId: row.key_id,
            accountId: row.account_id,
            scopes: row.scopes as Scope[],
            plan: row.plan,
            expiresAtMs: row.expires_at === null ? null : new Date(row.expires_at).getTime(),
            revoked: row.revoked_at !== null,
            accountStatus: row.status,
          },
        }))
        .finally(() => inflight.delete(hash));
      inflight.set(hash, pending);
    }
    return pending;
  };

  return {
    async verify(key) {
      const problem = checkKeyShape(key);
      if (problem === 'malformed') throw new KaifangError('invalid_api_key', 'The API key is malformed: a Kaifang key starts with `kf_live_` followed by 28 letters and digits.');
      if (problem === 'checksum') throw new KaifangError('invalid_api_key', 'The API key fails its checksum: it was mistyped or truncated. Copy it again.');
      const hash = hashKey(key);
      const nowMs = clock.nowMs();
      let entry = options.cacheTrusted() ? cache.get(hash) : undefined;
      if (entry && nowMs - entry.fetchedAtMs < options.freshMs) {
        options.onOutcome?.('cache_hit');
      } else {
        entry = await load(hash);
        if (entry.generation === generation) cache.set(hash, entry);
        options.onOutcome?.('cache_miss');
      }
      const record = entry.record;
      if (!record || record.revoked) throw new KaifangError('invalid_api_key', 'The API key is not valid: it is unknown or has been revoked.');
      if (record.expiresAtMs !== null && record.expiresAtMs <= nowMs) {
        throw new KaifangError('invalid_api_key', `The API key expired at ${new Date(record.expiresAtMs).toISOString()} (a rotated key stops when its grace period ends).`);
      }
      if (record.accountStatus !== 'active') throw new KaifangError('account_suspended', 'The developer account of this key is suspended; all its keys are refused.');
      return { keyId: record.keyId, accountId: record.accountId, scopes: record.scopes, plan: record.plan, expiresAtMs: record.expiresAtMs };
    },
    invalidate(message) {
      generation++;
      cache.deleteWhere((entry) => (message.kind === 'key' ? entry.record?.keyId === message.id : entry.record?.accountId === message.id));
    },
    clear: () => {
      generation++;
      cache.clear();
    },
    cacheSize: () => cache.size,
  };
}
