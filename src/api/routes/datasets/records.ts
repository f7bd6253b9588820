import { createRoute, z } from '@hono/zod-openapi';
import { readableVersion } from '../../../datasets/catalog/readable-version';
import { deriveCursorKey, fetchRecordsPage, parseRecordsQuery, recordsResponseBody } from '../../../datasets/query/index';
import { recordUsage } from '../../middleware/api-key';
import type { AppRouter } from '../../context';
import { errorResponses } from '../../problem';
import { API_KEY_SECURITY } from '../keys/schemas';
import { RecordsQueryParams } from './query-params';
import { DatasetIdParams } from './schemas';

export const RecordsPageSchema = z
  .object({
    data: z.array(z.record(z.string(), z.unknown())).openapi({ description: 'Records: one object per row with the selected fields.', example: [{ c1: '蜀山区社保卡服务网点1号', c2: '蜀山区' }] }),
    next: z.string().nullable().openapi({ description: 'Cursor of the next page (also in the `Link: rel="next"` header), or null on the last page.', example: null }),
    count: z.number().int().nullable().openapi({ description: 'Rows matching the filters: exact, estimated by the planner, or null with `count=none`.', example: 40 }),
  })
  .openapi('RecordsPage');

export const recordsRoute = createRoute({
  operationId: 'listRecords',
  method: 'get',
  path: '/v1/datasets/{id}/records',
  tags: ['Data'],
  summary: 'Query records',
  description:
    'API key with scope `data:read`. Rows of the current (or `version=n`) published version, filtered, sorted and paged by cursor. Conditionally open datasets answer 403 `application_required` until an application is approved.',
  security: API_KEY_SECURITY,
  request: { params: DatasetIdParams, query: RecordsQueryParams },
  responses: {
    200: { description: 'A page of records.', content: { 'application/json': { schema: RecordsPageSchema } } },
    ...errorResponses('validation_failed', 'unauthorized', 'invalid_api_key', 'forbidden', 'application_required', 'not_found', 'rate_limited'),
  },
});

// The cursor key depends only on the platform secret: derive it once per secret.
const cursorKeys = new Map<string, Buffer>();
export const cursorKeyFor = (secret: string) => cursorKeys.get(secret) ?? cursorKeys.set(secret, deriveCursorKey(secret)).get(secret)!;

export function registerRecords(app: AppRouter) {
  app.openapi(recordsRoute, async (c) => {
    const { db, config } = c.var.deps;
    const params = new URL(c.req.url).searchParams;
    const requested = params.get('version');
    const target = await readableVersion(db, c.req.valid('param').id, requested !== null && /^\d{1,9}$/.test(requested) ? Number(requested) : null);
    const query = parseRecordsQuery(params, target.fields);
    const page = await fetchRecordsPage({ db, query, fields: target.fields, table: target.table, datasetId: target.dataset.id, version: target.version, cursorKey: cursorKeyFor(config.secret) });
    recordUsage(c, { rows: page.rows, datasetId: target.dataset.id });
    const headers: Record<string, string> = { 'Content-Type': 'application/json; charset=utf-8' };
    if (page.next) {
      const nextUrl = new URL(c.req.url);
      nextUrl.searchParams.set('cursor', page.next);
      headers.Link = `<${nextUrl.pathname}${nextUrl.search}>; rel="next"`;
    }
    return c.body(recordsResponseBody(page), 200, headers) as never;
  });
}
