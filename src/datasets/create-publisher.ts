import type { StewardIdentity } from '../auth/identity';
import type { Database } from '../db/client';
import { actors, appendAudit } from '../audit/index';
import { KaifangError } from '../errors';
import { publishers } from './tables';

export interface PublisherInput {
  slug: string;
  name: string;
}

/** Admins register departments; stewards and approvers are bound to one by their token's `publisher`. */
export async function createPublisher(db: Database, identity: StewardIdentity, input: PublisherInput, nowMs: number = Date.now()) {
  if (!identity.roles.includes('admin')) throw new KaifangError('forbidden', 'Only admins register publishers.');
  return db.orm.transaction(async (tx) => {
    const [created] = await tx.insert(publishers).values(input).onConflictDoNothing({ target: publishers.slug }).returning();
    if (!created) throw new KaifangError('conflict', `A publisher with slug "${input.slug}" already exists.`);
    await appendAudit(tx, { actor: actors.steward(identity.subject), action: 'publisher.created', target: `publisher:${created.slug}`, atMs: nowMs });
    return created;
  });
}
