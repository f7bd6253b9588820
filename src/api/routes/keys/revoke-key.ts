import { createRoute } from '@hono/zod-openapi';
import { revokeKey } from '../../../keys/api-keys';
import type { AppRouter } from '../../context';
import { errorResponses } from '../../problem';
import { API_KEY_SECURITY, KeyIdParamsSchema } from './schemas';

export const revokeKeyRoute = createRoute({
  operationId: 'revokeKey',
  method: 'delete',
  path: '/v1/keys/{id}',
  tags: ['Developer access'],
  summary: 'Revoke a key',
  description:
    'API key with the `keys:manage` scope, for a key of its own account (it may revoke itself). The key stops working on every instance within a second. Revoking a revoked key succeeds and changes nothing.',
  security: API_KEY_SECURITY,
  request: { params: KeyIdParamsSchema },
  responses: {
    204: { description: 'Revoked.' },
    ...errorResponses('validation_failed', 'unauthorized', 'invalid_api_key', 'forbidden', 'account_suspended', 'not_found', 'rate_limited', 'rate_limiter_unavailable'),
  },
});

export function registerRevokeKey(app: AppRouter) {
  app.openapi(revokeKeyRoute, async (c) => {
    const { db, clock, keys } = c.var.deps;
    const row = await revokeKey(db.orm, clock, { accountId: c.var.apiKey.accountId, keyId: c.req.valid('param').id });
    await keys.invalidate({ kind: 'key', id: row.id });
    return c.body(null, 204);
  });
}
