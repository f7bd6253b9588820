import { eq } from 'drizzle-orm';
import type { StewardIdentity } from '../auth/identity';
import type { Database } from '../db/client';
import { KaifangError } from '../errors';
import { assertActsFor } from './permissions';
import { recordEvent } from './record-event';
import { datasets, publishers, type FieldDeclaration } from './tables';

export interface DatasetInput {
  slug: string;
  publisher: string;
  title: string;
  description: string;
  theme: string;
  keywords: string[];
  licence: string;
  updateFrequency: string;
  contact: string;
  openTier: 'unconditional' | 'conditional' | 'not_open';
  dataGrade: 'general' | 'important' | 'core';
  personLevel: boolean;
  /** Steward declarations by source column header. */
  declarations: Record<string, FieldDeclaration>;
}

export async function createDataset(db: Database, identity: StewardIdentity, input: DatasetInput, nowMs: number) {
  assertActsFor(identity, input.publisher, ['steward']);
  return db.orm.transaction(async (tx) => {
    const [publisher] = await tx.select().from(publishers).where(eq(publishers.slug, input.publisher));
    if (!publisher) throw new KaifangError('unprocessable', `No publisher "${input.publisher}" is registered.`, { errors: [{ location: 'body.publisher', message: 'unknown publisher' }] });
    const { publisher: _slug, ...rest } = input;
    const [created] = await tx
      .insert(datasets)
      .values({ ...rest, publisherId: publisher.id, createdBy: identity.subject, createdAt: new Date(nowMs), updatedAt: new Date(nowMs) })
      .onConflictDoNothing({ target: datasets.slug })
      .returning();
    if (!created) throw new KaifangError('conflict', `A dataset with slug "${input.slug}" already exists.`);
    await recordEvent(tx, { datasetId: created.id, action: 'dataset_created', actor: identity.subject, atMs: nowMs });
    return { ...created, publisher: publisher.slug };
  });
}
