import { createRoute, z } from '@hono/zod-openapi';
import type { AppRouter } from '../../context';

const HealthSchema = z
  .object({ status: z.literal('ok').openapi({ description: 'Always `ok` while the process serves requests.', example: 'ok' }) })
  .openapi('Health');

export const healthzRoute = createRoute({
  operationId: 'getHealthz',
  method: 'get',
  path: '/healthz',
  tags: ['Operations'],
  summary: 'Liveness',
  description: 'Public. Answers 200 while the process is alive; it does not touch the database (see /readyz).',
  responses: {
    200: { description: 'The process is alive.', content: { 'application/json': { schema: HealthSchema } } },
  },
});

export function registerHealthz(app: AppRouter) {
  app.openapi(healthzRoute, (c) => c.json({ status: 'ok' as const }, 200));
}
