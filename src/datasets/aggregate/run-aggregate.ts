// Aggregates over a published version: group by filterable fields, count and numeric
// metrics. Groups counting fewer rows than the policy's minimum cell size are removed
// (a group of one is a record), and the answer says how many were.
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { KaifangError, type FieldIssue } from '../../errors';
import type { DatasetField } from '../field-schema';
import { compileWhere, type RecordsTable } from '../query/compile-records-sql';
import type { RecordsQuery } from '../query/parse-records-query';
import { quoteIdent } from '../version-table';

export const MAX_GROUP_FIELDS = 3;
export const MAX_GROUPS = 10_000;
const NUMERIC_METRICS = ['sum', 'avg', 'min', 'max'] as const;
type NumericMetric = (typeof NUMERIC_METRICS)[number];

export interface AggregateRequest {
  groupBy: string | undefined;
  metrics: string | undefined;
}

interface Metric {
  fn: NumericMetric;
  field: DatasetField;
  alias: string;
}

export function parseAggregate(request: AggregateRequest, fields: readonly DatasetField[]) {
  const issues: FieldIssue[] = [];
  const byName = new Map(fields.map((field) => [field.name, field]));
  const groupBy: DatasetField[] = [];
  for (const name of (request.groupBy ?? '').split(',').map((part) => part.trim()).filter(Boolean)) {
    const field = byName.get(name);
    if (!field) issues.push({ location: 'query.groupBy', message: `unknown field "${name.slice(0, 64)}"` });
    else if (!field.filterable) issues.push({ location: 'query.groupBy', message: `field "${name}" is not filterable, so it cannot be grouped by` });
    else if (!groupBy.includes(field)) groupBy.push(field);
  }
  if (groupBy.length > MAX_GROUP_FIELDS) issues.push({ location: 'query.groupBy', message: `at most ${MAX_GROUP_FIELDS} fields` });
  const metrics: Metric[] = [];
  for (const term of (request.metrics ?? 'count').split(',').map((part) => part.trim()).filter(Boolean)) {
    if (term === 'count') continue;
    const match = /^(sum|avg|min|max)\(([a-z0-9_]{1,63})\)$/.exec(term);
    const field = match ? byName.get(match[2]!) : undefined;
    if (!match || !field) {
      issues.push({ location: 'query.metrics', message: `"${term.slice(0, 64)}" is not count, sum(field), avg(field), min(field) or max(field) of a known field` });
      continue;
    }
    const fn = match[1] as NumericMetric;
    const numeric = field.type === 'integer' || field.type === 'number';
    const ordered = numeric || field.type === 'date' || field.type === 'datetime';
    if ((fn === 'sum' || fn === 'avg') && !numeric) issues.push({ location: 'query.metrics', message: `${fn} needs a numeric field; "${field.name}" is ${field.type}` });
    else if (!ordered) issues.push({ location: 'query.metrics', message: `${fn} needs a numeric or date field; "${field.name}" is ${field.type}` });
    else metrics.push({ fn, field, alias: `${fn}_${field.name}` });
  }
  if (issues.length > 0) throw new KaifangError('validation_failed', `Invalid ${[...new Set(issues.map((issue) => issue.location))].join(', ')}.`, { errors: issues });
  return { groupBy, metrics };
}

export async function runAggregate(
  db: Database,
  table: RecordsTable,
  fields: readonly DatasetField[],
  query: RecordsQuery,
  spec: ReturnType<typeof parseAggregate>,
  minCellSize: number,
) {
  const groupColumns = spec.groupBy.map((field) => `t.${quoteIdent(field.name)}`);
  const outputs = [
    ...spec.groupBy.map((field) => `t.${quoteIdent(field.name)} as ${quoteIdent(field.name)}`),
    'count(*)::bigint as count',
    ...spec.metrics.map((metric) => `${metric.fn}(t.${quoteIdent(metric.field.name)}) as ${quoteIdent(metric.alias)}`),
  ].join(', ');
  const groupClause = groupColumns.length ? `group by ${groupColumns.join(', ')} order by ${groupColumns.join(', ')}` : '';
  const [row] = await db.rows<{ data: string; suppressed: number; groups: number }>(sql`
    with g as (select ${sql.raw(outputs)} from ${sql.raw(table.qualifiedName)} t where ${compileWhere(query, fields)} ${sql.raw(groupClause)})
    select coalesce((select json_agg(row_to_json(k))::text from (select * from g where count >= ${minCellSize} limit ${MAX_GROUPS}) k), '[]') as data,
           (select count(*)::int from g where count < ${minCellSize}) as suppressed,
           (select count(*)::int from g where count >= ${minCellSize}) as groups`);
  return { data: row!.data, suppressedGroups: row!.suppressed, groups: Math.min(row!.groups, MAX_GROUPS), truncated: row!.groups > MAX_GROUPS };
}
