import { createRoute, z } from '@hono/zod-openapi';
import { recordConditionalRead } from '../../../access/grants';
import { parseAggregate, runAggregate } from '../../../datasets/aggregate/run-aggregate';
import { readableVersion } from '../../../datasets/catalog/readable-version';
import { parseRecordsQuery } from '../../../datasets/query/index';
import { recordUsage } from '../../middleware/api-key';
import type { AppRouter } from '../../context';
import { errorResponses } from '../../problem';
import { API_KEY_SECURITY } from '../keys/schemas';
import { RecordsQueryParams, requestedVersion } from './query-params';
import { DatasetIdParams } from './schemas';

const AggregateSchema = z
  .object({
    data: z
      .array(z.record(z.string(), z.unknown()))
      .openapi({ description: 'One object per group: the group fields, `count`, and one member per metric named `<fn>_<field>`.', example: [{ c2: '蜀山区', count: 812, avg_c9: 4.2 }] }),
    suppressedGroups: z.number().int().openapi({ description: 'Groups left out because they count fewer rows than `minCellSize`.', example: 2 }),
    minCellSize: z.number().int().openapi({ description: "The policy's minimum group size.", example: 5 }),
    truncated: z.boolean().openapi({ description: 'Whether more than 10,000 groups matched and only the first were returned.', example: false }),
  })
  .openapi('Aggregate');

export const aggregateRoute = createRoute({
  operationId: 'aggregateRecords',
  method: 'get',
  path: '/v1/datasets/{id}/aggregate',
  tags: ['Data'],
  summary: 'Aggregate records',
  description:
    'API key with scope `data:read`. Groups the filtered rows by up to three filterable fields (`groupBy=a,b`) and computes `metrics=count,sum(f),avg(f),min(f),max(f)`. Groups smaller than the policy\'s minimum cell size are suppressed, and the answer says how many were. Takes the same filters as records.',
  security: API_KEY_SECURITY,
  request: {
    params: DatasetIdParams,
    query: RecordsQueryParams.extend({
      groupBy: z.string().optional().openapi({ description: 'Comma-separated filterable fields to group by (at most 3; none: one total).', example: 'c2' }),
      metrics: z.string().optional().openapi({ description: 'Comma-separated metrics (default `count`).', example: 'count,avg(c9)' }),
    }),
  },
  responses: {
    200: { description: 'The groups.', content: { 'application/json': { schema: AggregateSchema } } },
    ...errorResponses('validation_failed', 'unauthorized', 'invalid_api_key', 'forbidden', 'application_required', 'not_found', 'rate_limited'),
  },
});

export function registerAggregate(app: AppRouter) {
  app.openapi(aggregateRoute, async (c) => {
    const { db, policy, clock } = c.var.deps;
    const params = new URL(c.req.url).searchParams;
    const reader = { accountId: c.var.apiKey.accountId, nowMs: clock.nowMs() };
    const target = await readableVersion(db, c.req.valid('param').id, requestedVersion(params), reader);
    const spec = parseAggregate({ groupBy: params.get('groupBy') ?? undefined, metrics: params.get('metrics') ?? undefined }, target.fields);
    params.delete('groupBy');
    params.delete('metrics');
    const query = parseRecordsQuery(params, target.fields);
    const result = await runAggregate(db, target.table, target.fields, query, spec, policy.minCellSize);
    if (target.access) {
      const fields = [...new Set([...spec.groupBy, ...spec.metrics.map((metric) => metric.field)].map((field) => field.name))];
      await recordConditionalRead(db, { ...reader, atMs: reader.nowMs, keyId: c.var.apiKey.keyId, datasetId: target.dataset.id, version: target.version, operation: 'aggregate', grantIds: target.access.grantIds, fields, rows: result.groups });
    }
    const body = Buffer.from(`{"data":${result.data},"suppressedGroups":${result.suppressedGroups},"minCellSize":${policy.minCellSize},"truncated":${result.truncated}}`);
    recordUsage(c, { rows: result.groups, bytes: body.length, datasetId: target.dataset.id });
    return c.body(body as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': 'application/json; charset=utf-8' }) as never;
  });
}
