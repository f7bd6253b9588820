import type { CatalogEntry } from '../../../datasets/catalog/describe';
import { toPublicFields, type PublicDataset } from '../../../datasets/catalog/public-dataset';

export function serializeSummary({ dataset, publisher, rowCount, publishedAt }: CatalogEntry) {
  return {
    id: dataset.id,
    slug: dataset.slug,
    title: dataset.title,
    description: dataset.description,
    theme: dataset.theme,
    keywords: dataset.keywords,
    publisher,
    licence: dataset.licence,
    openTier: dataset.openTier as 'unconditional' | 'conditional',
    updateFrequency: dataset.updateFrequency,
    currentVersion: dataset.currentVersion!,
    rowCount,
    publishedAt: publishedAt?.toISOString() ?? null,
  };
}

export function serializeDetail(found: PublicDataset) {
  return {
    ...serializeSummary({ dataset: found.dataset, publisher: found.publisher, rowCount: found.current.rowCount, publishedAt: found.current.publishedAt }),
    contact: found.dataset.contact,
    fields: toPublicFields(found.current.fields),
    versions: found.versions.map((version) => ({ number: version.number, rowCount: version.rowCount, publishedAt: version.publishedAt?.toISOString() ?? null })),
  };
}
