import { z } from '@hono/zod-openapi';
import { keyStatus, type ApiKeyRow, type IssuedKey } from '../../../keys/api-keys';
import { SCOPES, SCOPE_DESCRIPTIONS } from '../../../keys/scopes';

/** Both ways of sending a key, as the operations' `security`. */
export const API_KEY_SECURITY: Array<Record<string, string[]>> = [{ apiKeyBearer: [] }, { apiKeyHeader: [] }];

export const ScopeSchema = z.enum(SCOPES).openapi({
  description: `What a key may do: ${SCOPES.map((scope) => `\`${scope}\` (${SCOPE_DESCRIPTIONS[scope]})`).join(', ')}.`,
  example: 'data:read',
});

export const KeyIdParamsSchema = z.object({
  id: z.uuid().openapi({ param: { name: 'id', in: 'path' }, description: 'Id of one of your account\'s keys.', example: '5b0a1f0e-3f43-4c1a-9d55-0f8f5e2d6a11' }),
});

export const ApiKeySchema = z
  .object({
    id: z.uuid().openapi({ description: 'Key id; use it to rotate or revoke the key.', example: '5b0a1f0e-3f43-4c1a-9d55-0f8f5e2d6a11' }),
    name: z.string().openapi({ description: 'Label you gave the key.', example: 'bus-stops-app production' }),
    prefix: z.string().openapi({ description: 'The first characters of the key, to recognise it; the full key is never shown again.', example: 'kf_live_7GqP' }),
    scopes: z.array(ScopeSchema).openapi({ description: 'What the key may do.', example: ['data:read', 'usage:read'] }),
    status: z.enum(['active', 'rotating', 'expired', 'revoked']).openapi({
      description: '`active`; `rotating`: replaced, working until `expiresAt` (the grace period); `expired`; `revoked`.',
      example: 'active',
    }),
    createdAt: z.string().openapi({ description: 'When the key was created (ISO 8601).', example: '2026-03-01T08:00:00.000Z' }),
    expiresAt: z.string().nullable().openapi({ description: 'When the key stops working (ISO 8601), or null.', example: null }),
    revokedAt: z.string().nullable().openapi({ description: 'When the key was revoked (ISO 8601), or null.', example: null }),
    replacedBy: z.uuid().nullable().openapi({ description: 'Id of the key that replaced this one on rotation, or null.', example: null }),
  })
  .openapi('ApiKey', { description: 'An API key, without its secret.' });

export const IssuedApiKeySchema = ApiKeySchema.extend({
  key: z.string().openapi({
    description: 'The full API key. Shown only in this response: store it now. Send it as `Authorization: Bearer <key>` or `X-Api-Key: <key>`.',
    example: 'kf_live_7GqPz3XbW9cK2mN4rT8vY1Hd0aB3',
  }),
}).openapi('IssuedApiKey', { description: 'A newly issued API key, including the secret, shown once.' });

export function apiKeyBody(row: ApiKeyRow, nowMs: number): z.infer<typeof ApiKeySchema> {
  return {
    id: row.id,
    name: row.name,
    prefix: row.displayPrefix,
    scopes: row.scopes as z.infer<typeof ScopeSchema>[],
    status: keyStatus(row, nowMs),
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    replacedBy: row.rotatedToId,
  };
}

export function issuedKeyBody(issued: IssuedKey, nowMs: number): z.infer<typeof IssuedApiKeySchema> {
  return { ...apiKeyBody(issued.row, nowMs), key: issued.key };
}
