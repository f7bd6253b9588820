import { createRoute } from '@hono/zod-openapi';
import { listVersions } from '../../../../datasets/find-dataset';
import { updateDeclarations } from '../../../../datasets/update-declarations';
import type { AppRouter } from '../../../context';
import { errorResponses } from '../../../problem';
import { AdminDatasetSchema, DatasetParams, DeclarationsBody } from './schemas';
import { serializeAdminDataset } from './serialize';

export const putDeclarationsRoute = createRoute({
  operationId: 'putAdminDatasetDeclarations',
  method: 'put',
  path: '/v1/admin/datasets/{id}/declarations',
  tags: ['Admin'],
  summary: 'Declare how columns are classified',
  description:
    'Stewards of the publisher. Replaces the column declarations (type, role, action, and field options) keyed by CSV header. Each is checked against the policy at once; they apply from the next import.',
  security: [{ stewardToken: [] }],
  request: { params: DatasetParams, body: { required: true, content: { 'application/json': { schema: DeclarationsBody } } } },
  responses: {
    200: { description: 'The dataset with its new declarations.', content: { 'application/json': { schema: AdminDatasetSchema } } },
    ...errorResponses('validation_failed', 'unauthorized', 'invalid_token', 'forbidden', 'not_found', 'unprocessable'),
  },
});

export function registerPutDeclarations(app: AppRouter) {
  app.openapi(putDeclarationsRoute, async (c) => {
    const { db } = c.var.deps;
    const { dataset, publisherSlug } = await updateDeclarations(c.var.deps, c.var.steward, c.req.valid('param').id, c.req.valid('json'));
    return c.json(serializeAdminDataset(dataset, publisherSlug, await listVersions(db, dataset.id)), 200);
  });
}
