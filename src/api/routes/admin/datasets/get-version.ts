import { createRoute } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { findDataset } from '../../../../datasets/find-dataset';
import { assertMayRead } from '../../../../datasets/permissions';
import { datasetVersions } from '../../../../datasets/tables';
import { KaifangError } from '../../../../errors';
import type { AppRouter } from '../../../context';
import { errorResponses } from '../../../problem';
import { VersionParams, VersionSchema } from './schemas';
import { serializeVersion } from './serialize';

export const getVersionRoute = createRoute({
  operationId: 'getAdminDatasetVersion',
  method: 'get',
  path: '/v1/admin/datasets/{id}/versions/{number}',
  tags: ['Admin'],
  summary: 'A version with its classification and gate reports',
  description: 'Stewards and approvers of the publisher; auditors and admins. What reviewers read before approving: per-column classification with masked samples, and the latest gate report.',
  security: [{ stewardToken: [] }],
  request: { params: VersionParams },
  responses: {
    200: { description: 'The version.', content: { 'application/json': { schema: VersionSchema } } },
    ...errorResponses('validation_failed', 'unauthorized', 'invalid_token', 'forbidden', 'not_found'),
  },
});

export function registerGetVersion(app: AppRouter) {
  app.openapi(getVersionRoute, async (c) => {
    const { db } = c.var.deps;
    const { id, number } = c.req.valid('param');
    const { dataset, publisherSlug } = await findDataset(db, id);
    assertMayRead(c.var.steward, publisherSlug);
    const [version] = await db.orm.select().from(datasetVersions).where(and(eq(datasetVersions.datasetId, dataset.id), eq(datasetVersions.number, number)));
    if (!version) throw new KaifangError('not_found', 'No such dataset version.');
    return c.json(serializeVersion(version), 200);
  });
}
