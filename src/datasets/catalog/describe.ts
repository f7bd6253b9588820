// Standard descriptions of the catalog, so harvesters and tools can read it without
// knowing Kaifang: DCAT v3 (JSON-LD) for the catalog, a Frictionless Data Package per dataset.
import type { PublicDataset } from './public-dataset';
import { toPublicFields } from './public-dataset';

export interface CatalogEntry {
  dataset: PublicDataset['dataset'];
  publisher: { slug: string; name: string };
  rowCount: number;
  publishedAt: Date | null;
}

const DCAT_CONTEXT = {
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
};

export function dcatCatalog(baseUrl: string, entries: CatalogEntry[]) {
  return {
    '@context': DCAT_CONTEXT,
    '@id': `${baseUrl}/v1/catalog.jsonld`,
    '@type': 'dcat:Catalog',
    'dct:title': { '@value': 'Kaifang 开放数据目录', '@language': 'zh' },
    'dct:description': 'Desensitized open government datasets published through Kaifang.',
    'foaf:homepage': { '@id': `${baseUrl}/docs` },
    'dcat:dataset': entries.map((entry) => dcatDataset(baseUrl, entry)),
  };
}

function dcatDataset(baseUrl: string, { dataset, publisher, rowCount, publishedAt }: CatalogEntry) {
  const landing = `${baseUrl}/v1/datasets/${dataset.slug}`;
  return {
    '@id': landing,
    '@type': 'dcat:Dataset',
    'dct:identifier': dataset.slug,
    'dct:title': { '@value': dataset.title, '@language': 'zh' },
    'dct:description': { '@value': dataset.description, '@language': 'zh' },
    'dcat:keyword': dataset.keywords,
    'dcat:theme': dataset.theme,
    'dct:publisher': { '@type': 'foaf:Agent', 'foaf:name': publisher.name, 'dct:identifier': publisher.slug },
    'dct:license': dataset.licence,
    'dct:accessRights': dataset.openTier,
    'dct:accrualPeriodicity': dataset.updateFrequency,
    'dcat:contactPoint': { '@type': 'vcard:Organization', 'vcard:fn': dataset.contact },
    'dct:modified': { '@value': (publishedAt ?? dataset.updatedAt).toISOString(), '@type': 'xsd:dateTime' },
    'dcat:version': String(dataset.currentVersion),
    'dcat:landingPage': { '@id': landing },
    'dcat:distribution': [
      { '@type': 'dcat:Distribution', 'dcat:accessURL': { '@id': `${landing}/records` }, 'dcat:mediaType': 'application/json', 'dct:description': `${rowCount} records; API key required.` },
      { '@type': 'dcat:Distribution', 'dcat:downloadURL': { '@id': `${landing}/export?format=csv` }, 'dcat:mediaType': 'text/csv', 'dct:description': 'CSV export; API key required.' },
      { '@type': 'dcat:Distribution', 'dcat:accessURL': { '@id': `${landing}/datapackage.json` }, 'dcat:mediaType': 'application/json', 'dct:conformsTo': { '@id': 'https://specs.frictionlessdata.io/data-package/' } },
    ],
  };
}

export function dataPackage(baseUrl: string, found: PublicDataset) {
  const { dataset, current } = found;
  return {
    profile: 'tabular-data-package',
    name: dataset.slug,
    id: dataset.id,
    title: dataset.title,
    description: dataset.description,
    version: String(current.number),
    created: current.publishedAt?.toISOString(),
    keywords: dataset.keywords,
    licenses: [{ name: dataset.licence }],
    sources: [{ title: found.publisher.name }],
    resources: [
      {
        name: dataset.slug,
        path: `${baseUrl}/v1/datasets/${dataset.slug}/export?format=csv`,
        profile: 'tabular-data-resource',
        format: 'csv',
        mediatype: 'text/csv',
        encoding: 'utf-8',
        description: 'Download with an API key (Authorization: Bearer <key>).',
        schema: {
          fields: toPublicFields(current.fields).map((field) => ({
            name: field.name,
            title: field.title,
            type: field.type,
            description: field.description,
            constraints: field.constraints,
          })),
        },
      },
    ],
  };
}
