import { and, desc, eq, isNotNull, ne, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { KaifangError } from '../../errors';
import { publicFields, type DatasetField } from '../field-schema';
import { datasets, datasetVersions, publishers } from '../tables';

/** A field as developers see it: Table Schema shape, plus how its values were transformed. */
export interface PublicField {
  name: string;
  title: string;
  type: DatasetField['type'];
  description: string;
  constraints: { required: boolean };
  filterable: boolean;
  sortable: boolean;
  /** Present when values are not published as collected: `generalize`, `mask`, `pseudonymize` or `suppress`. */
  transform?: 'mask' | 'pseudonymize' | 'generalize' | 'suppress';
}

export function toPublicFields(fields: readonly DatasetField[]): PublicField[] {
  return publicFields(fields).map(({ classification, ...field }) => ({
    ...field,
    ...(classification.action === 'keep' || classification.action === 'drop' ? {} : { transform: classification.action }),
  }));
}

/** Datasets a developer may see: open (not `not_open`) with a current published version. */
export const visibleDataset = and(ne(datasets.openTier, 'not_open'), isNotNull(datasets.currentVersion));

/**
 * One visible dataset by id or slug with its publisher and published versions. Anything
 * else (not open, never published, everything withdrawn) is a 404, as if it did not exist.
 */
export async function getPublicDataset(db: Database, idOrSlug: string) {
  const byKey = /^[0-9a-f-]{36}$/i.test(idOrSlug) ? sql`(${datasets.id}::text = ${idOrSlug.toLowerCase()} or ${datasets.slug} = ${idOrSlug})` : eq(datasets.slug, idOrSlug);
  const [found] = await db.orm
    .select({ dataset: datasets, publisher: { slug: publishers.slug, name: publishers.name } })
    .from(datasets)
    .innerJoin(publishers, eq(publishers.id, datasets.publisherId))
    .where(and(byKey, visibleDataset));
  if (!found) throw new KaifangError('not_found', 'No open dataset with this id.');
  const versions = await db.orm
    .select({ number: datasetVersions.number, rowCount: datasetVersions.rowCount, publishedAt: datasetVersions.publishedAt, fields: datasetVersions.fields, tableName: datasetVersions.tableName })
    .from(datasetVersions)
    .where(and(eq(datasetVersions.datasetId, found.dataset.id), eq(datasetVersions.status, 'published')))
    .orderBy(desc(datasetVersions.number));
  const current = versions.find((version) => version.number === found.dataset.currentVersion);
  if (!current) throw new KaifangError('not_found', 'No open dataset with this id.');
  return { ...found, versions, current };
}

export type PublicDataset = Awaited<ReturnType<typeof getPublicDataset>>;
