import { createRoute, z } from '@hono/zod-openapi';
import { decideVerification, listVerifications } from '../../../../access/index';
import type { AppRouter } from '../../../context';
import { errorResponses } from '../../../problem';
import { VerificationSchema, verificationBody } from '../../access/schemas';

const IdParams = z.object({
  id: z.uuid().openapi({ param: { name: 'id', in: 'path' }, description: 'Id of the verification request.', example: '6a1d2c3b-4e5f-4b9e-8f0a-0c6f9a4e2b7d' }),
});

const ListQuery = z.object({
  status: z.enum(['pending', 'verified', 'rejected']).default('pending').openapi({ description: 'Requests with this status (default `pending`).', example: 'pending' }),
  limit: z.coerce.number().int().min(1).max(500).default(100).openapi({ description: 'Most requests to return (1–500), oldest first.', example: 100 }),
});

const RejectSchema = z
  .object({ reason: z.string().trim().min(1).max(2000).openapi({ description: 'Why the organisation could not be verified; shown to the account.', example: '信用代码与企业名称不符' }) })
  .openapi('RejectVerification');

export const listVerificationsRoute = createRoute({
  operationId: 'listAdminVerifications',
  method: 'get',
  path: '/v1/admin/verifications',
  tags: ['Admin'],
  summary: 'List organisation verification requests',
  description: 'Admins. Requests from developer accounts to be verified as organisations, oldest first.',
  security: [{ stewardToken: [] }],
  request: { query: ListQuery },
  responses: {
    200: { description: 'Requests.', content: { 'application/json': { schema: z.object({ data: z.array(VerificationSchema).openapi({ description: 'Requests, oldest first.' }) }).openapi('AdminVerificationList') } } },
    ...errorResponses('validation_failed', 'unauthorized', 'invalid_token', 'forbidden'),
  },
});

export const verifyRoute = createRoute({
  operationId: 'verifyAdminOrganization',
  method: 'post',
  path: '/v1/admin/verifications/{id}/verify',
  tags: ['Admin'],
  summary: 'Verify an organisation',
  description: 'Admins, after checking the name and code against the enterprise credit registry. The account may then apply for conditionally open data.',
  security: [{ stewardToken: [] }],
  request: { params: IdParams },
  responses: {
    200: { description: 'The verified request.', content: { 'application/json': { schema: VerificationSchema } } },
    ...errorResponses('validation_failed', 'unauthorized', 'invalid_token', 'forbidden', 'not_found', 'conflict'),
  },
});

export const rejectVerificationRoute = createRoute({
  operationId: 'rejectAdminOrganization',
  method: 'post',
  path: '/v1/admin/verifications/{id}/reject',
  tags: ['Admin'],
  summary: 'Reject an organisation verification',
  description: 'Admins. A reason is required; the account may ask again.',
  security: [{ stewardToken: [] }],
  request: { params: IdParams, body: { required: true, content: { 'application/json': { schema: RejectSchema } } } },
  responses: {
    200: { description: 'The rejected request.', content: { 'application/json': { schema: VerificationSchema } } },
    ...errorResponses('validation_failed', 'unauthorized', 'invalid_token', 'forbidden', 'not_found', 'conflict'),
  },
});

export function registerAdminVerificationRoutes(app: AppRouter) {
  app.openapi(listVerificationsRoute, async (c) => c.json({ data: (await listVerifications(c.var.deps.db, c.req.valid('query'))).map(verificationBody) }, 200));
  app.openapi(verifyRoute, async (c) => {
    const { db, clock } = c.var.deps;
    return c.json(verificationBody(await decideVerification(db, clock, c.var.steward, c.req.valid('param').id, { status: 'verified' })), 200);
  });
  app.openapi(rejectVerificationRoute, async (c) => {
    const { db, clock } = c.var.deps;
    return c.json(verificationBody(await decideVerification(db, clock, c.var.steward, c.req.valid('param').id, { status: 'rejected', reason: c.req.valid('json').reason })), 200);
  });
}
