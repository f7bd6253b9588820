import { eq } from 'drizzle-orm';
import type { StewardIdentity } from '../../auth/identity';
import type { Orm } from '../../db/client';
import { KaifangError } from '../../errors';
import type { ImportContext } from '../import-version';
import { assertActsFor } from '../permissions';
import { recordEvent } from '../record-event';
import { runGate } from '../run-gate';
import { datasetVersions } from '../tables';
import { quoteIdent, STAGING_SCHEMA } from '../version-table';
import { assertStatus, loadVersionForUpdate } from './load-version';

/** A steward of the publisher submits a draft for review; the gate must pass first. */
export async function submitVersion(ctx: Pick<ImportContext, 'db' | 'policy' | 'clock'>, identity: StewardIdentity, datasetId: string, versionNumber: number) {
  const { db, policy, clock } = ctx;
  const nowMs = clock.nowMs();
  const outcome = await db.orm.transaction(async (tx) => {
    const { dataset, version, publisherSlug } = await loadVersionForUpdate(db, tx as Orm, datasetId, versionNumber);
    assertActsFor(identity, publisherSlug, ['steward']);
    assertStatus(version.status, ['draft'], 'submit');
    const gate = await runGate(db, tx as Orm, policy, { dataset, version, table: `${STAGING_SCHEMA}.${quoteIdent(version.tableName)}` }, identity.subject, nowMs);
    if (!gate.passed) {
      // The failed report is kept on the draft so the steward sees what to fix.
      await tx.update(datasetVersions).set({ gate }).where(eq(datasetVersions.id, version.id));
      await recordEvent(tx as Orm, { datasetId, versionNumber, action: 'gate_failed', actor: identity.subject, details: { findings: gate.findings.length }, atMs: nowMs });
      return { gate, version: undefined };
    }
    const [updated] = await tx
      .update(datasetVersions)
      .set({ status: 'submitted', gate, submittedBy: identity.subject, submittedAt: new Date(nowMs) })
      .where(eq(datasetVersions.id, version.id))
      .returning();
    await recordEvent(tx as Orm, { datasetId, versionNumber, action: 'version_submitted', actor: identity.subject, atMs: nowMs });
    return { gate, version: updated! };
  });
  if (!outcome.version) throw gateRefusal(outcome.gate);
  return outcome.version;
}

export function gateRefusal(gate: { findings: { rule: string; column?: string; message: string }[] }) {
  return new KaifangError('unprocessable', `The publication gate found ${gate.findings.length} problem(s); nothing was published.`, {
    errors: gate.findings.map((finding) => ({ location: finding.column ? `column "${finding.column}" (${finding.rule})` : finding.rule, message: finding.message })),
    extras: { gate },
  });
}
