// Compiles a parsed records query into one SQL statement that returns the page's rows,
// each as one JSON text built by Postgres (DESIGN.md, "Performance design"): the HTTP
// layer joins those texts into the response without parsing rows into objects and
// serialising them again.
//
// Safety: identifiers come only from the field schema through quoteIdent, and every
// value is a bound parameter cast to its column type. Paging is keyset only: the order
// is the requested sort fields and then `_kf_row`, unique, so "the rows after the last
// one sent" is well defined even with duplicates and NULLs, and page 1,000 costs what
// page 1 costs when an index serves the order.
import type { SQL } from 'drizzle-orm';
import type { DatasetField } from '../field-schema';
import { PUBLISHED_SCHEMA, quoteIdent, SQL_TYPES, versionTableName } from '../version-table';
import type { OrderTerm, RecordsFilter, RecordsQuery } from './parse-records-query';
import { join, q, raw, type Statement, toDrizzle } from './statement';

/** A table to read from, as a schema-qualified name this code generated. */
export interface RecordsTable {
  qualifiedName: string;
}

/**
 * Where the previous page ended: the last row's sort values (canonical text, null for
 * NULL) in the order of `query.order`, and its `_kf_row`. decodeCursor gives this back.
 */
export interface KeysetPosition {
  values: (string | null)[];
  row: string;
}

/**
 * The columns of a records statement's rows, in order; up to `limit + 1` rows in page
 * order (one more than the page means there is a next page):
 * - `_kf_json`: the record as a JSON object text built by Postgres, selected fields only;
 * - `_kf_k0`, `_kf_k1`, ...: the row's sort values as canonical text (NULL for NULL), one per term of `query.order`;
 * - `_kf_krow`: the row's `_kf_row`, as text.
 */
export type RecordsPageRow = (Buffer | null)[];

/** The sort values and row id of a fetched row, in the form a cursor carries. */
export function keysetPositionOf(row: RecordsPageRow, sortTerms: number): KeysetPosition {
  const id = row[sortTerms + 1];
  if (!id) throw new Error('a records row without its _kf_row');
  return { values: row.slice(1, sortTerms + 1).map((value) => (value === null ? null : value.toString('utf8'))), row: id.toString('utf8') };
}

// Aliases inside the statement. Field names are generated `c<n>...` identifiers, so these
// can never collide with one; compile checks anyway.
const ROW = '_kf_row';
const sortAlias = (index: number) => `_kf_o${index}`;
const RESERVED_PREFIX = '_kf';
const QUALIFIED_NAME_RE = /^(?:"[a-z_][a-z0-9_]{0,62}"|[a-z_][a-z0-9_]{0,62})\.(?:"[a-z_][a-z0-9_]{0,62}"|[a-z_][a-z0-9_]{0,62})$/;

/** The published table of a dataset version. */
export function publishedTable(datasetId: string, version: number): RecordsTable {
  return { qualifiedName: `${PUBLISHED_SCHEMA}.${quoteIdent(versionTableName(datasetId, version))}` };
}

/**
 * The page statement. Returns up to `limit + 1` rows ({@link RecordsPageRow}) in page
 * order; run it with runStatementRaw. `after` is the decoded cursor, if any.
 * `gate`, when given, is a condition on anything but the table: false, the statement
 * reads nothing and returns no rows (Postgres checks it once, before the scan).
 */
