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

/** Appends a steward action to the dataset's history, inside the caller's transaction. */
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
}
