import { createRoute, z } from '@hono/zod-openapi';
import type { AppRouter } from '../../context';

export const metricsRoute = createRoute({
  operationId: 'getMetrics',
  method: 'get',
  path: '/metrics',
  tags: ['Operations'],
  summary: 'Prometheus metrics',
  description:
    'Public on the listening interface (bind HOST to a private network in production). Prometheus text exposition: request counts and a latency histogram by route pattern and status, plus process metrics.',
  responses: {
    200: {
      description: 'Metrics in Prometheus text format.',
      content: { 'text/plain': { schema: z.string().openapi({ description: 'Prometheus exposition text.', example: 'kaifang_http_requests_total{method="GET",route="/healthz",status="200"} 3' }) } },
    },
  },
});

export function registerMetrics(app: AppRouter) {
  app.openapi(metricsRoute, async (c) => {
    const { registry } = c.var.deps.metrics;
    return c.text(await registry.metrics(), 200, { 'Content-Type': registry.contentType });
  });
}
