import { createRoute, z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { dataPackage, dcatCatalog } from '../../../datasets/catalog/describe';
import { getPublicDataset, visibleDataset } from '../../../datasets/catalog/public-dataset';
import { datasets, datasetVersions, publishers } from '../../../datasets/tables';
import type { AppEnv, AppRouter } from '../../context';
import { errorResponses } from '../../problem';
import { DatasetIdParams } from './schemas';

const baseUrl = (c: Context<AppEnv>) => c.var.deps.config.publicUrl ?? new URL(c.req.url).origin;

const jsonDocument = (description: string) => z.record(z.string(), z.unknown()).openapi({ description });

export const catalogJsonLdRoute = createRoute({
  operationId: 'getCatalogJsonLd',
  method: 'get',
  path: '/v1/catalog.jsonld',
  tags: ['Catalog'],
  summary: 'DCAT catalog',
  description: 'Public (no key; limited per client IP). Every open, published dataset as a DCAT v3 catalog in JSON-LD, for harvesters.',
  responses: {
    200: { description: 'The catalog.', content: { 'application/ld+json': { schema: jsonDocument('A DCAT v3 dcat:Catalog in JSON-LD.') } } },
    ...errorResponses('rate_limited'),
  },
});

export const dataPackageRoute = createRoute({
  operationId: 'getDataPackage',
  method: 'get',
  path: '/v1/datasets/{id}/datapackage.json',
  tags: ['Catalog'],
  summary: 'Frictionless Data Package',
  description: 'Public (no key; limited per client IP). The dataset as a Frictionless tabular data package; its resource path is the CSV export, which needs an API key.',
  request: { params: DatasetIdParams },
  responses: {
    200: { description: 'The data package.', content: { 'application/json': { schema: jsonDocument('A Frictionless tabular-data-package descriptor.') } } },
    ...errorResponses('validation_failed', 'not_found', 'rate_limited'),
  },
});

export function registerDescribeRoutes(app: AppRouter) {
  app.openapi(catalogJsonLdRoute, async (c) => {
    const entries = await c.var.deps.db.orm
      .select({ dataset: datasets, publisher: { slug: publishers.slug, name: publishers.name }, rowCount: datasetVersions.rowCount, publishedAt: datasetVersions.publishedAt })
      .from(datasets)
      .innerJoin(publishers, eq(publishers.id, datasets.publisherId))
      .innerJoin(datasetVersions, and(eq(datasetVersions.datasetId, datasets.id), eq(datasetVersions.number, datasets.currentVersion)))
      .where(visibleDataset)
      .orderBy(datasets.slug);
    return c.body(JSON.stringify(dcatCatalog(baseUrl(c), entries)), 200, { 'Content-Type': 'application/ld+json; charset=utf-8' }) as never;
  });
  app.openapi(dataPackageRoute, async (c) => c.json(dataPackage(baseUrl(c), await getPublicDataset(c.var.deps.db, c.req.valid('param').id)), 200) as never);
}
