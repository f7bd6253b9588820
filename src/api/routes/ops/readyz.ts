import { createRoute, z } from '@hono/zod-openapi';
import { KaifangError } from '../../../errors';
import type { AppRouter } from '../../context';
import { errorResponses } from '../../problem';

const ReadySchema = z
  .object({
    status: z.literal('ready').openapi({ description: '`ready` when the database answered.', example: 'ready' }),
    database: z.enum(['pglite', 'postgres']).openapi({ description: 'Which database backend serves this instance.', example: 'postgres' }),
  })
  .openapi('Readiness');

export const readyzRoute = createRoute({
  operationId: 'getReadyz',
  method: 'get',
  path: '/readyz',
  tags: ['Operations'],
  summary: 'Readiness',
  description: 'Public. Answers 200 when the database answers a query within two seconds, and a 503 problem otherwise, so a load balancer can take the instance out of rotation.',
  responses: {
    200: { description: 'Ready to serve.', content: { 'application/json': { schema: ReadySchema } } },
    ...errorResponses('database_unavailable'),
  },
});

export function registerReadyz(app: AppRouter) {
  app.openapi(readyzRoute, async (c) => {
    const { db, logger } = c.var.deps;
    try {
      await db.ping();
    } catch (error) {
      logger.warn({ err: error, requestId: c.var.requestId }, 'readiness check failed');
      throw new KaifangError('database_unavailable', 'The database did not answer the readiness check.');
    }
    return c.json({ status: 'ready' as const, database: db.kind }, 200);
  });
}
