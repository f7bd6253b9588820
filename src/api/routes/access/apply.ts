import { createRoute, z } from '@hono/zod-openapi';
import { applyForAccess, MAX_GRANT_DAYS } from '../../../access/index';
import type { AppRouter } from '../../context';
import { errorResponses } from '../../problem';
import { API_KEY_SECURITY } from '../keys/schemas';
import { ApplicationSchema, applicationBody } from './schemas';

const ApplySchema = z
  .object({
    dataset: z.string().min(1).max(100).openapi({ description: 'Id or slug of a conditionally open dataset.', example: 'case-records-linked' }),
    purpose: z.string().trim().min(10).max(2000).openapi({ description: 'What the data will be used for; the grant is bound to it.', example: '办件时效研究：按事项统计办理天数分布' }),
    fields: z.array(z.string().regex(/^[a-z0-9_]{1,63}$/)).min(1).max(200).openapi({ description: 'Names of the fields needed (from the dataset\'s field schema).', example: ['c1', 'c2', 'c5'] }),
    endsAt: z.iso.datetime({ offset: true }).openapi({ description: `Until when access is needed (ISO 8601; in the future, at most ${MAX_GRANT_DAYS} days ahead).`, example: '2026-12-31T00:00:00Z' }),
    acceptedAgreementVersion: z.string().min(1).max(64).openapi({ description: 'Version id of the data use agreement you accept (GET /v1/data-use-agreement); must be the current one.', example: 'dua-2026-03' }),
  })
  .openapi('NewApplication');

export const applyRoute = createRoute({
  operationId: 'createApplication',
  method: 'post',
  path: '/v1/applications',
  tags: ['Conditional access'],
  summary: 'Apply for a conditionally open dataset',
  description:
    'API key with scope `applications:manage`, of an account verified as an organisation. Applies for access to fields of a conditionally open dataset for a stated purpose until a date, accepting the current data use agreement. A steward of the dataset\'s publisher approves (possibly narrowing fields and period) or rejects it. One pending application per dataset.',
  security: API_KEY_SECURITY,
  request: { body: { required: true, content: { 'application/json': { schema: ApplySchema } } } },
  responses: {
    201: { description: 'The pending application.', content: { 'application/json': { schema: ApplicationSchema } } },
    ...errorResponses('validation_failed', 'unauthorized', 'invalid_api_key', 'forbidden', 'organization_not_verified', 'account_suspended', 'not_found', 'conflict', 'unprocessable', 'rate_limited'),
  },
});

export function registerApply(app: AppRouter) {
  app.openapi(applyRoute, async (c) => {
    const { db, clock } = c.var.deps;
    const body = c.req.valid('json');
    const view = await applyForAccess(db, clock, c.var.apiKey.accountId, {
      dataset: body.dataset,
      purpose: body.purpose,
      fields: body.fields,
      endsAtMs: Date.parse(body.endsAt),
      agreementVersion: body.acceptedAgreementVersion,
    });
    return c.json(applicationBody(view, clock.nowMs()), 201);
  });
}
