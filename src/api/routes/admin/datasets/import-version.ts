import { createRoute, z } from '@hono/zod-openapi';
import { findDataset } from '../../../../datasets/find-dataset';
import { importVersion } from '../../../../datasets/import-version';
import { KaifangError } from '../../../../errors';
import type { AppRouter } from '../../../context';
import { errorResponses } from '../../../problem';
import { DatasetParams, VersionSchema } from './schemas';
import { serializeVersion } from './serialize';

const CSV_TYPES = ['text/csv', 'text/tab-separated-values', 'text/plain', 'application/octet-stream'];

export const importVersionRoute = createRoute({
  operationId: 'importAdminDatasetVersion',
  method: 'post',
  path: '/v1/admin/datasets/{id}/versions',
  tags: ['Admin'],
  summary: 'Import a CSV as a new draft version',
  description:
    'Stewards of the publisher. The body is the CSV itself (header row first; UTF-8 with or without BOM, or GB18030/GBK; comma or tab), streamed: it is never held whole in memory. Every cell is transformed by the policy on the way in, so raw values never reach the database. A file with any problem is refused as a whole with the line and column of each (up to 20), and leaves no version behind.',
  security: [{ stewardToken: [] }],
  request: {
    params: DatasetParams,
    query: z.object({
      encoding: z.enum(['auto', 'utf-8', 'gb18030', 'gbk']).default('auto').openapi({ description: 'Character encoding of the file; `auto` detects UTF-8 or GB18030.', example: 'auto' }),
      delimiter: z.enum(['auto', 'comma', 'tab']).default('auto').openapi({ description: 'Field delimiter; `auto` picks from the header line.', example: 'auto' }),
    }),
    body: {
      required: true,
      description: 'The CSV file.',
      content: { 'text/csv': { schema: z.string().openapi({ format: 'binary', description: 'CSV bytes.' }) } },
    },
  },
  responses: {
    201: { description: 'The draft version with its classification report.', content: { 'application/json': { schema: VersionSchema } } },
    ...errorResponses('validation_failed', 'unauthorized', 'invalid_token', 'forbidden', 'not_found', 'payload_too_large', 'unsupported_media_type', 'unprocessable', 'csv_invalid'),
  },
});

export function registerImportVersion(app: AppRouter) {
  app.openapi(importVersionRoute, async (c) => {
    const { deps } = c.var;
    const contentType = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (!CSV_TYPES.includes(contentType)) {
      throw new KaifangError('unsupported_media_type', `Send the file with Content-Type text/csv (got ${contentType || 'none'}).`);
    }
    const body = c.req.raw.body;
    if (!body) throw new KaifangError('csv_invalid', 'The request has no body; send the CSV file.');
    const { dataset } = await findDataset(deps.db, c.req.valid('param').id);
    const { encoding, delimiter } = c.req.valid('query');
    const version = await importVersion(
      { db: deps.db, policy: deps.policy, secret: deps.config.secret, maxImportBytes: deps.config.maxImportBytes, clock: deps.clock },
      c.var.steward,
      { datasetId: dataset.id, source: body, encoding, delimiter: delimiter === 'comma' ? ',' : delimiter === 'tab' ? '\t' : 'auto' },
    );
    return c.json(serializeVersion(version), 201);
  });
}
