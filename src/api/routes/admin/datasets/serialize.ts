import type { datasets, datasetVersions } from '../../../../datasets/tables';

const iso = (value: Date | null) => (value ? value.toISOString() : null);

export function serializeVersion(version: typeof datasetVersions.$inferSelect) {
  return {
    number: version.number,
    status: version.status,
    rowCount: version.rowCount,
    sourceEncoding: version.sourceEncoding,
    fields: version.fields,
    classification: version.classification,
    gate: version.gate,
    createdBy: version.createdBy,
    createdAt: version.createdAt.toISOString(),
    submittedBy: version.submittedBy,
    submittedAt: iso(version.submittedAt),
    reviewedBy: version.reviewedBy,
    reviewedAt: iso(version.reviewedAt),
    reviewReason: version.reviewReason,
    publishedAt: iso(version.publishedAt),
    withdrawnBy: version.withdrawnBy,
    withdrawnAt: iso(version.withdrawnAt),
    withdrawReason: version.withdrawReason,
  };
}

export function serializeAdminDataset(dataset: typeof datasets.$inferSelect, publisher: string, versions: (typeof datasetVersions.$inferSelect)[]) {
  return {
    id: dataset.id,
    slug: dataset.slug,
    publisher,
    title: dataset.title,
    description: dataset.description,
    theme: dataset.theme,
    keywords: dataset.keywords,
    licence: dataset.licence,
    updateFrequency: dataset.updateFrequency,
    contact: dataset.contact,
    openTier: dataset.openTier,
    dataGrade: dataset.dataGrade,
    personLevel: dataset.personLevel,
    declarations: dataset.declarations,
    fields: dataset.fields,
    currentVersion: dataset.currentVersion,
    versions: versions.map((version) => ({
      number: version.number,
      status: version.status,
      rowCount: version.rowCount,
      createdAt: version.createdAt.toISOString(),
      publishedAt: iso(version.publishedAt),
    })),
  };
}