export function compileRecordsSql(query: RecordsQuery, table: RecordsTable, fields: readonly DatasetField[], after?: KeysetPosition | null, gate?: Statement): Statement {
  const schema = fieldMap(fields);
  const from = tableSql(table);
  const order = query.order.map((term) => ({ term, field: lookup(schema, term.field) }));
  if (after && after.values.length !== order.length) throw new Error('a keyset position must have one value per sort field');
  // The tiebreaker runs in the direction of the last sort field, so a single-field order
  // is exactly the (col, _kf_row) index read forwards or backwards.
  const rowDirection = order.at(-1)?.term.direction ?? 'asc';
  const limit = query.limit;

  const selected = query.select.map((name) => raw(`t.${quoteIdent(lookup(schema, name).name)}`));
  const innerColumns = join(
    [
      ...selected,
      ...order.map(({ field }, index) => raw(`t.${quoteIdent(field.name)} as ${sortAlias(index)}`)),
      raw(`t.${ROW} as ${ROW}`),
    ],
    ', ',
  );
  // The order on the table's columns (so an index can serve it), or on the aliases the page carries.
  const orderOn = (on: 'table' | 'aliases') =>
    raw(
      [
        ...order.map(({ term, field }, index) => `${on === 'table' ? `t.${quoteIdent(field.name)}` : sortAlias(index)} ${orderSuffix(term)}`),
        `${on === 'table' ? `t.${ROW}` : ROW} ${rowDirection}`,
      ].join(', '),
    );

  const where = [...filterConditions(query, schema)];
  const branches = after ? keysetBranches(order, after, rowDirection) : [null];
  const branchSelect = (extra: Statement | null) =>
    q`select ${innerColumns} from ${from} where ${conjunction([...where, ...(extra ? [extra] : [])])} order by ${orderOn('table')} limit ${limit + 1}::int`;

  // Two branches when the first sort field's NULLs follow the cursor value: each branch
  // is then an index range read in order, where one OR would scan from the start.
  const page =
    branches.length === 1
      ? branchSelect(branches[0]!)
      : q`select * from (${join(
          branches.map((branch) => q`(${branchSelect(branch)})`),
          ' union all ',
        )}) b order by ${orderOn('aliases')} limit ${limit + 1}::int`;

  // Each row as JSON text: the whole-row value of a LATERAL subquery that selects just the
  // output fields, which the planner flattens into a named row (no per-row subplan). The
  // sort values go out as canonical text, for the next cursor.
  const outputColumns = raw(query.select.map((name) => `p.${quoteIdent(name)}`).join(', '));
  const keyColumns = raw(
    [...order.map((_, index) => `to_jsonb(p.${sortAlias(index)}) #>> '{}' as _kf_k${index}`), `p.${ROW}::text as _kf_krow`].join(', '),
  );
  return q`select to_json(x)::text as _kf_json, ${keyColumns}
from (${page}) p cross join lateral (select ${outputColumns}) x
where ${gate ?? q`true`}
order by ${orderOn('aliases')}`;
}

/** The filter condition (filters and `q`) over alias `t`, for statements other than pages: aggregates, exports. */
export function compileWhere(query: RecordsQuery, fields: readonly DatasetField[]): SQL {
  return toDrizzle(conjunction(filterConditions(query, fieldMap(fields))));
}

/** `select count(*)` over the filtered rows, for `count=exact`. One row: `{ count: string }`. */
export function compileCountSql(query: RecordsQuery, table: RecordsTable, fields: readonly DatasetField[]): Statement {
  const schema = fieldMap(fields);
  return q`select count(*)::text as count from ${tableSql(table)} where ${conjunction(filterConditions(query, schema))}`;
}

/** The planner's estimate of the filtered row count, as an `explain (format json)` statement. */
export function compileEstimateSql(query: RecordsQuery, table: RecordsTable, fields: readonly DatasetField[]): Statement {
  const schema = fieldMap(fields);
  return q`explain (format json) select 1 from ${tableSql(table)} where ${conjunction(filterConditions(query, schema))}`;
}

function fieldMap(fields: readonly DatasetField[]): Map<string, DatasetField> {
  const map = new Map<string, DatasetField>();
  for (const field of fields) {
    if (field.classification.action === 'drop') continue;
    if (field.name.startsWith(RESERVED_PREFIX)) throw new Error(`field name ${field.name} collides with the query compiler's aliases`);
    quoteIdent(field.name); // refuses anything that is not a generated identifier
    map.set(field.name, field);
  }
  return map;
}

function lookup(schema: Map<string, DatasetField>, name: string): DatasetField {
  const field = schema.get(name);
  // parseRecordsQuery resolved every name against the same schema; reaching this is a programming error.
  if (!field) throw new Error(`query refers to a field that is not in the published schema: ${JSON.stringify(name)}`);
  return field;
}

function tableSql(table: RecordsTable): Statement {
  if (!QUALIFIED_NAME_RE.test(table.qualifiedName)) throw new Error(`not a generated table name: ${JSON.stringify(table.qualifiedName)}`);
  return raw(`${table.qualifiedName} as t`);
}

function conjunction(conditions: Statement[]): Statement {
  if (conditions.length === 0) return q`true`;
  return join(
    conditions.map((condition) => q`(${condition})`),
    ' and ',
  );
}

function disjunction(conditions: Statement[]): Statement {
  if (conditions.length === 0) return q`false`;
  return join(
    conditions.map((condition) => q`(${condition})`),
    ' or ',
  );
}

function column(field: DatasetField): Statement {
  return raw(`t.${quoteIdent(field.name)}`);
}

/**
 * A bound value cast to the field's column type. The parameter itself is typed text:
 * postgres.js serialises a parameter by the type the server infers for it, and its
 * boolean and timestamp serialisers would turn the string 'true' into false and shift a
 * local time by the process time zone. Text goes through untouched; Postgres casts it.
 */
function bound(field: DatasetField, value: string): Statement {
  return q`${value}::text::${raw(SQL_TYPES[field.type])}`;
}

