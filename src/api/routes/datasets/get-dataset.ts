import { createRoute } from '@hono/zod-openapi';
import { getPublicDataset } from '../../../datasets/catalog/public-dataset';
import type { AppRouter } from '../../context';
import { errorResponses } from '../../problem';
import { DatasetDetailSchema, DatasetIdParams } from './schemas';
import { serializeDetail } from './serialize';

export const getDatasetRoute = createRoute({
  operationId: 'getDataset',
  method: 'get',
  path: '/v1/datasets/{id}',
  tags: ['Catalog'],
  summary: 'A dataset: metadata, field schema and versions',
  description: 'Public (no key; limited per client IP). Datasets that are not open, or have no published version, answer 404.',
  request: { params: DatasetIdParams },
  responses: {
    200: { description: 'The dataset.', content: { 'application/json': { schema: DatasetDetailSchema } } },
    ...errorResponses('validation_failed', 'not_found', 'rate_limited'),
  },
});

export function registerGetDataset(app: AppRouter) {
  app.openapi(getDatasetRoute, async (c) => c.json(serializeDetail(await getPublicDataset(c.var.deps.db, c.req.valid('param').id)), 200));
}
