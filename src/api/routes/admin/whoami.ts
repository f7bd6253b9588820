import { createRoute, z } from '@hono/zod-openapi';
import { ROLES } from '../../../auth/identity';
import type { AppRouter } from '../../context';
import { errorResponses } from '../../problem';

const WhoamiSchema = z
  .object({
    subject: z.string().openapi({ description: 'The token subject (`sub`).', example: 'li.na' }),
    roles: z.array(z.enum(ROLES)).openapi({ description: 'Roles the token grants.', example: ['steward'] }),
    publisher: z.string().nullable().openapi({ description: 'Publisher (department) slug the caller acts for, if any.', example: 'hefei-data-bureau' }),
  })
  .openapi('Whoami');

export const whoamiRoute = createRoute({
  operationId: 'getAdminWhoami',
  method: 'get',
  path: '/v1/admin/whoami',
  tags: ['Admin'],
  summary: 'Who am I',
  description: 'Stewards, approvers, auditors and admins (steward token). Returns the identity and roles the token proves.',
  security: [{ stewardToken: [] }],
  responses: {
    200: { description: 'The caller.', content: { 'application/json': { schema: WhoamiSchema } } },
    ...errorResponses('unauthorized', 'invalid_token', 'forbidden'),
  },
});

export function registerWhoami(app: AppRouter) {
  app.openapi(whoamiRoute, (c) => {
    const { subject, roles, publisher } = c.var.steward;
    return c.json({ subject, roles, publisher: publisher ?? null }, 200);
  });
}
