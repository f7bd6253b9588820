import { createRoute } from '@hono/zod-openapi';
import { readUsage } from '../../../keys/usage-query';
import type { AppRouter } from '../../context';
import { errorResponses } from '../../problem';
import { API_KEY_SECURITY } from '../keys/schemas';
import { UsageQuerySchema, UsageReportSchema, usageRange } from './schemas';

export const getUsageRoute = createRoute({
  operationId: 'getUsage',
  method: 'get',
  path: '/v1/usage',
  tags: ['Developer access'],
  summary: 'Your usage',
  description:
    "API key with the `usage:read` scope. Requests, records, bytes and errors of the key's own account per key, hour, route and dataset. This instance's pending counts are written first; other instances write theirs every USAGE_FLUSH_INTERVAL_MS.",
  security: API_KEY_SECURITY,
  request: { query: UsageQuerySchema },
  responses: {
    200: { description: 'The usage report.', content: { 'application/json': { schema: UsageReportSchema } } },
    ...errorResponses('validation_failed', 'unauthorized', 'invalid_api_key', 'forbidden', 'account_suspended', 'rate_limited', 'rate_limiter_unavailable'),
  },
});

export function registerGetUsage(app: AppRouter) {
  app.openapi(getUsageRoute, async (c) => {
    const { db, clock, keys } = c.var.deps;
    await keys.meter.flush();
    const accountId = c.var.apiKey.accountId;
    const query = c.req.valid('query');
    const report = await readUsage(db, { accountId, ...usageRange(query, clock.nowMs()), keyId: query.keyId });
    return c.json({ accountId, ...report }, 200);
  });
}
