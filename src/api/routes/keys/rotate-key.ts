import { createRoute, z } from '@hono/zod-openapi';
import { rotateKey } from '../../../keys/api-keys';
import type { AppRouter } from '../../context';
import { errorResponses } from '../../problem';
import { API_KEY_SECURITY, ApiKeySchema, IssuedApiKeySchema, KeyIdParamsSchema, apiKeyBody, issuedKeyBody } from './schemas';

const MAX_GRACE_SECONDS = 30 * 86_400;

const RotateKeySchema = z
  .object({
    gracePeriodSeconds: z
      .number()
      .int()
      .min(0)
      .max(MAX_GRACE_SECONDS)
      .optional()
      .openapi({ description: 'How long the old key keeps working, in seconds (0: stops now; at most 30 days). Omitted: the server default, 24 hours unless configured otherwise.', example: 86400 }),
  })
  .openapi('RotateApiKey');

const RotatedSchema = z
  .object({
    key: IssuedApiKeySchema,
    previous: ApiKeySchema,
  })
  .openapi('RotatedApiKey', { description: 'The replacement key (shown once) and the old key, now `rotating` until its `expiresAt`.' });

export const rotateKeyRoute = createRoute({
  operationId: 'rotateKey',
  method: 'post',
  path: '/v1/keys/{id}/rotate',
  tags: ['Developer access'],
  summary: 'Rotate a key',
  description:
    "API key with the `keys:manage` scope, for a key of its own account. Issues a replacement with the same name, scopes and expiry; the old key keeps working for the grace period, then stops. A key is rotated once.",
  security: API_KEY_SECURITY,
  request: { params: KeyIdParamsSchema, body: { required: false, content: { 'application/json': { schema: RotateKeySchema } } } },
  responses: {
    201: { description: 'The replacement key and the old key.', content: { 'application/json': { schema: RotatedSchema } } },
    ...errorResponses('validation_failed', 'unauthorized', 'invalid_api_key', 'forbidden', 'account_suspended', 'not_found', 'conflict', 'rate_limited', 'rate_limiter_unavailable'),
  },
});

export function registerRotateKey(app: AppRouter) {
  app.openapi(rotateKeyRoute, async (c) => {
    const { db, clock, keys } = c.var.deps;
    const body = c.req.valid('json') ?? {};
    const { issued, old } = await rotateKey(db.orm, clock, {
      accountId: c.var.apiKey.accountId,
      keyId: c.req.valid('param').id,
      graceSeconds: body.gracePeriodSeconds ?? keys.config.rotationGraceSeconds,
    });
    // Caches hold the old key without its new expiry.
    await keys.invalidate({ kind: 'key', id: old.id });
    const nowMs = clock.nowMs();
    return c.json({ key: issuedKeyBody(issued, nowMs), previous: apiKeyBody(old, nowMs) }, 201);
  });
}
