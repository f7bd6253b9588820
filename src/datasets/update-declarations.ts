import { eq } from 'drizzle-orm';
import type { StewardIdentity } from '../auth/identity';
import type { Clock } from '../clock';
import type { Database, Orm } from '../db/client';
import { KaifangError, type FieldIssue } from '../errors';
import { resolveColumnAction, type Action, type Policy, type PrivacyType, type Role } from '../privacy/index';
import { findDataset } from './find-dataset';
import { assertActsFor } from './permissions';
import { recordEvent } from './record-event';
import { datasets, type FieldDeclaration } from './tables';

/**
 * Replaces the steward's column declarations. Each is checked against the policy now,
 * so a steward learns at once that, say, a resident ID cannot be kept in open data;
 * they apply from the next import on.
 */
export async function updateDeclarations(
  ctx: { db: Database; policy: Policy; clock: Clock },
  identity: StewardIdentity,
  idOrSlug: string,
  declarations: Record<string, FieldDeclaration>,
) {
  const { dataset, publisherSlug } = await findDataset(ctx.db, idOrSlug);
  assertActsFor(identity, publisherSlug, ['steward']);
  if (dataset.openTier !== 'not_open') {
    const issues: FieldIssue[] = [];
    for (const [title, declaration] of Object.entries(declarations)) {
      if (!declaration.type) {
        if (declaration.role || declaration.action) issues.push({ location: `body.${title}.type`, message: 'a role or action needs the type the column holds' });
        continue;
      }
      try {
        resolveColumnAction(ctx.policy, {
          type: declaration.type as PrivacyType,
          role: declaration.role as Role | undefined,
          tier: dataset.openTier,
          requested: declaration.action as Action | undefined,
        });
      } catch (error) {
        if (!(error instanceof KaifangError)) throw error;
        issues.push({ location: `body.${title}`, message: error.message });
      }
    }
    if (issues.length > 0) throw new KaifangError('unprocessable', 'The policy does not allow some declarations.', { errors: issues });
  }
  const nowMs = ctx.clock.nowMs();
  return ctx.db.orm.transaction(async (tx) => {
    const [updated] = await tx.update(datasets).set({ declarations, updatedAt: new Date(nowMs) }).where(eq(datasets.id, dataset.id)).returning();
    await recordEvent(tx as Orm, { datasetId: dataset.id, action: 'declarations_updated', actor: identity.subject, details: { columns: Object.keys(declarations).length }, atMs: nowMs });
    return { dataset: updated!, publisherSlug };
  });
}
