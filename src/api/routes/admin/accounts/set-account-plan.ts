import { createRoute, z } from '@hono/zod-openapi';
import { getAccountSummary, setAccountPlan } from '../../../../keys/accounts';
import { KaifangError } from '../../../../errors';
import { actors } from '../../../../audit/index';
import type { AppRouter } from '../../../context';
import { errorResponses } from '../../../problem';
import { AccountIdParamsSchema, ADMIN_DESCRIPTION, AdminAccountSchema, adminAccountBody } from './schemas';

const SetPlanSchema = z
  .object({
    plan: z.string().min(1).max(32).openapi({ description: 'A plan configured in KEY_PLANS.', example: 'standard' }),
  })
  .openapi('SetAccountPlan');

export const setAccountPlanRoute = createRoute({
  operationId: 'setAdminAccountPlan',
  method: 'put',
  path: '/v1/admin/accounts/{id}/plan',
  tags: ['Admin'],
  summary: "Set a developer account's plan",
  description: `${ADMIN_DESCRIPTION} Changes the plan, and so the rate limit and daily quota, of every key of the account; effective on every instance within a second.`,
  security: [{ stewardToken: [] }],
  request: { params: AccountIdParamsSchema, body: { required: true, content: { 'application/json': { schema: SetPlanSchema } } } },
  responses: {
    200: { description: 'The account with its new plan.', content: { 'application/json': { schema: AdminAccountSchema } } },
    ...errorResponses('validation_failed', 'unauthorized', 'invalid_token', 'forbidden', 'not_found'),
  },
});

export function registerSetAccountPlan(app: AppRouter) {
  app.openapi(setAccountPlanRoute, async (c) => {
    const { db, clock, keys } = c.var.deps;
    const { plan } = c.req.valid('json');
    if (!Object.hasOwn(keys.config.plans, plan)) {
      throw new KaifangError('validation_failed', 'Invalid body.plan.', { errors: [{ location: 'body.plan', message: `must be one of ${Object.keys(keys.config.plans).join(', ')}` }] });
    }
    const account = await setAccountPlan(db, c.req.valid('param').id, plan, actors.steward(c.var.steward.subject), clock);
    await keys.invalidate({ kind: 'account', id: account.id });
    return c.json(adminAccountBody(await getAccountSummary(db, clock, account.id)), 200);
  });
}
