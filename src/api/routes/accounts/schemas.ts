import { z } from '@hono/zod-openapi';
import type { Account } from '../../../keys/accounts';

export const AccountSchema = z
  .object({
    id: z.uuid().openapi({ description: 'Account id.', example: '0c6f9a4e-2b7d-4b9e-8f0a-6a1d2c3b4e5f' }),
    name: z.string().openapi({ description: 'Name of the developer or contact person.', example: 'Wang Fang' }),
    email: z.string().openapi({ description: 'Contact email address (lower-cased).', example: 'dev@example.com' }),
    organization: z.string().nullable().openapi({ description: 'Organization the account acts for, or null.', example: 'Hefei Transit Apps Ltd.' }),
    creditCode: z.string().nullable().openapi({ description: "The organization's unified social credit code, or null.", example: '91340100MA2N0KXX4J' }),
    plan: z.string().openapi({ description: 'Plan that sets the rate limit and daily quota.', example: 'free' }),
    status: z.enum(['active', 'suspended']).openapi({ description: '`suspended`: every key of the account is refused.', example: 'active' }),
    createdAt: z.string().openapi({ description: 'When the account was created (ISO 8601).', example: '2026-03-01T08:00:00.000Z' }),
  })
  .openapi('DeveloperAccount');

export function accountBody(account: Account): z.infer<typeof AccountSchema> {
  return {
    id: account.id,
    name: account.name,
    email: account.email,
    organization: account.organization,
    creditCode: account.creditCode,
    plan: account.plan,
    status: account.status,
    createdAt: account.createdAt.toISOString(),
  };
}
