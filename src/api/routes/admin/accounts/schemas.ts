import { z } from '@hono/zod-openapi';
import type { AccountSummary } from '../../../../keys/accounts';
import { AccountSchema, accountBody } from '../../accounts/schemas';

export const AccountIdParamsSchema = z.object({
  id: z.uuid().openapi({ param: { name: 'id', in: 'path' }, description: 'Developer account id.', example: '0c6f9a4e-2b7d-4b9e-8f0a-6a1d2c3b4e5f' }),
});

export const AdminAccountSchema = AccountSchema.extend({
  suspendedAt: z.string().nullable().openapi({ description: 'When the account was suspended (ISO 8601), or null.', example: null }),
  suspendedReason: z.string().nullable().openapi({ description: 'Why it was suspended, or null.', example: null }),
  activeKeys: z.number().int().openapi({ description: 'Keys neither revoked nor expired.', example: 2 }),
}).openapi('AdminDeveloperAccount');

export function adminAccountBody(account: AccountSummary): z.infer<typeof AdminAccountSchema> {
  return {
    ...accountBody(account),
    suspendedAt: account.suspendedAt?.toISOString() ?? null,
    suspendedReason: account.suspendedReason,
    activeKeys: account.activeKeys,
  };
}

export const ADMIN_DESCRIPTION = 'Admins (steward token with the `admin` role).';
