import { createRoute, z } from '@hono/zod-openapi';
import { listAccounts } from '../../../../keys/accounts';
import { KaifangError } from '../../../../errors';
import type { AppRouter } from '../../../context';
import { errorResponses } from '../../../problem';
import { ADMIN_DESCRIPTION, AdminAccountSchema, adminAccountBody } from './schemas';

const ListAccountsQuerySchema = z.object({
  status: z.enum(['active', 'suspended']).optional().openapi({ description: 'Only accounts with this status.', example: 'suspended' }),
  limit: z.coerce.number().int().min(1).max(500).default(100).openapi({ description: 'Most accounts to return (1–500).', example: 100 }),
  cursor: z.string().max(200).optional().openapi({ description: 'Opaque cursor from the previous page\'s `next`.', example: 'MTc3MjM1MjAwMDAwMHwwYzZmOWE0ZS0yYjdkLTRiOWUtOGYwYS02YTFkMmMzYjRlNWY' }),
});

const AccountListSchema = z
  .object({
    data: z.array(AdminAccountSchema).openapi({ description: 'Accounts, oldest first.' }),
    next: z.string().nullable().openapi({ description: 'Cursor of the next page, or null on the last page.', example: null }),
  })
  .openapi('AdminDeveloperAccountList');

export const listAccountsRoute = createRoute({
  operationId: 'listAdminAccounts',
  method: 'get',
  path: '/v1/admin/accounts',
  tags: ['Admin'],
  summary: 'List developer accounts',
  description: `${ADMIN_DESCRIPTION} Developer accounts with plan, status and number of active keys.`,
  security: [{ stewardToken: [] }],
  request: { query: ListAccountsQuerySchema },
  responses: {
    200: { description: 'A page of accounts.', content: { 'application/json': { schema: AccountListSchema } } },
    ...errorResponses('validation_failed', 'unauthorized', 'invalid_token', 'forbidden'),
  },
});

function decodeCursor(cursor: string): { createdAtMs: number; id: string } {
  const [ms, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAtMs = Number(ms);
  if (!Number.isFinite(createdAtMs) || !id || !/^[0-9a-f-]{36}$/.test(id)) {
    throw new KaifangError('validation_failed', 'Invalid query.cursor.', { errors: [{ location: 'query.cursor', message: 'not a cursor from this listing' }] });
  }
  return { createdAtMs, id };
}

export function registerListAccounts(app: AppRouter) {
  app.openapi(listAccountsRoute, async (c) => {
    const { db, clock } = c.var.deps;
    const query = c.req.valid('query');
    const rows = await listAccounts(db, clock, { limit: query.limit + 1, status: query.status, after: query.cursor ? decodeCursor(query.cursor) : undefined });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    const next = rows.length > query.limit && last ? Buffer.from(`${last.createdAt.getTime()}|${last.id}`).toString('base64url') : null;
    return c.json({ data: page.map(adminAccountBody), next }, 200);
  });
}
