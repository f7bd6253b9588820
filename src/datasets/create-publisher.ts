import type { StewardIdentity } from '../auth/identity';
import type { Database } from '../db/client';
import { KaifangError } from '../errors';
import { publishers } from './tables';

export interface PublisherInput {
  slug: string;
  name: string;
}

/** Admins register departments; stewards and approvers are bound to one by their token's `publisher`. */
export async function createPublisher(db: Database, identity: StewardIdentity, input: PublisherInput) {
  if (!identity.roles.includes('admin')) throw new KaifangError('forbidden', 'Only admins register publishers.');
  const [created] = await db.orm.insert(publishers).values(input).onConflictDoNothing({ target: publishers.slug }).returning();
  if (!created) throw new KaifangError('conflict', `A publisher with slug "${input.slug}" already exists.`);
  return created;
}
