import { createRoute, z } from '@hono/zod-openapi';
import { latestVerification, requestVerification } from '../../../access/index';
import { KaifangError } from '../../../errors';
import type { AppRouter } from '../../context';
import { errorResponses } from '../../problem';
import { API_KEY_SECURITY } from '../keys/schemas';
import { VerificationSchema, verificationBody } from './schemas';

const RequestVerificationSchema = z
  .object({
    organization: z.string().trim().min(2).max(200).openapi({ description: 'Registered name of the organisation.', example: '合肥公交出行科技有限公司' }),
    creditCode: z.string().trim().min(18).max(40).openapi({ description: 'Unified social credit code (18 characters; the check character is verified).', example: '91340100MA2N0KXX4J' }),
  })
  .openapi('NewOrganizationVerification');

export const requestVerificationRoute = createRoute({
  operationId: 'requestOrganizationVerification',
  method: 'post',
  path: '/v1/organization-verification',
  tags: ['Conditional access'],
  summary: 'Ask to be verified as an organisation',
  description:
    'API key with scope `applications:manage`. Asks an administrator to verify the account as the named organisation; only verified accounts may apply for conditionally open data. One open request at a time.',
  security: API_KEY_SECURITY,
  request: { body: { required: true, content: { 'application/json': { schema: RequestVerificationSchema } } } },
  responses: {
    201: { description: 'The pending request.', content: { 'application/json': { schema: VerificationSchema } } },
    ...errorResponses('validation_failed', 'unauthorized', 'invalid_api_key', 'forbidden', 'account_suspended', 'conflict', 'rate_limited'),
  },
});

export const getVerificationRoute = createRoute({
  operationId: 'getOrganizationVerification',
  method: 'get',
  path: '/v1/organization-verification',
  tags: ['Conditional access'],
  summary: 'Your organisation verification',
  description: "API key with scope `applications:manage`. The account's latest verification request and its status; 404 if it never asked.",
  security: API_KEY_SECURITY,
  responses: {
    200: { description: 'The latest request.', content: { 'application/json': { schema: VerificationSchema } } },
    ...errorResponses('unauthorized', 'invalid_api_key', 'forbidden', 'account_suspended', 'not_found', 'rate_limited'),
  },
});

export function registerOrganizationVerification(app: AppRouter) {
  app.openapi(requestVerificationRoute, async (c) => {
    const { db, clock } = c.var.deps;
    return c.json(verificationBody(await requestVerification(db, clock, c.var.apiKey.accountId, c.req.valid('json'))), 201);
  });
  app.openapi(getVerificationRoute, async (c) => {
    const latest = await latestVerification(c.var.deps.db, c.var.apiKey.accountId);
    if (!latest) throw new KaifangError('not_found', 'This account has not asked to be verified as an organisation.');
    return c.json(verificationBody(latest), 200);
  });
}
