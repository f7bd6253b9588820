import { createRoute } from '@hono/zod-openapi';
import { createPublisher } from '../../../../datasets/create-publisher';
import type { AppRouter } from '../../../context';
import { errorResponses } from '../../../problem';
import { PublisherBody, PublisherSchema } from './schemas';

export const createPublisherRoute = createRoute({
  operationId: 'createPublisher',
  method: 'post',
  path: '/v1/admin/publishers',
  tags: ['Admin'],
  summary: 'Register a publisher',
  description: 'Admins (steward token with role `admin`). Registers a department; stewards and approvers act for the publisher named in their token.',
  security: [{ stewardToken: [] }],
  request: { body: { required: true, content: { 'application/json': { schema: PublisherBody } } } },
  responses: {
    201: { description: 'The publisher.', content: { 'application/json': { schema: PublisherSchema } } },
    ...errorResponses('validation_failed', 'unauthorized', 'invalid_token', 'forbidden', 'conflict'),
  },
});

export function registerCreatePublisher(app: AppRouter) {
  app.openapi(createPublisherRoute, async (c) => {
    const created = await createPublisher(c.var.deps.db, c.var.steward, c.req.valid('json'), c.var.deps.clock.nowMs());
    return c.json({ id: created.id, slug: created.slug, name: created.name }, 201);
  });
}
