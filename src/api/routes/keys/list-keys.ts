import { createRoute, z } from '@hono/zod-openapi';
import { listKeys } from '../../../keys/api-keys';
import type { AppRouter } from '../../context';
import { errorResponses } from '../../problem';
import { API_KEY_SECURITY, ApiKeySchema, apiKeyBody } from './schemas';

export const listKeysRoute = createRoute({
  operationId: 'listKeys',
  method: 'get',
  path: '/v1/keys',
  tags: ['Developer access'],
  summary: 'List your keys',
  description: "API key with the `keys:manage` scope. Lists every key of the key's own account (active, rotating, expired and revoked), never the secrets.",
  security: API_KEY_SECURITY,
  responses: {
    200: {
      description: "The account's keys, oldest first.",
      content: { 'application/json': { schema: z.object({ data: z.array(ApiKeySchema).openapi({ description: 'The keys.' }) }).openapi('ApiKeyList') } },
    },
    ...errorResponses('unauthorized', 'invalid_api_key', 'forbidden', 'account_suspended', 'rate_limited', 'rate_limiter_unavailable'),
  },
});

export function registerListKeys(app: AppRouter) {
  app.openapi(listKeysRoute, async (c) => {
    const { db, clock } = c.var.deps;
    const rows = await listKeys(db.orm, c.var.apiKey.accountId);
    const nowMs = clock.nowMs();
    return c.json({ data: rows.map((row) => apiKeyBody(row, nowMs)) }, 200);
  });
}
