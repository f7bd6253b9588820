import { createRoute } from '@hono/zod-openapi';
import { createDataset } from '../../../../datasets/create-dataset';
import type { AppRouter } from '../../../context';
import { errorResponses } from '../../../problem';
import { AdminDatasetSchema, DatasetBody } from './schemas';
import { serializeAdminDataset } from './serialize';

export const createDatasetRoute = createRoute({
  operationId: 'createAdminDataset',
  method: 'post',
  path: '/v1/admin/datasets',
  tags: ['Admin'],
  summary: 'Create a dataset',
  description: 'Stewards of the publisher (and admins). Creates the catalog entry; its field schema comes from the first imported version.',
  security: [{ stewardToken: [] }],
  request: { body: { required: true, content: { 'application/json': { schema: DatasetBody } } } },
  responses: {
    201: { description: 'The dataset.', content: { 'application/json': { schema: AdminDatasetSchema } } },
    ...errorResponses('validation_failed', 'unauthorized', 'invalid_token', 'forbidden', 'conflict', 'unprocessable'),
  },
});

export function registerCreateDataset(app: AppRouter) {
  app.openapi(createDatasetRoute, async (c) => {
    const { db, clock } = c.var.deps;
    const created = await createDataset(db, c.var.steward, c.req.valid('json'), clock.nowMs());
    return c.json(serializeAdminDataset(created, created.publisher, []), 201);
  });
}
