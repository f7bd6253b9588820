import { createRoute, z } from '@hono/zod-openapi';
import { createKey } from '../../../keys/api-keys';
import { KaifangError } from '../../../errors';
import type { AppRouter } from '../../context';
import { errorResponses } from '../../problem';
import { API_KEY_SECURITY, IssuedApiKeySchema, ScopeSchema, issuedKeyBody } from './schemas';

const CreateKeySchema = z
  .object({
    name: z.string().trim().min(1).max(100).openapi({ description: 'A label to recognise the key by.', example: 'bus-stops-app production' }),
    scopes: z.array(ScopeSchema).min(1).openapi({ description: 'Scopes of the new key; each must be held by the key making the request.', example: ['data:read'] }),
    expiresAt: z.iso.datetime({ offset: true }).optional().openapi({ description: 'When the key stops working (ISO 8601, in the future). Omitted: never.', example: '2027-03-01T00:00:00Z' }),
  })
  .openapi('CreateApiKey');

export const createKeyRoute = createRoute({
  operationId: 'createKey',
  method: 'post',
  path: '/v1/keys',
  tags: ['Developer access'],
  summary: 'Create a key',
  description:
    "API key with the `keys:manage` scope. Issues a new key for the key's own account with the given scopes (no more than the calling key holds). The full key is in this response only.",
  security: API_KEY_SECURITY,
  request: { body: { required: true, content: { 'application/json': { schema: CreateKeySchema } } } },
  responses: {
    201: { description: 'The new key, shown once.', content: { 'application/json': { schema: IssuedApiKeySchema } } },
    ...errorResponses('validation_failed', 'unauthorized', 'invalid_api_key', 'forbidden', 'account_suspended', 'rate_limited', 'rate_limiter_unavailable'),
  },
});

export function registerCreateKey(app: AppRouter) {
  app.openapi(createKeyRoute, async (c) => {
    const { db, clock } = c.var.deps;
    const body = c.req.valid('json');
    const caller = c.var.apiKey;
    const missing = body.scopes.filter((scope) => !caller.scopes.includes(scope));
    if (missing.length) throw new KaifangError('forbidden', `A key cannot grant scopes it does not hold: ${missing.join(', ')}.`);
    const nowMs = clock.nowMs();
    const expiresAtMs = body.expiresAt ? Date.parse(body.expiresAt) : null;
    if (expiresAtMs !== null && expiresAtMs <= nowMs) {
      throw new KaifangError('validation_failed', 'Invalid body.expiresAt.', { errors: [{ location: 'body.expiresAt', message: 'must be in the future' }] });
    }
    const issued = await db.orm.transaction((tx) => createKey(tx, clock, { accountId: caller.accountId, name: body.name, scopes: body.scopes, expiresAtMs }));
    return c.json(issuedKeyBody(issued, nowMs), 201);
  });
}
