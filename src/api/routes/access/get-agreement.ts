import { createRoute, z } from '@hono/zod-openapi';
import { currentAgreement } from '../../../access/index';
import type { AppRouter } from '../../context';
import { errorResponses } from '../../problem';

const AgreementSchema = z
  .object({
    version: z.string().openapi({ description: 'Version id to send as `acceptedAgreementVersion` when applying.', example: 'dua-2026-03' }),
    sha256: z.string().openapi({ description: 'SHA-256 of the text, recorded with each application.', example: '4f1c0a9e8d4b4c1e9a573c2f0d9b1e214f1c0a9e8d4b4c1e9a573c2f0d9b1e21' }),
    text: z.string().openapi({ description: 'The agreement (Markdown).', example: '# 数据使用协议 / Data use agreement (dua-2026-03)\n...' }),
  })
  .openapi('DataUseAgreement');

export const getAgreementRoute = createRoute({
  operationId: 'getDataUseAgreement',
  method: 'get',
  path: '/v1/data-use-agreement',
  tags: ['Conditional access'],
  summary: 'The data use agreement',
  description: 'Public. The current data use agreement that applicants for conditionally open data accept, with its version id.',
  responses: {
    200: { description: 'The current agreement.', content: { 'application/json': { schema: AgreementSchema } } },
    ...errorResponses('rate_limited'),
  },
});

export function registerGetAgreement(app: AppRouter) {
  app.openapi(getAgreementRoute, (c) => {
    const agreement = currentAgreement();
    return c.json({ version: agreement.version, sha256: agreement.sha256, text: agreement.text }, 200);
  });
}