/** LIKE metacharacters in user text match themselves. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

const COMPARISON_SQL = { eq: '=', neq: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

function filterConditions(query: RecordsQuery, schema: Map<string, DatasetField>): Statement[] {
  const conditions = query.filters.map((filter) => filterCondition(filter, lookup(schema, filter.field)));
  if (query.q !== null) {
    const pattern = `%${escapeLike(query.q)}%`;
    const searchable = [...schema.values()].filter((field) => field.filterable && field.type === 'string');
    // Trigram GIN indexes serve each ILIKE; the OR becomes a BitmapOr over them.
    conditions.push(disjunction(searchable.map((field) => q`${column(field)} ilike ${pattern}::text escape '\\'`)));
  }
  return conditions;
}

function filterCondition(filter: RecordsFilter, field: DatasetField): Statement {
  const col = column(field);
  if (filter.op === 'is') {
    const test = filter.value === 'null' ? 'null' : filter.value;
    return q`${col} is ${raw(filter.negated ? 'not ' : '')}${raw(test)}`;
  }
  let condition: Statement;
  switch (filter.op) {
    case 'in':
      condition = q`${col} in (${join(
        filter.values.map((value) => bound(field, value)),
        ', ',
      )})`;
      break;
    case 'like': {
      const pattern = `${escapeLike(filter.text)}${filter.prefix ? '%' : ''}`;
      condition = q`${col} like ${pattern}::text escape '\\'`;
      break;
    }
    default:
      condition = q`${col} ${raw(COMPARISON_SQL[filter.op])} ${bound(field, filter.value)}`;
  }
  return filter.negated ? q`not (${condition})` : condition;
}

function orderSuffix(term: OrderTerm): string {
  return `${term.direction} nulls ${term.nulls}`;
}

/**
 * Rows strictly after `after` in the order (sort fields, then `_kf_row`), as disjoint
 * branches whose union is the whole region. Within a branch the condition is the
 * row-value comparison generalised to mixed directions and NULLs:
 *   after_1 OR (eq_1 AND after_2) OR (eq_1 AND eq_2 AND after_3) ... OR (eq_1..eq_n AND row after)
 * where, for a key with cursor value c:
 *   eq    = c is NULL ? col IS NULL : col = c
 *   after = c is NULL ? (NULLs first ? col IS NOT NULL : false)
 *                     : (asc ? col > c : col < c) OR (NULLs last ? col IS NULL : false)
 * Each branch also carries a bound on the first sort field that an index can seek to: the
 * row value (col, _kf_row) past the cursor when there is one sort field, else col itself.
 */
function keysetBranches(order: { term: OrderTerm; field: DatasetField }[], after: KeysetPosition, rowDirection: 'asc' | 'desc'): Statement[] {
  const disjuncts: Statement[] = [];
  const equalSoFar: Statement[] = [];
  for (const [index, { term, field }] of order.entries()) {
    const value = after.values[index] ?? null;
    const col = column(field);
    const later = laterThan(term, field, value);
    if (later) disjuncts.push(conjunction([...equalSoFar, later]));
    equalSoFar.push(value === null ? q`${col} is null` : q`${col} = ${bound(field, value)}`);
  }
  disjuncts.push(conjunction([...equalSoFar, q`t.${raw(ROW)} ${raw(rowDirection === 'asc' ? '>' : '<')} ${after.row}::text::bigint`]));
  const chain = disjunction(disjuncts);

  const first = order[0];
  if (!first) return [chain];
  const { term, field } = first;
  const col = column(field);
  const value = after.values[0] ?? null;
  // With one sort field the tiebreaker runs in its direction, so the non-NULL part of the
  // region is exactly a row-value range the (col, _kf_row) index seeks to: page 1,000 then
  // reads what page 1 reads. With more fields, the first field's bound narrows the scan.
  const atOrAfter =
    value === null
      ? null
      : order.length === 1
        ? q`(${col}, t.${raw(ROW)}) ${raw(term.direction === 'asc' ? '>' : '<')} (${bound(field, value)}, ${after.row}::text::bigint)`
        : q`${col} ${raw(term.direction === 'asc' ? '>=' : '<=')} ${bound(field, value)}`;
  if (value !== null && term.nulls === 'first') return [conjunction([atOrAfter!, chain])];
  if (value !== null) return [conjunction([atOrAfter!, chain]), conjunction([q`${col} is null`, chain])];
  if (term.nulls === 'last') return [conjunction([q`${col} is null`, chain])];
  return [conjunction([q`${col} is null`, chain]), conjunction([q`${col} is not null`, chain])];
}

function laterThan(term: OrderTerm, field: DatasetField, value: string | null): Statement | null {
  const col = column(field);
  if (value === null) return term.nulls === 'first' ? q`${col} is not null` : null;
  const beyond = q`${col} ${raw(term.direction === 'asc' ? '>' : '<')} ${bound(field, value)}`;
  return term.nulls === 'last' ? disjunction([beyond, q`${col} is null`]) : beyond;
}
