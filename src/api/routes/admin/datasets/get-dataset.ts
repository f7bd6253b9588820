import { createRoute } from '@hono/zod-openapi';
import { findDataset, listVersions } from '../../../../datasets/find-dataset';
import { assertMayRead } from '../../../../datasets/permissions';
import type { AppRouter } from '../../../context';
import { errorResponses } from '../../../problem';
import { AdminDatasetSchema, DatasetParams } from './schemas';
import { serializeAdminDataset } from './serialize';

export const getAdminDatasetRoute = createRoute({
  operationId: 'getAdminDataset',
  method: 'get',
  path: '/v1/admin/datasets/{id}',
  tags: ['Admin'],
  summary: 'A dataset, as stewards see it',
  description: "Stewards and approvers of the publisher; auditors and admins. Metadata, declarations, the field schema with classifications, and every version's status.",
  security: [{ stewardToken: [] }],
  request: { params: DatasetParams },
  responses: {
    200: { description: 'The dataset.', content: { 'application/json': { schema: AdminDatasetSchema } } },
    ...errorResponses('validation_failed', 'unauthorized', 'invalid_token', 'forbidden', 'not_found'),
  },
});

export function registerGetAdminDataset(app: AppRouter) {
  app.openapi(getAdminDatasetRoute, async (c) => {
    const { db } = c.var.deps;
    const { dataset, publisherSlug } = await findDataset(db, c.req.valid('param').id);
    assertMayRead(c.var.steward, publisherSlug);
    return c.json(serializeAdminDataset(dataset, publisherSlug, await listVersions(db, dataset.id)), 200);
  });
}
