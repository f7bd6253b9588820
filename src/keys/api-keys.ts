// Key lifecycle: create, list, rotate (the old key keeps working for a grace period),
// revoke. Every query is scoped by account id: a key can only ever reach its own
// account's keys, and someone else's key id answers exactly like an unknown one.
import { and, asc, eq } from 'drizzle-orm';
import type { Clock } from '../clock';
import type { Orm } from '../db/client';
import { actors, appendAudit } from '../audit/index';
import { KaifangError } from '../errors';
import { generateKey } from './key-format';
import type { Scope } from './scopes';
import { apiKeys } from './tables';

export type ApiKeyRow = typeof apiKeys.$inferSelect;

export type KeyStatus = 'active' | 'rotating' | 'expired' | 'revoked';

export interface IssuedKey {
  row: ApiKeyRow;
  /** The full key; shown once and never again. */
  key: string;
}

export function keyStatus(row: ApiKeyRow, nowMs: number): KeyStatus {
  if (row.revokedAt) return 'revoked';
  if (row.expiresAt && row.expiresAt.getTime() <= nowMs) return 'expired';
  return row.rotatedToId ? 'rotating' : 'active';
}

/** Issues a key; `tx` must be a transaction, which also carries the audit entry. */
export async function createKey(
  tx: Orm,
  clock: Clock,
  input: { accountId: string; name: string; scopes: Scope[]; expiresAtMs: number | null },
): Promise<IssuedKey> {
  const { key, hash, displayPrefix } = generateKey();
  const [row] = await tx
    .insert(apiKeys)
    .values({
      accountId: input.accountId,
      name: input.name,
      keyHash: hash,
      displayPrefix,
      scopes: [...new Set(input.scopes)],
      createdAt: new Date(clock.nowMs()),
      expiresAt: input.expiresAtMs === null ? null : new Date(input.expiresAtMs),
    })
    .returning();
  await appendAudit(tx, {
    actor: actors.account(input.accountId),
    action: 'key.created',
    target: `key:${row!.id}`,
    details: { scopes: row!.scopes, expiresAt: row!.expiresAt?.toISOString() ?? null },
    atMs: clock.nowMs(),
  });
  return { row: row!, key };
}

export async function listKeys(orm: Orm, accountId: string): Promise<ApiKeyRow[]> {
  return orm.select().from(apiKeys).where(eq(apiKeys.accountId, accountId)).orderBy(asc(apiKeys.createdAt), asc(apiKeys.id));
}

async function ownKeyForUpdate(orm: Orm, accountId: string, keyId: string): Promise<ApiKeyRow> {
  const [row] = await orm
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.accountId, accountId)))
    .for('update');
  if (!row) throw new KaifangError('not_found', 'No key with this id belongs to your account.');
  return row;
}

/**
 * Issues a replacement with the same name, scopes and expiry; the old key stops at
 * `now + graceSeconds` (or its own earlier expiry). A key is rotated at most once.
 */
export async function rotateKey(orm: Orm, clock: Clock, input: { accountId: string; keyId: string; graceSeconds: number }): Promise<{ issued: IssuedKey; old: ApiKeyRow }> {
  const nowMs = clock.nowMs();
  return orm.transaction(async (tx) => {
    const old = await ownKeyForUpdate(tx, input.accountId, input.keyId);
    const status = keyStatus(old, nowMs);
    if (status !== 'active') throw new KaifangError('conflict', `This key is ${status === 'rotating' ? 'already rotated' : status} and cannot be rotated.`);
    const issued = await createKey(tx, clock, {
      accountId: old.accountId,
      name: old.name,
      scopes: old.scopes as Scope[],
      expiresAtMs: old.expiresAt?.getTime() ?? null,
    });
    const graceEndMs = nowMs + input.graceSeconds * 1000;
    const [updated] = await tx
      .update(apiKeys)
      .set({ rotatedToId: issued.row.id, expiresAt: new Date(Math.min(graceEndMs, old.expiresAt?.getTime() ?? Infinity)) })
      .where(eq(apiKeys.id, old.id))
      .returning();
    await appendAudit(tx, {
      actor: actors.account(input.accountId),
      action: 'key.rotated',
      target: `key:${old.id}`,
      details: { replacedBy: issued.row.id, oldKeyExpiresAt: updated!.expiresAt?.toISOString() ?? null },
      atMs: nowMs,
    });
    return { issued, old: updated! };
  });
}

/** Revokes a key of the account; revoking a revoked key changes nothing and is not an error. */
export async function revokeKey(orm: Orm, clock: Clock, input: { accountId: string; keyId: string }): Promise<ApiKeyRow> {
  return orm.transaction(async (tx) => {
    const row = await ownKeyForUpdate(tx, input.accountId, input.keyId);
    if (row.revokedAt) return row;
    const [updated] = await tx.update(apiKeys).set({ revokedAt: new Date(clock.nowMs()) }).where(eq(apiKeys.id, row.id)).returning();
    await appendAudit(tx, { actor: actors.account(input.accountId), action: 'key.revoked', target: `key:${row.id}`, atMs: clock.nowMs() });
    return updated!;
  });
}
