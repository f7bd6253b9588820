import type { Role, StewardIdentity } from '../auth/identity';
import { KaifangError } from '../errors';

/**
 * Stewards and approvers act only for their own publisher; admins act for any.
 * Refusals say which role or publisher was needed, never what the other publisher holds.
 */
export function assertActsFor(identity: StewardIdentity, publisherSlug: string, roles: Role[]): void {
  if (identity.roles.includes('admin')) return;
  if (!identity.roles.some((role) => roles.includes(role))) {
    throw new KaifangError('forbidden', `This operation needs one of the roles: ${roles.join(', ')}.`);
  }
  if (identity.publisher !== publisherSlug) {
    throw new KaifangError('forbidden', 'You can act only on datasets of your own publisher.');
  }
}

/** Reading a dataset's admin view: its publisher's staff, and auditors and admins of any publisher. */
export function assertMayRead(identity: StewardIdentity, publisherSlug: string): void {
  if (identity.roles.includes('admin') || identity.roles.includes('auditor')) return;
  if (identity.publisher !== publisherSlug) {
    throw new KaifangError('not_found', 'No such dataset.');
  }
}
