import { createRoute } from '@hono/zod-openapi';
import { getAccount } from '../../../../keys/accounts';
import { readUsage } from '../../../../keys/usage-query';
import type { AppRouter } from '../../../context';
import { errorResponses } from '../../../problem';
import { UsageQuerySchema, UsageReportSchema, usageRange } from '../../usage/schemas';
import { AccountIdParamsSchema, ADMIN_DESCRIPTION } from './schemas';

export const getAccountUsageRoute = createRoute({
  operationId: 'getAdminAccountUsage',
  method: 'get',
  path: '/v1/admin/accounts/{id}/usage',
  tags: ['Admin'],
  summary: "A developer account's usage",
  description: `${ADMIN_DESCRIPTION} The same report a developer gets from GET /v1/usage, for any account.`,
  security: [{ stewardToken: [] }],
  request: { params: AccountIdParamsSchema, query: UsageQuerySchema },
  responses: {
    200: { description: 'The usage report.', content: { 'application/json': { schema: UsageReportSchema } } },
    ...errorResponses('validation_failed', 'unauthorized', 'invalid_token', 'forbidden', 'not_found'),
  },
});

export function registerGetAccountUsage(app: AppRouter) {
  app.openapi(getAccountUsageRoute, async (c) => {
    const { db, clock, keys } = c.var.deps;
    const account = await getAccount(db, c.req.valid('param').id);
    await keys.meter.flush();
    const query = c.req.valid('query');
    const report = await readUsage(db, { accountId: account.id, ...usageRange(query, clock.nowMs()), keyId: query.keyId });
    return c.json({ accountId: account.id, ...report }, 200);
  });
}
