import { createRoute, z } from '@hono/zod-openapi';
import { getAccountSummary, setAccountStatus } from '../../../../keys/accounts';
import { actors } from '../../../../audit/index';
import type { AppRouter } from '../../../context';
import { errorResponses } from '../../../problem';
import { AccountIdParamsSchema, ADMIN_DESCRIPTION, AdminAccountSchema, adminAccountBody } from './schemas';

const SuspendSchema = z
  .object({
    reason: z.string().trim().min(1).max(500).optional().openapi({ description: 'Why the account is suspended (kept with the account).', example: 'Scraping beyond the terms of use' }),
  })
  .openapi('SuspendAccount');

export const suspendAccountRoute = createRoute({
  operationId: 'suspendAdminAccount',
  method: 'post',
  path: '/v1/admin/accounts/{id}/suspend',
  tags: ['Admin'],
  summary: 'Suspend a developer account',
  description: `${ADMIN_DESCRIPTION} Every key of the account is refused (403 \`account_suspended\`) on every instance within a second. Suspending a suspended account changes nothing.`,
  security: [{ stewardToken: [] }],
  request: { params: AccountIdParamsSchema, body: { required: false, content: { 'application/json': { schema: SuspendSchema } } } },
  responses: {
    200: { description: 'The suspended account.', content: { 'application/json': { schema: AdminAccountSchema } } },
    ...errorResponses('validation_failed', 'unauthorized', 'invalid_token', 'forbidden', 'not_found'),
  },
});

export const reinstateAccountRoute = createRoute({
  operationId: 'reinstateAdminAccount',
  method: 'post',
  path: '/v1/admin/accounts/{id}/reinstate',
  tags: ['Admin'],
  summary: 'Reinstate a developer account',
  description: `${ADMIN_DESCRIPTION} Lifts a suspension: the account's keys that are neither revoked nor expired work again.`,
  security: [{ stewardToken: [] }],
  request: { params: AccountIdParamsSchema },
  responses: {
    200: { description: 'The reinstated account.', content: { 'application/json': { schema: AdminAccountSchema } } },
    ...errorResponses('validation_failed', 'unauthorized', 'invalid_token', 'forbidden', 'not_found'),
  },
});

export function registerSetAccountStatus(app: AppRouter) {
  app.openapi(suspendAccountRoute, async (c) => {
    const { db, clock, keys } = c.var.deps;
    const body = c.req.valid('json') ?? {};
    const account = await setAccountStatus(db, clock, c.req.valid('param').id, { status: 'suspended', reason: body.reason }, actors.steward(c.var.steward.subject));
    await keys.invalidate({ kind: 'account', id: account.id });
    return c.json(adminAccountBody(await getAccountSummary(db, clock, account.id)), 200);
  });
  app.openapi(reinstateAccountRoute, async (c) => {
    const { db, clock, keys } = c.var.deps;
    const account = await setAccountStatus(db, clock, c.req.valid('param').id, { status: 'active' }, actors.steward(c.var.steward.subject));
    await keys.invalidate({ kind: 'account', id: account.id });
    return c.json(adminAccountBody(await getAccountSummary(db, clock, account.id)), 200);
  });
}
