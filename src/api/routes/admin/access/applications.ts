import { createRoute, z } from '@hono/zod-openapi';
import { approveApplication, grantStatus, listApplicationsFor, rejectApplication, revokeGrant } from '../../../../access/index';
import type { AppRouter } from '../../../context';
import { errorResponses } from '../../../problem';
import { ApplicationSchema, GrantSchema, applicationBody } from '../../access/schemas';

const IdParams = (what: string) =>
  z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' }, description: `Id of the ${what}.`, example: '3c9e1b7a-2d4f-4e8a-b6c1-7f0a9d2e5b44' }) });

const ListQuery = z.object({
  status: z.enum(['pending', 'approved', 'rejected']).default('pending').openapi({ description: 'Applications with this status (default `pending`).', example: 'pending' }),
  limit: z.coerce.number().int().min(1).max(500).default(100).openapi({ description: 'Most applications to return (1–500), oldest first.', example: 100 }),
});

const ApproveSchema = z
  .object({
    fields: z.array(z.string().regex(/^[a-z0-9_]{1,63}$/)).min(1).optional().openapi({ description: 'Grant only these of the requested fields. Omitted: every requested field.', example: ['c1', 'c2'] }),
    endsAt: z.iso.datetime({ offset: true }).optional().openapi({ description: 'End access earlier than requested (ISO 8601). Omitted: the requested end.', example: '2026-06-30T00:00:00Z' }),
  })
  .openapi('ApproveApplication');

const ReasonSchema = z
  .object({ reason: z.string().trim().min(1).max(2000).openapi({ description: 'Why; shown to the applicant (rejections) and kept with the record.', example: '用途与申请字段不匹配' }) })
  .openapi('DecisionReason');

const DECIDERS = 'Stewards and approvers of the dataset\'s publisher (admins for any), never on an application of their own developer account (token subject = the account\'s email address: 403 `conflict_of_interest`).';

export const listAdminApplicationsRoute = createRoute({
  operationId: 'listAdminApplications',
  method: 'get',
  path: '/v1/admin/applications',
  tags: ['Admin'],
  summary: 'List applications to decide',
  description: 'Stewards and approvers see the applications for their publisher\'s datasets; auditors and admins see all. Pending ones by default, oldest first.',
  security: [{ stewardToken: [] }],
  request: { query: ListQuery },
  responses: {
    200: { description: 'Applications.', content: { 'application/json': { schema: z.object({ data: z.array(ApplicationSchema).openapi({ description: 'Applications, oldest first.' }) }).openapi('AdminApplicationList') } } },
    ...errorResponses('validation_failed', 'unauthorized', 'invalid_token', 'forbidden'),
  },
});

export const approveApplicationRoute = createRoute({
  operationId: 'approveAdminApplication',
  method: 'post',
  path: '/v1/admin/applications/{id}/approve',
  tags: ['Admin'],
  summary: 'Approve an application',
  description: `${DECIDERS} Creates a grant for the requested fields and period, or narrower ones. The applicant's keys can read the granted fields at once.`,
  security: [{ stewardToken: [] }],
  request: { params: IdParams('application'), body: { required: false, content: { 'application/json': { schema: ApproveSchema } } } },
  responses: {
    200: { description: 'The approved application with its grant.', content: { 'application/json': { schema: ApplicationSchema } } },
    ...errorResponses('validation_failed', 'unauthorized', 'invalid_token', 'forbidden', 'conflict_of_interest', 'not_found', 'conflict'),
  },
});

export const rejectApplicationRoute = createRoute({
  operationId: 'rejectAdminApplication',
  method: 'post',
  path: '/v1/admin/applications/{id}/reject',
  tags: ['Admin'],
  summary: 'Reject an application',
  description: `${DECIDERS} A reason is required.`,
  security: [{ stewardToken: [] }],
  request: { params: IdParams('application'), body: { required: true, content: { 'application/json': { schema: ReasonSchema } } } },
  responses: {
    200: { description: 'The rejected application.', content: { 'application/json': { schema: ApplicationSchema } } },
    ...errorResponses('validation_failed', 'unauthorized', 'invalid_token', 'forbidden', 'conflict_of_interest', 'not_found', 'conflict'),
  },
});

export const revokeGrantRoute = createRoute({
  operationId: 'revokeAdminGrant',
  method: 'post',
  path: '/v1/admin/grants/{id}/revoke',
  tags: ['Admin'],
  summary: 'Revoke a grant',
  description: 'Stewards and approvers of the dataset\'s publisher (admins for any). Access ends with the next request on every instance. A reason is required; revoking a revoked grant changes nothing.',
  security: [{ stewardToken: [] }],
  request: { params: IdParams('grant'), body: { required: true, content: { 'application/json': { schema: ReasonSchema } } } },
  responses: {
    200: { description: 'The revoked grant.', content: { 'application/json': { schema: GrantSchema } } },
    ...errorResponses('validation_failed', 'unauthorized', 'invalid_token', 'forbidden', 'not_found'),
  },
});

export function registerAdminApplicationRoutes(app: AppRouter) {
  app.openapi(listAdminApplicationsRoute, async (c) => {
    const { db, clock } = c.var.deps;
    const views = await listApplicationsFor(db, c.var.steward, c.req.valid('query'));
    const nowMs = clock.nowMs();
    return c.json({ data: views.map((view) => applicationBody(view, nowMs)) }, 200);
  });
  app.openapi(approveApplicationRoute, async (c) => {
    const { db, clock } = c.var.deps;
    const body = c.req.valid('json') ?? {};
    const view = await approveApplication(db, clock, c.var.steward, c.req.valid('param').id, { fields: body.fields, endsAtMs: body.endsAt ? Date.parse(body.endsAt) : undefined });
    return c.json(applicationBody(view, clock.nowMs()), 200);
  });
  app.openapi(rejectApplicationRoute, async (c) => {
    const { db, clock } = c.var.deps;
    const view = await rejectApplication(db, clock, c.var.steward, c.req.valid('param').id, c.req.valid('json').reason);
    return c.json(applicationBody(view, clock.nowMs()), 200);
  });
  app.openapi(revokeGrantRoute, async (c) => {
    const { db, clock } = c.var.deps;
    const grant = await revokeGrant(db, clock, c.var.steward, c.req.valid('param').id, c.req.valid('json').reason);
    return c.json(
      { id: grant.id, fields: grant.fields, startsAt: grant.startsAt.toISOString(), endsAt: grant.endsAt.toISOString(), status: grantStatus(grant, clock.nowMs()), revokedAt: grant.revokedAt?.toISOString() ?? null },
      200,
    );
  });
}
