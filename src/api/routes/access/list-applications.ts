import { createRoute, z } from '@hono/zod-openapi';
import { listOwnApplications } from '../../../access/index';
import type { AppRouter } from '../../context';
import { errorResponses } from '../../problem';
import { API_KEY_SECURITY } from '../keys/schemas';
import { ApplicationSchema, applicationBody } from './schemas';

export const listApplicationsRoute = createRoute({
  operationId: 'listApplications',
  method: 'get',
  path: '/v1/applications',
  tags: ['Conditional access'],
  summary: 'List your applications',
  description: "API key with scope `applications:manage`. The key's own account's applications, newest first, each with its grant once approved.",
  security: API_KEY_SECURITY,
  responses: {
    200: {
      description: "The account's applications.",
      content: { 'application/json': { schema: z.object({ data: z.array(ApplicationSchema).openapi({ description: 'Applications, newest first.' }) }).openapi('ApplicationList') } },
    },
    ...errorResponses('unauthorized', 'invalid_api_key', 'forbidden', 'account_suspended', 'rate_limited'),
  },
});

export function registerListApplications(app: AppRouter) {
  app.openapi(listApplicationsRoute, async (c) => {
    const { db, clock } = c.var.deps;
    const views = await listOwnApplications(db, c.var.apiKey.accountId);
    const nowMs = clock.nowMs();
    return c.json({ data: views.map((view) => applicationBody(view, nowMs)) }, 200);
  });
}
