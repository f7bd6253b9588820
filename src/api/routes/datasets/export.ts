import { createRoute, z } from '@hono/zod-openapi';
import { routePath } from 'hono/route';
import { recordConditionalRead } from '../../../access/grants';
import { readableVersion } from '../../../datasets/catalog/readable-version';
import { EXPORT_CONTENT_TYPES, exportStream, type ExportFormat } from '../../../datasets/export/stream-export';
import { compileWhere, parseRecordsQuery } from '../../../datasets/query/index';
import type { AppRouter } from '../../context';
import { recordUsage } from '../../middleware/api-key';
import { errorResponses } from '../../problem';
import { API_KEY_SECURITY } from '../keys/schemas';
import { RecordsQueryParams, requestedVersion } from './query-params';
import { DatasetIdParams } from './schemas';

const streamed = (description: string) => z.string().openapi({ description });

export const exportRoute = createRoute({
  operationId: 'exportRecords',
  method: 'get',
  path: '/v1/datasets/{id}/export',
  tags: ['Data'],
  summary: 'Export records',
  description:
    'API key with scope `data:read`. Every row matching the filters (same syntax as records; `select` chooses columns), streamed as CSV, NDJSON or a JSON array, in row order, from one published version. Memory stays bounded however large the dataset; rows and bytes sent count in usage. Conditionally open datasets export only the granted fields, to keys of an account with an active grant; every such export is audited.',
  security: API_KEY_SECURITY,
  request: {
    params: DatasetIdParams,
    query: RecordsQueryParams.extend({
      format: z.enum(['csv', 'ndjson', 'json']).default('csv').openapi({ description: 'Output format.', example: 'csv' }),
      bom: z.enum(['true', 'false']).default('false').openapi({ description: '`true` starts a CSV with a UTF-8 byte order mark, so spreadsheet programs show Chinese text correctly.', example: 'true' }),
    }),
  },
  responses: {
    200: {
      description: 'The rows, streamed.',
      content: {
        'text/csv': { schema: streamed('CSV with a header row of field names.') },
        'application/x-ndjson': { schema: streamed('One JSON object per line.') },
        'application/json': { schema: streamed('A JSON array of objects.') },
      },
    },
    ...errorResponses('validation_failed', 'unauthorized', 'invalid_api_key', 'forbidden', 'application_required', 'not_found', 'rate_limited'),
  },
});

export function registerExport(app: AppRouter) {
  app.openapi(exportRoute, async (c) => {
    const { db, keys, clock, logger } = c.var.deps;
    const params = new URL(c.req.url).searchParams;
    const format = (params.get('format') ?? 'csv') as ExportFormat;
    const bom = params.get('bom') === 'true';
    params.delete('format');
    params.delete('bom');
    const apiKey = c.var.apiKey;
    const reader = { accountId: apiKey.accountId, nowMs: clock.nowMs() };
    const target = await readableVersion(db, c.req.valid('param').id, requestedVersion(params), reader);
    const query = parseRecordsQuery(params, target.fields);
    const selected = target.fields.filter((field) => query.select.includes(field.name));
    const route = routePath(c);
    // Conditional data: one entry before the first byte (no entry, no data), one with the row count at the end.
    const access = target.access;
    const audit = (rows: number | null, operation: 'export' | 'export_completed') =>
      access &&
      recordConditionalRead(db, { ...reader, atMs: operation === 'export' ? reader.nowMs : clock.nowMs(), keyId: apiKey.keyId, datasetId: target.dataset.id, version: target.version, operation, grantIds: access.grantIds, fields: selected.map((field) => field.name), rows });
    await audit(null, 'export');
    const stream = exportStream({
      db,
      table: target.table.qualifiedName,
      fields: selected,
      where: compileWhere(query, target.fields),
      everyRow: query.filters.length === 0 && query.q === null,
      format,
      bom,
      // The request was metered when the response started; what the stream sent is added when it ends.
      onDone: ({ rows, bytes }) => {
        if (apiKey) keys.meter.record({ keyId: apiKey.keyId, accountId: apiKey.accountId, route, datasetId: target.dataset.id, atMs: clock.nowMs(), rows, bytes, error: false, requests: 0 });
        audit(rows, 'export_completed')?.catch((error: unknown) => logger.error({ err: error }, 'could not audit the end of a conditional export'));
      },
    });
    // The request itself is metered when the response starts, under the same dataset, so the usage report shows one line per export.
    recordUsage(c, { bytes: 0, datasetId: target.dataset.id });
    const filename = `${target.dataset.slug}-v${target.version}.${format === 'ndjson' ? 'ndjson' : format}`;
    return c.body(stream, 200, { 'Content-Type': EXPORT_CONTENT_TYPES[format], 'Content-Disposition': `attachment; filename="${filename}"` }) as never;
  });
}
