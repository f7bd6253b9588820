import { createHash } from 'node:crypto';
import { actors, appendAudit } from '../audit/index';
import type { Orm } from '../db/client';
import { datasetEvents } from './tables';

export interface DatasetEvent {
  datasetId: string;
  versionNumber?: number;
  action: string;
  actor: string;
  reason?: string;
  details?: Record<string, unknown>;
  atMs: number;
}

/**
 * Appends a steward action to the dataset's history and to the audit log, inside the
 * caller's transaction. The audit entry carries the SHA-256 of the reason, not its
 * text: a reason is free text and may name people, and the hash still shows any later
 * edit of the reason kept in dataset_events.
 */
export async function recordEvent(tx: Orm, event: DatasetEvent): Promise<void> {
  await tx.insert(datasetEvents).values({
    datasetId: event.datasetId,
    versionNumber: event.versionNumber,
    action: event.action,
    actor: event.actor,
    reason: event.reason,
    details: event.details ?? {},
    at: new Date(event.atMs),
  });
  await appendAudit(tx, {
    actor: actors.steward(event.actor),
    action: `dataset.${event.action}`,
    target: `dataset:${event.datasetId}`,
    details: {
      ...event.details,
      ...(event.versionNumber === undefined ? {} : { version: event.versionNumber }),
      ...(event.reason === undefined ? {} : { reasonSha256: createHash('sha256').update(event.reason, 'utf8').digest('hex') }),
    },
    atMs: event.atMs,
  });
}
