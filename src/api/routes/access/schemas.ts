import { z } from '@hono/zod-openapi';
import { grantStatus, type ApplicationView, type Verification } from '../../../access/index';

const iso = (description: string, example: string | null) => z.string().nullable().openapi({ description, example });

export const GrantSchema = z
  .object({
    id: z.uuid().openapi({ description: 'Grant id.', example: '8d2f4c1a-6b3e-4f7a-9c10-2e5d8a7b9f01' }),
    fields: z.array(z.string()).openapi({ description: 'Field names the grant opens; records, aggregates and exports answer with these only.', example: ['c1', 'c2', 'c5'] }),
    startsAt: z.string().openapi({ description: 'When access began (ISO 8601).', example: '2026-03-02T09:00:00.000Z' }),
    endsAt: z.string().openapi({ description: 'The instant access ends (ISO 8601, exclusive).', example: '2026-09-01T00:00:00.000Z' }),
    status: z.enum(['active', 'scheduled', 'expired', 'revoked']).openapi({ description: '`active`, `expired` (past `endsAt`), `revoked` by the publisher, or `scheduled`.', example: 'active' }),
    revokedAt: iso('When the publisher revoked the grant (ISO 8601), or null.', null),
  })
  .openapi('Grant', { description: 'Access granted by an approved application.' });

export const ApplicationSchema = z
  .object({
    id: z.uuid().openapi({ description: 'Application id.', example: '3c9e1b7a-2d4f-4e8a-b6c1-7f0a9d2e5b44' }),
    dataset: z
      .object({
        id: z.uuid().openapi({ description: 'Dataset id.', example: '0c6f9a4e-2b7d-4b9e-8f0a-6a1d2c3b4e5f' }),
        slug: z.string().openapi({ description: 'Dataset slug.', example: 'case-records-linked' }),
        title: z.string().openapi({ description: 'Dataset title.', example: '政务服务办件记录（有条件开放）' }),
        publisher: z.string().openapi({ description: 'Slug of the publisher that decides.', example: 'hefei-gov-services' }),
      })
      .openapi({ description: 'The dataset applied for.' }),
    accountId: z.uuid().openapi({ description: 'The applying developer account.', example: '0b7c2e4d-9a1f-4c3b-8e6d-5f2a1b0c9d8e' }),
    purpose: z.string().openapi({ description: 'What the data will be used for, as stated by the applicant.', example: '办件时效研究：按事项统计办理天数分布' }),
    requestedFields: z.array(z.string()).openapi({ description: 'Fields asked for.', example: ['c1', 'c2', 'c5', 'c7'] }),
    requestedEndsAt: z.string().openapi({ description: 'End of access asked for (ISO 8601).', example: '2026-12-31T00:00:00.000Z' }),
    acceptedAgreementVersion: z.string().openapi({ description: 'Version of the data use agreement the applicant accepted.', example: 'dua-2026-03' }),
    status: z.enum(['pending', 'approved', 'rejected']).openapi({ description: 'Where the application stands.', example: 'pending' }),
    createdAt: z.string().openapi({ description: 'When it was submitted (ISO 8601).', example: '2026-03-01T08:00:00.000Z' }),
    decidedAt: iso('When a steward decided (ISO 8601), or null.', null),
    decisionReason: z.string().nullable().openapi({ description: 'Why it was rejected, or null.', example: null }),
    grant: GrantSchema.nullable().openapi({ description: 'The grant an approval created, or null.' }),
  })
  .openapi('Application', { description: 'An application for a conditionally open dataset.' });

export function applicationBody(view: ApplicationView, nowMs: number): z.infer<typeof ApplicationSchema> {
  const { application, grant } = view;
  return {
    id: application.id,
    dataset: view.dataset,
    accountId: application.accountId,
    purpose: application.purpose,
    requestedFields: application.requestedFields,
    requestedEndsAt: application.requestedEndsAt.toISOString(),
    acceptedAgreementVersion: application.agreementVersion,
    status: application.status,
    createdAt: application.createdAt.toISOString(),
    decidedAt: application.decidedAt?.toISOString() ?? null,
    decisionReason: application.decisionReason,
    grant: grant && {
      id: grant.id,
      fields: grant.fields,
      startsAt: grant.startsAt.toISOString(),
      endsAt: grant.endsAt.toISOString(),
      status: grantStatus(grant, nowMs),
      revokedAt: grant.revokedAt?.toISOString() ?? null,
    },
  };
}

export const VerificationSchema = z
  .object({
    id: z.uuid().openapi({ description: 'Verification request id.', example: '6a1d2c3b-4e5f-4b9e-8f0a-0c6f9a4e2b7d' }),
    accountId: z.uuid().openapi({ description: 'The account asking to be verified.', example: '0b7c2e4d-9a1f-4c3b-8e6d-5f2a1b0c9d8e' }),
    organization: z.string().openapi({ description: 'Organisation name as given.', example: '合肥公交出行科技有限公司' }),
    creditCode: z.string().openapi({ description: 'Unified social credit code (normalised, check character verified).', example: '91340100MA2N0KXX4J' }),
    status: z.enum(['pending', 'verified', 'rejected']).openapi({ description: 'Where the request stands.', example: 'pending' }),
    requestedAt: z.string().openapi({ description: 'When it was asked for (ISO 8601).', example: '2026-03-01T08:00:00.000Z' }),
    decidedAt: iso('When an admin decided (ISO 8601), or null.', null),
    decisionReason: z.string().nullable().openapi({ description: 'Why it was rejected, or null.', example: null }),
  })
  .openapi('OrganizationVerification', { description: 'A request to verify a developer account as an organisation.' });

export function verificationBody(row: Verification): z.infer<typeof VerificationSchema> {
  return {
    id: row.id,
    accountId: row.accountId,
    organization: row.organization,
    creditCode: row.creditCode,
    status: row.status,
    requestedAt: row.requestedAt.toISOString(),
    decidedAt: row.decidedAt?.toISOString() ?? null,
    decisionReason: row.decisionReason,
  };
}
